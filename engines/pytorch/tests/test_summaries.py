"""summaries.py and augment.py against what the tfjs engine's own helpers give for the same inputs
(fixtures/stats.json, written by fixtures/makeStats.ts)."""
import json
import math
import os
import unittest

import torch

from modellab_torch import augment, summaries

FIXTURE = os.path.join(os.path.dirname(__file__), 'fixtures', 'stats.json')


class SameAsTheTfjsEngine(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(FIXTURE, encoding='utf-8') as f:
            cls.t = json.load(f)

    def test_value_summaries(self):
        got = summaries.summarize(torch.tensor(self.t['values'], dtype=torch.float32))
        self.assertEqual(got, self.t['summary'])
        special = torch.tensor(self.t['values'][:50] + [math.nan, math.inf, -math.inf], dtype=torch.float32)
        self.assertEqual(summaries.summarize(special), self.t['special'])

    def test_dead_and_saturated(self):
        acts = torch.tensor(self.t['acts']).reshape(4, 6)
        self.assertAlmostEqual(summaries.dead_fraction(acts), self.t['dead'])
        self.assertAlmostEqual(summaries.saturated_fraction(acts + 0.5, 'sigmoid'), self.t['saturatedSigmoid'], places=6)
        self.assertAlmostEqual(summaries.saturated_fraction(acts * 2, 'tanh'), self.t['saturatedTanh'], places=6)

    def test_init_targets(self):
        cases = [([784, 128], 'relu', None), ([3, 3, 8, 16], 'tanh', {'name': 'randomNormal', 'options': {'stddev': 0.1}}),
                 ([10, 5], 'selu', {'name': 'truncatedNormal', 'options': {}}), ([5, 5, 1, 4], None, {'name': 'orthogonal', 'options': {}})]
        for (shape, act, init), want in zip(cases, self.t['targets']):
            got = summaries.init_target(shape, act, init)
            self.assertEqual((got['fanIn'], got['fanOut']), (want['fanIn'], want['fanOut']))
            self.assertEqual(got['target']['rule'], want['rule'])
            self.assertEqual(got['target']['initializer'], want['initializer'])
            self.assertEqual(got['target']['std'], summaries.round4(want['std']))
            self.assertEqual(got['target'].get('initializerStd'), summaries.round4(want['initializerStd']) if 'initializerStd' in want else None)

    def test_quantized_maps_are_the_same_bytes(self):
        got = summaries.quantize_maps(torch.tensor(self.t['maps']), [3, 3, 2], 2)
        self.assertEqual(got, self.t['quantized'])

    def test_round4(self):
        self.assertEqual(summaries.round4(1234.5678), 1235.0)
        self.assertEqual(summaries.round4(-0.000123456), -0.0001235)
        self.assertTrue(math.isnan(summaries.round4(math.nan)))


class AugmentationLikeTfjs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(FIXTURE, encoding='utf-8') as f:
            cls.t = json.load(f)

    def test_same_images_for_the_same_seed(self):
        specs = {'flips': {'flipHorizontal': True, 'flipVertical': True}, 'shiftCrop': {'shift': 2, 'randomCrop': 1},
                 'rotateScale': {'rotation': 20, 'randomScale': [0.8, 1.2]}, 'noiseCutout': {'gaussianNoise': 0.1, 'cutout': 3}}
        image = torch.tensor(self.t['image'], dtype=torch.float32).reshape(8, 8, 2)
        for name, spec in specs.items():
            aug = augment.Augmenter(spec, [8, 8, 2], 1234)
            for i, want in enumerate(self.t['augmented'][name]):
                got = aug.apply_one(image.clone()).reshape(-1)
                self.assertTrue(torch.allclose(got, torch.tensor(want), atol=1e-5), f'{name} image {i}: max diff {(got - torch.tensor(want)).abs().max()}')
            # The batch form draws image after image from the same stream.
            batch = augment.Augmenter(spec, [8, 8, 2], 1234)(image.unsqueeze(0).repeat(3, 1, 1, 1), 0)
            self.assertTrue(torch.allclose(batch.reshape(3, -1), torch.tensor(self.t['augmented'][name]), atol=1e-5), name)

    def test_resize_as_tf_image_resize_bilinear(self):
        image = torch.tensor(self.t['image'], dtype=torch.float32).reshape(1, 8, 8, 2)
        got = augment.resize_bilinear(image, 11, 9).reshape(-1)
        self.assertTrue(torch.allclose(got, torch.tensor(self.t['resized']), atol=1e-6))

    def test_tta_views(self):
        x = torch.arange(2 * 4 * 4 * 1, dtype=torch.float32).reshape(2, 4, 4, 1)
        views = augment.tta_views(x, {'flipHorizontal': True, 'flipVertical': False, 'crops': 5, 'padding': 1, 'scales': [1, 1.5]})
        self.assertEqual(len(views), 5 * 2 * 2)  # 5 crops, each plain and flipped, at two scales
        self.assertTrue(torch.equal(views[0], x))  # the centre crop of the padded image is the image
        self.assertTrue(torch.equal(views[1], x.flip(2)))
        self.assertEqual(float(views[2][0, 0, 0, 0]), 0.0)  # the top-left corner crop starts in the padding


def plain_summary(t, bins=30):
    """summarize's definition pass by pass (summarize.ts in float64): the figures the fast one must give."""
    v = t.detach().reshape(-1).to(torch.float64)
    f = v[torch.isfinite(v)]
    nan = int(torch.isnan(v).sum())
    if f.numel():
        lo, hi, mean = float(f.min()), float(f.max()), float(f.mean())
        std = float(((f - mean) ** 2).sum() / f.numel()) ** 0.5
    else:
        lo = hi = mean = std = 0.0
    width = (hi - lo) / bins
    if f.numel() and width > 0:
        counts = torch.bincount(torch.floor((f - lo) / width).clamp(max=bins - 1).long(), minlength=bins).tolist()
    else:
        counts = [f.numel()] + [0] * (bins - 1)
    r = summaries.round4
    small = summaries.NEAR_ZERO * max(abs(lo), abs(hi))
    return {'count': v.numel(), 'min': r(lo), 'max': r(hi), 'mean': r(mean), 'std': r(std), 'zeros': int((f == 0).sum()),
            'nearZero': int((f.abs() <= small).sum()), 'nan': nan, 'inf': v.numel() - f.numel() - nan,
            'hist': {'lo': r(lo), 'hi': r(hi), 'counts': [float(c) for c in counts]}}


class FewPassSummaries(unittest.TestCase):
    def test_summarize_gives_the_definitions_figures(self):
        gen = torch.Generator().manual_seed(5)
        cases = [torch.randn(784, 128, generator=gen) * 0.05, torch.zeros(10), torch.ones(5), torch.tensor([]),
                 torch.relu(torch.randn(32, 128, generator=gen)), torch.tensor([-0.0, 0.0, 1e-30, 5.0]),
                 torch.tensor([1.0, math.nan, math.inf, -2.0, 0.0]), torch.tensor([math.nan] * 3),
                 torch.tensor([math.inf, -math.inf]), torch.randint(-3, 4, (1000,), generator=gen).float()]
        cases += [torch.randn(int(n), generator=gen) * s + o for n, s, o in zip(torch.randint(1, 3000, (40,), generator=gen),
                                                                               torch.rand(40, generator=gen) * 10, torch.randn(40, generator=gen))]
        for t in cases:
            self.assertEqual(summaries.summarize(t), plain_summary(t), t[:5])

    def test_l2_norm(self):
        t = torch.randn(300, 7, generator=torch.Generator().manual_seed(2))
        self.assertAlmostEqual(summaries.l2_norm(t), float(t.double().norm()), delta=1e-12 * float(t.double().norm()))
        self.assertEqual(summaries.l2_norm(torch.tensor([3.0, 4.0])), 5.0)
        self.assertEqual(summaries.l2_norm(torch.tensor([])), 0.0)


if __name__ == '__main__':
    unittest.main()
