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


class CategoricalCrossentropyNode(unittest.TestCase):
    def test_same_loss_and_gradient_as_autograd_through_the_definition(self):
        # categoricalCrossentropy's loss is one autograd node with its gradient written out; the
        # definition is the elementwise formula recorded op by op. Renormalised and clipped
        # predictions (the clamp passes no gradient where it clips) and soft targets included.
        loss, _ = make_loss('categoricalCrossentropy')
        gen = torch.Generator().manual_seed(3)
        for trial in range(60):
            n, c = [(64, 10), (7, 3), (5, 2)][trial % 3]
            p = torch.softmax(torch.randn(n, c, generator=gen) * (1 + trial % 25), -1)
            if trial % 4 == 0:
                p = p * 1.3
            if trial % 5 == 0:
                y = torch.softmax(torch.randn(n, c, generator=gen), -1)
            else:
                y = torch.nn.functional.one_hot(torch.randint(0, c, (n,), generator=gen), c).float()
            a, b = p.clone().requires_grad_(), p.clone().requires_grad_()
            fused = loss(y, a)
            q = torch.clamp(b / torch.sum(b, dim=-1, keepdim=True), 1e-7, 1 - 1e-7)
            plain = (-torch.sum(y * torch.log(q), dim=-1, keepdim=True)).mean()
            self.assertEqual(float(fused), float(plain))
            (fused * 2).backward()
            (plain * 2).backward()
            scale = float(b.grad.abs().max())
            self.assertLessEqual(float((a.grad - b.grad).abs().max()), 1e-6 * scale, f'trial {trial}')
        clipped = torch.tensor([[1.0, 0.0, 0.0]], requires_grad=True)
        loss(torch.tensor([[0.0, 1.0, 0.0]]), clipped).backward()
        self.assertEqual(clipped.grad[0, 1].item(), 0.0)  # q = 0 was clipped to 1e-7: no gradient through it


if __name__ == '__main__':
    unittest.main()
