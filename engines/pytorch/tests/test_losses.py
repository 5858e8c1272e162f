import math
import unittest

import torch

from modellab_torch.losses import correct_count, make_loss


class Losses(unittest.TestCase):
    def check(self, name, y, p, want):
        loss, per = make_loss(name)
        y, p = torch.tensor(y), torch.tensor(p)
        self.assertAlmostEqual(float(loss(y, p)), want, places=5, msg=name)
        self.assertAlmostEqual(float(per(y, p).mean()), float(loss(y, p)), places=6, msg=name)

    def test_values(self):
        self.check('meanSquaredError', [[1.0, 0.0]], [[0.5, 0.5]], 0.25)
        self.check('meanAbsoluteError', [[1.0], [0.0]], [[0.5], [1.0]], 0.75)
        self.check('huber', [[0.0], [0.0]], [[0.5], [3.0]], (0.125 + 2.5) / 2)
        # categorical: the prediction is renormalised first
        self.check('categoricalCrossentropy', [[0.0, 1.0]], [[0.5, 1.5]], -math.log(0.75))
        self.check('binaryCrossentropy', [[1.0]], [[0.8]], -math.log(0.8))
        self.check('kullbackLeiblerDivergence', [[0.5, 0.5]], [[0.25, 0.75]], 0.5 * math.log(2) + 0.5 * math.log(2 / 3))

    def test_certain_wrong_predictions_are_clipped_not_infinite(self):
        loss, _ = make_loss('binaryCrossentropy')
        self.assertAlmostEqual(float(loss(torch.tensor([[1.0]]), torch.tensor([[0.0]]))), -math.log(1e-7), places=2)

    def test_spec_forms_and_unknown_names(self):
        loss, _ = make_loss({'train': {'loss': 'meanSquaredError'}})
        self.assertEqual(float(loss(torch.zeros(1, 1), torch.ones(1, 1))), 1.0)
        with self.assertRaisesRegex(ValueError, "Unknown loss 'hinge'"):
            make_loss('hinge')

    def test_correct_count(self):
        self.assertEqual(correct_count(torch.tensor([[1.0], [0.0]]), torch.tensor([[0.7], [0.6]])), 1)
        self.assertEqual(correct_count(torch.tensor([[0.0, 1.0], [1.0, 0.0]]), torch.tensor([[0.2, 0.8], [0.3, 0.7]])), 1)


if __name__ == '__main__':
    unittest.main()
