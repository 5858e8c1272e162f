import json
import os
import struct
import tempfile
import unittest

import torch

from modellab_torch import weights
from modellab_torch.build import build_model
from modellab_torch.regularizers import penalty
from tests.model_specs import model

CONV = model([6, 6, 2], ('conv2d', {'filters': 3, 'kernelSize': [3, 2]}), ('batchNormalization', {}),
             ('depthwiseConv2d', {'kernelSize': [2, 2], 'depthMultiplier': 2}), ('flatten', {}), ('dense', {'units': 2}))


class WeightsFiles(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, 'weights.json')

    def test_keras_layout_in_the_file_and_a_round_trip(self):
        a = build_model(CONV, 1)
        weights.save(a, self.path)
        with open(self.path, encoding='utf-8') as f:
            listing = json.load(f)['weights']
        shapes = {(e['layer'], e['name']): e['shape'] for e in listing}
        self.assertEqual(shapes[('conv2d_1', 'kernel')], [3, 2, 2, 3])
        self.assertEqual(shapes[('depthwiseConv2d_3', 'depthwiseKernel')], [2, 2, 3, 2])
        self.assertIn(('batchNormalization_2', 'movingVariance'), shapes)
        # the file's first values are the Keras kernel [kh, kw, in, out] in row-major order
        k = a.layer('conv2d_1').weight('kernel')
        with open(os.path.join(self.dir, 'weights.bin'), 'rb') as f:
            first = struct.unpack('<4f', f.read(16))
        self.assertEqual(list(first), [float(k[o, 0, 0, 0]) for o in range(3)] + [float(k[0, 1, 0, 0])])
        b = build_model(CONV, 2)
        weights.load(b, self.path)
        x = torch.randn(3, 6, 6, 2)
        a.eval()
        b.eval()
        self.assertTrue(torch.equal(a(x), b(x)))

    def test_missing_or_misshapen_weights_are_named(self):
        weights.save(build_model(model([3], ('dense', {'units': 2})), 1), self.path)
        with self.assertRaisesRegex(ValueError, r'dense_1/kernel has shape \[3, 2\]; the model needs \[4, 2\]'):
            weights.load(build_model(model([4], ('dense', {'units': 2})), 1), self.path)
        with self.assertRaisesRegex(ValueError, 'lacks dense_2/kernel, dense_2/bias'):
            weights.load(build_model(model([3], ('dense', {'units': 2}), ('dense', {'units': 1})), 1), self.path)


class Regularizers(unittest.TestCase):
    def test_layer_and_model_penalties_with_tfjs_arithmetic(self):
        spec = model([2], ('dense', {'units': 2, 'kernelInitializer': 'ones', 'biasInitializer': 'ones', 'biasRegularizer': {'l1': 0.5}}),
                     ('dense', {'units': 1, 'kernelInitializer': 'ones', 'kernelRegularizer': {'l2': 0.1}}))
        net = build_model(spec, 1)
        self.assertAlmostEqual(float(penalty(net, spec)), 0.5 * 2 + 0.1 * 2, places=5)
        spec['model']['regularizer'] = {'l2': 1.0}  # fills dense_1's kernel, not dense_2's (it has its own)
        self.assertAlmostEqual(float(penalty(net, spec)), 0.5 * 2 + 0.1 * 2 + 4.0, places=5)

    def test_no_regularizers_no_penalty(self):
        spec = model([2], ('dense', {'units': 1}))
        self.assertEqual(float(penalty(build_model(spec, 1), spec)), 0.0)


if __name__ == '__main__':
    unittest.main()
