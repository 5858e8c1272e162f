import math
import unittest

import torch

from modellab_torch.build import build_model
from modellab_torch.init import fans, initial_value
from tests.model_specs import model


def draw(name, shape, seed=1, **options):
    return initial_value({'name': name, 'options': options}, shape, seed)


class Initializers(unittest.TestCase):
    def test_fans_read_the_keras_layout(self):
        self.assertEqual(fans([100, 200]), (100, 200))
        self.assertEqual(fans([3, 3, 4, 8]), (36, 72))
        self.assertEqual(fans([5, 2, 7]), (10, 35))

    def test_rank_one_weights_take_tfjss_fans_of_sqrt_size(self):
        # tfjs's computeFans gives a shape of rank other than 2-5 the fans sqrt(size) on both sides.
        self.assertEqual(fans([256]), (16.0, 16.0))
        self.assertEqual(fans([]), (1.0, 1.0))
        limit = math.sqrt(6 / 32)  # glorotUniform: sqrt(6 / (fan_in + fan_out))
        bias = draw('glorotUniform', [256])
        self.assertLessEqual(float(bias.abs().max()), limit)
        self.assertGreater(float(bias.abs().max()), 0.95 * limit)
        gamma = draw('heNormal', [1024])
        self.assertAlmostEqual(float(gamma.std()), 0.8796 * math.sqrt(2 / 32), delta=0.06 * math.sqrt(2 / 32))

    def test_glorot_uniform_has_kerass_limit_and_variance(self):
        w = draw('glorotUniform', [300, 500])
        limit = math.sqrt(6 / 800)
        self.assertLessEqual(float(w.abs().max()), limit)
        self.assertGreater(float(w.abs().max()), 0.99 * limit)
        self.assertAlmostEqual(float(w.var()), 2 / 800, delta=0.03 * 2 / 800)
        self.assertAlmostEqual(float(w.mean()), 0.0, delta=0.002)

    def test_he_normal_is_tfjss_truncated_normal_of_stddev_sqrt_2_over_fan_in(self):
        w = draw('heNormal', [3, 3, 64, 128])
        sigma = math.sqrt(2 / (9 * 64))
        self.assertLessEqual(float(w.abs().max()), 2 * sigma + 1e-6)
        # A normal cut at two standard deviations keeps 0.8796 of sigma.
        self.assertAlmostEqual(float(w.std()), 0.8796 * sigma, delta=0.02 * sigma)

    def test_other_initializers(self):
        self.assertTrue(torch.equal(draw('zeros', [3]), torch.zeros(3)))
        self.assertTrue(torch.equal(draw('constant', [2], value=0.5), torch.full([2], 0.5)))
        u = draw('randomUniform', [10000], minval=2, maxval=3)
        self.assertTrue(2 <= float(u.min()) and float(u.max()) <= 3)
        n = draw('randomNormal', [20000], mean=1, stddev=0.1)
        self.assertAlmostEqual(float(n.mean()), 1.0, delta=0.005)
        q = draw('orthogonal', [16, 8], gain=2)
        self.assertTrue(torch.allclose(q.t() @ q, 4 * torch.eye(8), atol=1e-5))
        self.assertAlmostEqual(float(draw('lecunUniform', [400, 10]).abs().max()), math.sqrt(3 / 400), delta=0.01)
        with self.assertRaisesRegex(ValueError, "Unknown initializer 'xavier'"):
            draw('xavier', [2])

    def test_seeded_defaults_glorot_kernels_zero_biases(self):
        spec = model([3], ('dense', {'units': 3}), ('dense', {'units': 3, 'biasInitializer': 'ones'}))
        a, b, c = build_model(spec, 7), build_model(spec, 7), build_model(spec, 8)
        ka, kb, kc = (n.layer('dense_1').weight('kernel') for n in (a, b, c))
        self.assertTrue(torch.equal(ka, kb))
        self.assertFalse(torch.equal(ka, kc))
        self.assertFalse(torch.equal(ka, a.layer('dense_2').weight('kernel')))  # layers draw apart
        self.assertTrue(torch.equal(a.layer('dense_1').weight('bias'), torch.zeros(3)))
        self.assertTrue(torch.equal(a.layer('dense_2').weight('bias'), torch.ones(3)))


if __name__ == '__main__':
    unittest.main()
