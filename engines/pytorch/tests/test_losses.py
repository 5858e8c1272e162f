import math
import unittest

import torch

from modellab_torch.build import build_model
from modellab_torch.data import Split
from modellab_torch.losses import LogitsCrossentropy, OutputObjective, correct_count, make_loss, training_objective
from tests.model_specs import model


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


def with_loss(spec, loss):
    return {**spec, 'train': {'loss': loss}}


class LogitsObjective(unittest.TestCase):
    """A net ending in a softmax, trained on one-hot targets with categoricalCrossentropy, is trained
    from its logits: the loss, its gradient and the accuracy must be those of the probabilities'
    definition (Keras's renormalise-and-clip), the clip's cuts at both ends included."""

    def test_same_loss_gradient_and_accuracy_as_the_probabilities_definition(self):
        objective = LogitsCrossentropy(torch.zeros(0, dtype=torch.long))
        definition, _ = make_loss('categoricalCrossentropy')
        gen = torch.Generator().manual_seed(5)
        for trial in range(60):
            n, c = [(64, 10), (7, 3), (5, 2)][trial % 3]
            z = torch.randn(n, c, generator=gen) * (1 + trial % 25)
            t = torch.randint(0, c, (n,), generator=gen)
            if trial % 6 == 0:  # certain and wrong: p(true) < 1e-7 is clipped, no gradient through it
                z[0] = 0.0
                z[0, t[0]] = -40.0
            if trial % 6 == 1:  # certain and right: p(true) > 1 - 1e-7 is clipped too
                z[0] = 0.0
                z[0, t[0]] = 40.0
            y = torch.nn.functional.one_hot(t, c).float()
            a, b = z.clone().requires_grad_(), z.clone().requires_grad_()
            fast = objective.value(t, a)
            plain = definition(y, torch.softmax(b, -1))
            self.assertLessEqual(abs(float(fast) - float(plain)), 2e-6 * max(1.0, abs(float(plain))), f'trial {trial}')
            fast.backward()
            plain.backward()
            # The probabilities' route cannot see 1 - p below float32's spacing at 1 (6e-8): an
            # example's gradient (p - y) / n is known to about 1.2e-7 / n there, the logits' better.
            floor = 1.2e-7 / n
            self.assertLessEqual(float((a.grad - b.grad).abs().max()), 1e-5 * float(b.grad.abs().max()) + floor, f'trial {trial}')
            if trial % 6 in (0, 1):
                self.assertEqual(float(a.grad[0].abs().max()), 0.0, f'trial {trial}: the clipped example passes no gradient')
            self.assertEqual(objective.correct(t, z), correct_count(y, torch.softmax(z, -1)))

    def test_chosen_only_where_it_has_the_files_meaning(self):
        dense = model([4], ('dense', {'units': 8, 'activation': 'relu'}), ('dense', {'units': 3, 'activation': 'softmax'}))
        layer = model([4], ('dense', {'units': 3}), ('softmax', {}))
        sigmoid = model([4], ('dense', {'units': 3, 'activation': 'sigmoid'}))
        one_hot = Split(torch.zeros(4, 4), torch.eye(3)[[0, 2, 1, 1]])
        soft = Split(torch.zeros(2, 4), torch.tensor([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]]))
        for spec in (dense, layer):
            net = build_model(spec, 1)
            chosen = training_objective(with_loss(spec, 'categoricalCrossentropy'), net, one_hot)
            self.assertIsInstance(chosen, LogitsCrossentropy)
            self.assertEqual(chosen.labels.tolist(), [0, 2, 1, 1])
            self.assertIsInstance(training_objective(with_loss(spec, 'categoricalCrossentropy'), net, soft), OutputObjective)
            self.assertIsInstance(training_objective(with_loss(spec, 'meanSquaredError'), net, one_hot), OutputObjective)
        self.assertIsInstance(training_objective(with_loss(sigmoid, 'categoricalCrossentropy'), build_model(sigmoid, 1), one_hot), OutputObjective)

    def test_the_logits_are_what_the_final_softmax_takes(self):
        x = torch.randn(5, 4, generator=torch.Generator().manual_seed(2))
        for spec in (model([4], ('dense', {'units': 3, 'activation': 'softmax'})),
                     model([4], ('dense', {'units': 3}), ('activation', {'activation': 'softmax'}))):
            net = build_model(spec, 1)
            p, z = net(x), net(x, logits=True)
            self.assertTrue(torch.equal(torch.softmax(z, -1), p))
            self.assertFalse(torch.allclose(z, p))
            _, outputs = net.forward_with_outputs(x)
            self.assertTrue(torch.equal(outputs[net.ids[-1]], p))  # statistics see the probabilities
        plain = build_model(model([4], ('dense', {'units': 3, 'activation': 'sigmoid'})), 1)
        with self.assertRaisesRegex(ValueError, 'does not end in a softmax'):
            plain(x, logits=True)


if __name__ == '__main__':
    unittest.main()
