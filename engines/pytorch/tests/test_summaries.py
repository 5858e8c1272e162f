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


if __name__ == '__main__':
    unittest.main()
