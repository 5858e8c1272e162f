import math
import unittest

import torch

from modellab_torch.optimizers import clip, f32, make_optimizer, rule_of, set_learning_rate


def train(name, lr=0.1, **options):
    return {'train': {'optimizer': {'name': name, 'options': options}, 'learningRate': lr}}


def one_step(spec, w0, g):
    w = torch.nn.Parameter(torch.tensor(w0))
    opt = make_optimizer(spec, [w])
    w.grad = torch.tensor(g)
    opt.step()
    return w.detach()


class Optimizers(unittest.TestCase):
    def test_keras_and_tfjs_defaults(self):
        self.assertEqual(rule_of(train('adam'))['epsilon'], 1e-7)
        self.assertEqual(rule_of(train('adamw'))['weightDecay'], 0.004)
        self.assertEqual(rule_of(train('adagrad'))['initialAccumulatorValue'], 0.1)
        self.assertEqual(rule_of(train('rmsprop'))['decay'], 0.9)
        self.assertEqual(rule_of(train('sgd', momentum=0.9))['kind'], 'momentum')
        with self.assertRaisesRegex(ValueError, "Unknown optimizer 'lion'"):
            rule_of(train('lion'))

    def test_adam_adds_epsilon_after_the_bias_correction(self):
        # m = 0.05, v = 0.00025; corrected 0.5 and 0.25: step 0.5 / (0.5 + 1e-7).
        w = one_step(train('adam', lr=0.1, epsilon=0.1), [1.0], [0.5])
        self.assertAlmostEqual(float(w[0]), 1 - 0.1 * 0.5 / (0.5 + 0.1), places=6)

    def test_adam_bias_corrections_round_as_tfjss_float32_beta_powers(self):
        # tfjs keeps beta^t in float32 accumulators (times f32(beta) each step), so 1 - beta2^t
        # starts at 1 - f32(0.999) = 0.000999987, not 0.001. This replays tfjs's fused Adam step
        # (engine/train/fusedSteps.ts adamStep) in float32 for 30 steps of a fixed gradient.
        f = f32
        lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-7
        w = torch.nn.Parameter(torch.zeros(3))
        opt = make_optimizer(train('adam', lr=lr), [w])
        ref, m, v = [0.0] * 3, [0.0] * 3, [0.0] * 3
        acc1, acc2 = f(b1), f(b2)
        g = [1.0, -0.25, 3e-3]
        for _ in range(30):
            w.grad = torch.tensor(g)
            opt.step()
            c1, c2 = f(1 - acc1), f(1 - acc2)
            for i, gi in enumerate(g):
                m[i] = f(f(m[i] * f(b1)) + f(gi * f(1 - b1)))
                v[i] = f(f(v[i] * f(b2)) + f(f(gi * gi) * f(1 - b2)))
                ref[i] = f(f(f(f(m[i] / c1) / f(f(math.sqrt(f(v[i] / c2))) + f(eps))) * f(-lr)) + ref[i])
            acc1, acc2 = f(acc1 * f(b1)), f(acc2 * f(b2))
            for i in range(3):
                # float32 rounding is 6e-8 of a value; exact powers (1 - 0.999^t) are 6.4e-6 off at step 1.
                self.assertAlmostEqual(float(w[i]), ref[i], delta=5e-7 * abs(ref[i]))

    def test_adamw_decays_the_weight_by_lr_times_decay(self):
        w = one_step(train('adamw', lr=0.1, weightDecay=0.5), [2.0], [0.0])
        self.assertAlmostEqual(float(w[0]), 2.0 * (1 - 0.05), places=6)

    def test_tfjs_rmsprop_keeps_epsilon_inside_the_root(self):
        w = one_step(train('rmsprop', lr=0.01, epsilon=0.01), [1.0], [1.0])
        self.assertAlmostEqual(float(w[0]), 1 - 0.01 / math.sqrt(0.1 + 0.01), places=6)

    def test_centered_rmsprop_stays_finite_for_zero_gradients(self):
        w = one_step(train('rmsprop', centered=True), [1.0, 1.0], [0.0, 1e-4])
        self.assertTrue(bool(torch.isfinite(w).all()))

    def test_nesterov_looks_ahead(self):
        w = torch.nn.Parameter(torch.tensor([0.0]))
        opt = make_optimizer(train('sgd', lr=1.0, momentum=0.5, nesterov=True), [w])
        for _ in range(2):
            w.grad = torch.tensor([1.0])
            opt.step()
        # step 1: acc 1, w -= 1 + 0.5; step 2: acc 1.5, w -= 1 + 0.75
        self.assertAlmostEqual(float(w), -3.25)

    def test_adagrad_adadelta_adamax_take_one_step_each(self):
        self.assertAlmostEqual(float(one_step(train('adagrad', lr=0.1), [0.0], [2.0])[0]), -0.1 * 2 / math.sqrt(4.1 + 1e-7), places=6)
        # adadelta's first update uses the accumulator before this gradient (tfjs): sqrt(eps)/sqrt(eps) * g.
        self.assertAlmostEqual(float(one_step(train('adadelta', lr=1.0), [0.0], [0.3])[0]), -0.3, places=5)
        self.assertAlmostEqual(float(one_step(train('adamax', lr=0.1), [0.0], [0.5])[0]), -0.1 * 0.5 / (0.5 + 1e-7), places=6)

    def test_learning_rate_can_change_between_steps(self):
        w = torch.nn.Parameter(torch.tensor([0.0]))
        opt = make_optimizer(train('sgd', lr=1.0), [w])
        set_learning_rate(opt, 0.25)
        w.grad = torch.tensor([1.0])
        opt.step()
        self.assertAlmostEqual(float(w), -0.25)


class ForeachAdam(unittest.TestCase):
    def test_foreach_steps_give_the_per_weight_loops_floats(self):
        # Adam and AdamW step all weights with torch._foreach_* calls; the per-weight loop (_update)
        # is the definition. The same gradients for 30 steps must leave exactly the same weights.
        shapes = [(784, 128), (128,), (128, 10), (10,), (3, 3, 1, 8)]
        for name in ('adam', 'adamw'):
            start = [torch.randn(s, generator=torch.Generator().manual_seed(i)) * 0.1 for i, s in enumerate(shapes)]
            finals = []
            for foreach in (False, True):
                ws = [torch.nn.Parameter(w.clone()) for w in start]
                opt = make_optimizer(train(name, lr=0.01), ws)
                self.assertTrue(opt.foreach)
                opt.foreach = foreach
                gen = torch.Generator().manual_seed(7)
                for step in range(30):
                    for i, w in enumerate(ws):
                        # a weight without a gradient on some steps is left alone by both
                        w.grad = None if (step + i) % 7 == 3 else torch.randn(w.shape, generator=gen)
                    if step == 10:
                        set_learning_rate(opt, 0.003)
                    opt.step()
                finals.append([w.detach().clone() for w in ws])
            for a, b in zip(*finals):
                self.assertTrue(torch.equal(a, b), name)
            self.assertFalse(torch.equal(finals[1][0], start[0]))


class Clipping(unittest.TestCase):
    def test_clip_value_then_norm_per_variable(self):
        a, b = torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(1))
        a.grad, b.grad = torch.tensor([3.0, 4.0]), torch.tensor([0.5])
        clip(train('sgd', clipNorm=1.0), [a, b])
        self.assertTrue(torch.allclose(a.grad, torch.tensor([0.6, 0.8])))
        self.assertEqual(b.grad.tolist(), [0.5])  # already within the norm: unchanged
        a.grad = torch.tensor([3.0, -0.5])
        clip(train('sgd', clipValue=1.0), [a])
        self.assertEqual(a.grad.tolist(), [1.0, -0.5])


if __name__ == '__main__':
    unittest.main()
