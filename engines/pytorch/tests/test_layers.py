import json
import math
import os
import struct
import unittest

import torch

from modellab_torch.build import build_model
from modellab_torch.layers import make_layer
from modellab_torch.layout import to_channels_last, to_internal
from modellab_torch.rng import make_rng
from modellab_torch.normalization import keras_momentum, torch_momentum
from modellab_torch.shaping import Pool
from tests.model_specs import model


def ones_conv(input_shape, **cfg):
    net = build_model(model(input_shape, ('conv2d', dict(filters=1, useBias=False, kernelInitializer='ones', **cfg))), 1)
    return net(torch.ones([1, *input_shape]))[0, :, :, 0]


class SamePadding(unittest.TestCase):
    def test_stride_2_pads_the_bottom_and_right_like_tf(self):
        # 4x4, 3x3 kernel, stride 2: one row and column of padding, all at the end (torch would split it).
        out = ones_conv([4, 4, 1], kernelSize=[3, 3], strides=[2, 2], padding='same')
        self.assertEqual(out.tolist(), [[9.0, 6.0], [6.0, 4.0]])

    def test_stride_1_odd_kernel_is_symmetric(self):
        out = ones_conv([3, 3, 1], kernelSize=[3, 3], padding='same')
        self.assertEqual(out.tolist(), [[4.0, 6.0, 4.0], [6.0, 9.0, 6.0], [4.0, 6.0, 4.0]])

    def test_max_pool_same_ignores_the_padding(self):
        x = -torch.arange(1.0, 10.0).reshape(1, 1, 3, 3)
        out = Pool({'poolSize': [2, 2], 'padding': 'same'}, None, None, 2, 'max')(x)
        self.assertEqual(out[0, 0].tolist(), [[-1.0, -3.0], [-7.0, -9.0]])

    def test_average_pool_same_divides_by_the_values_inside_and_its_gradient_is_true(self):
        x = torch.arange(1.0, 10.0, dtype=torch.float64).reshape(1, 1, 3, 3).requires_grad_()
        pool = Pool({'poolSize': [2, 2], 'padding': 'same'}, None, None, 2, 'avg')
        self.assertEqual(pool(x)[0, 0].tolist(), [[3.0, 4.5], [7.5, 9.0]])
        self.assertTrue(torch.autograd.gradcheck(pool, (x,)))


class Layout(unittest.TestCase):
    def test_flatten_keeps_kerass_channels_last_order(self):
        net = build_model(model([2, 2, 3], ('flatten', {})), 1)
        x = torch.randn(2, 2, 2, 3)
        self.assertTrue(torch.equal(net(x), x.reshape(2, -1)))

    def test_reshape_and_dense_on_a_sequence_work_on_the_last_axis(self):
        net = build_model(model([6], ('reshape', {'targetShape': [2, 3]}), ('dense', {'units': 4, 'kernelInitializer': 'ones', 'useBias': False})), 1)
        x = torch.arange(12.0).reshape(2, 6)
        self.assertTrue(torch.equal(net(x), x.reshape(2, 2, 3).sum(-1, keepdim=True).expand(2, 2, 4)))

    def test_concatenate_maps_kerass_axes(self):
        spec = model([2, 2, 1], ('flatten', {'id': 'f', 'inputs': []}),
                     ('concatenate', {'id': 'rows', 'axis': 1, 'inputs': ['input', 'input']}),
                     ('concatenate', {'id': 'chans', 'inputs': ['rows', 'rows']}))
        net = build_model(spec, 1)
        _, outs = net.forward_with_outputs(torch.randn(3, 2, 2, 1))
        self.assertEqual(list(outs['rows'].shape), [3, 4, 2, 1])
        self.assertEqual(list(outs['chans'].shape), [3, 4, 2, 2])
        self.assertTrue(torch.equal(outs['chans'][..., 0], outs['chans'][..., 1]))

    def test_outputs_are_channels_last_per_layer(self):
        net = build_model(model([8, 8, 1], ('conv2d', {'filters': 5, 'kernelSize': [3, 3]}), ('maxPooling2d', {})), 1)
        out, outs = net.forward_with_outputs(torch.randn(2, 8, 8, 1))
        self.assertEqual(list(outs['conv2d_1'].shape), [2, 6, 6, 5])
        self.assertEqual(list(out.shape), [2, 3, 3, 5])


class Transposed(unittest.TestCase):
    def shape(self, size, **cfg):
        net = build_model(model([size, size, 2], ('conv2dTranspose', dict(filters=3, **cfg))), 1)
        return list(net(torch.randn(1, size, size, 2)).shape[1:])

    def test_output_sizes_follow_keras(self):
        self.assertEqual(self.shape(4, kernelSize=[3, 3], strides=[2, 2], padding='same'), [8, 8, 3])
        self.assertEqual(self.shape(4, kernelSize=[3, 3], strides=[2, 2]), [9, 9, 3])
        self.assertEqual(self.shape(4, kernelSize=[2, 2], strides=[3, 3]), [12, 12, 3])  # kernel < stride


class Upsampling(unittest.TestCase):
    def test_bilinear_samples_at_target_over_scale_like_tfjs(self):
        net = build_model(model([1, 2, 1], ('upSampling2d', {'size': [1, 2], 'interpolation': 'bilinear'})), 1)
        self.assertEqual(net(torch.tensor([[[[0.0], [1.0]]]])).reshape(-1).tolist(), [0.0, 0.5, 1.0, 1.0])

    def test_nearest_repeats(self):
        net = build_model(model([1, 2, 1], ('upSampling2d', {})), 1)
        self.assertEqual(net(torch.tensor([[[[1.0], [2.0]]]])).reshape(2, 4).tolist(), [[1, 1, 2, 2], [1, 1, 2, 2]])


class BatchNorm(unittest.TestCase):
    def test_momentum_converts_between_keras_and_torch(self):
        self.assertAlmostEqual(torch_momentum(0.99), 0.01)
        self.assertAlmostEqual(keras_momentum(0.1), 0.9)

    def test_training_step_moves_the_statistics_by_one_minus_keras_momentum_with_the_biased_variance(self):
        net = build_model(model([2], ('batchNormalization', {'momentum': 0.9})), 1)
        x = torch.tensor([[1.0, 10.0], [3.0, 20.0]])
        y = net(x)
        self.assertTrue(torch.allclose(y, torch.tensor([[-1.0, -1.0], [1.0, 1.0]]), atol=1e-3))
        bn = net.layer('batchNormalization_1')
        self.assertTrue(torch.allclose(bn.weight('movingMean'), torch.tensor([0.2, 1.5])))
        # biased variances 1 and 25: 0.9 * 1 + 0.1 * v
        self.assertTrue(torch.allclose(bn.weight('movingVariance'), torch.tensor([1.0, 3.4])))
        net.eval()
        self.assertTrue(torch.allclose(net(x), (x - torch.tensor([0.2, 1.5])) / torch.sqrt(torch.tensor([1.0, 3.4]) + 1e-3)))


    def test_another_axis_normalises_along_it(self):
        net = build_model(model([3, 2, 4], ('batchNormalization', {'axis': 1})), 1)
        y = net(torch.randn(5, 3, 2, 4) * 3 + 1)
        self.assertEqual(list(net.layer('batchNormalization_1').weight('movingMean').shape), [3])
        self.assertTrue(torch.allclose(y.mean(dim=(0, 2, 3)), torch.zeros(3), atol=1e-5))
        self.assertTrue(torch.allclose(y.var(dim=(0, 2, 3), unbiased=False), torch.ones(3), atol=1e-2))


class Dropout(unittest.TestCase):
    def test_fresh_mask_each_step_same_sequence_for_the_same_seed_nothing_at_inference(self):
        spec = model([200], ('dropout', {'rate': 0.5}))
        a, b = build_model(spec, 4), build_model(spec, 4)
        x = torch.ones(1, 200)
        first, second = a(x), a(x)
        self.assertFalse(torch.equal(first, second))
        self.assertTrue(torch.equal(first, b(x)) and torch.equal(second, b(x)))
        self.assertEqual(set(first.unique().tolist()), {0.0, 2.0})
        a.eval()
        self.assertTrue(torch.equal(a(x), x))

    def test_masks_are_the_tfjs_layers_bit_for_bit(self):
        # fixtures/dropout-masks.json: the tfjs engine's layer on ones, three training calls (makeDropoutMasks.ts)
        with open(os.path.join(os.path.dirname(__file__), 'fixtures', 'dropout-masks.json'), encoding='utf-8') as f:
            cases = json.load(f)['cases']
        for c in cases:
            net = build_model(model(c['input'], ('dropout', {'rate': c['rate']})), c['seed'])
            x = torch.ones(c['batch'], *c['input'])
            for k, expected in enumerate(c['calls']):
                got = net(x).reshape(-1).tolist()  # the net returns channels-last, as the file's layout
                self.assertEqual(got, expected, f"seed {c['seed']} shape {c['input']} call {k}")

    def test_mask_is_mulberry32_per_element_in_channels_last_order(self):
        # The definition, one scalar call at a time: multiplier = floor(f32(u) + f32(keep)) / f32(keep) in float32.
        rate, base, shape = 0.4, 987654321, [2, 6, 5, 3]
        layer = make_layer('dropout', {'rate': rate}, [shape[1:]], 0, base)
        x = torch.arange(1, 1 + 2 * 6 * 5 * 3, dtype=torch.float32).reshape(shape)
        keep = struct_f32(1 - rate)
        for draws in range(3):
            got = to_channels_last(layer(to_internal(x))).reshape(-1).tolist()
            r = make_rng((base + draws * 0x9E3779B1) % 2 ** 31)
            want = []
            for v in x.reshape(-1).tolist():
                m = struct_f32(math.floor(struct_f32(struct_f32(r()) + keep)) / keep)
                want.append(struct_f32(v * m))
            self.assertEqual(got, want, f'call {draws}')
        self.assertEqual(layer.draws, 3)


def struct_f32(v):
    """v rounded to float32 (round to nearest even), as Math.fround."""
    return struct.unpack('f', struct.pack('f', v))[0]


class Normalisations(unittest.TestCase):
    def test_group_and_instance_normalise_per_example_and_group(self):
        x = torch.randn(2, 3, 3, 4) * 5 + 2
        for kind, cfg in (('groupNormalization', {'groups': 2}), ('instanceNormalization', {}), ('layerNormalization', {})):
            net = build_model(model([3, 3, 4], (kind, cfg)), 1)
            y = net(x)
            groups = 2 if kind == 'groupNormalization' else 4
            if kind == 'layerNormalization':
                self.assertTrue(torch.allclose(y.mean(-1), torch.zeros(2, 3, 3), atol=1e-5), kind)
            else:
                g = y.reshape(2, 9, groups, 4 // groups)
                self.assertTrue(torch.allclose(g.mean(dim=(1, 3)), torch.zeros(2, groups), atol=1e-5), kind)

    def test_groups_that_do_not_divide_the_channels_are_refused(self):
        with self.assertRaisesRegex(ValueError, '4 channels do not split into 3 groups'):
            build_model(model([2, 2, 4], ('groupNormalization', {'groups': 3})), 1)


class Building(unittest.TestCase):
    def test_unknown_kinds_and_inputs_are_clear_errors(self):
        with self.assertRaisesRegex(ValueError, "Layer kind 'lstm' has no PyTorch builder"):
            make_layer('lstm', {}, [[3]], 1)
        with self.assertRaisesRegex(ValueError, "takes 'nowhere', which does not exist"):
            build_model(model([3], ('dense', {'units': 2, 'inputs': ['nowhere']})), 1)

    def test_a_layer_that_cannot_take_its_input_is_named(self):
        with self.assertRaisesRegex(ValueError, r"Layer 'reshape_1' \(reshape\) cannot take \[6\]: .*invalid"):
            build_model(model([6], ('reshape', {'targetShape': [4, 2]})), 1)
        with self.assertRaisesRegex(ValueError, r"Layer 'conv2d_1' \(conv2d\) cannot take \[2, 2, 1\]"):
            build_model(model([2, 2, 1], ('conv2d', {'filters': 1, 'kernelSize': [3, 3]})), 1)

    def test_wrong_example_shape_is_refused(self):
        net = build_model(model([3], ('dense', {'units': 2})), 1)
        with self.assertRaisesRegex(ValueError, r'examples of shape \[3\]; it got \[4\]'):
            net(torch.ones(1, 4))

    def test_frozen_layers_do_not_train(self):
        net = build_model(model([3], ('dense', {'units': 2, 'trainable': False}), ('dense', {'units': 1})), 1)
        self.assertEqual([p.requires_grad for p in net.parameters()], [False, False, True, True])


if __name__ == '__main__':
    unittest.main()
