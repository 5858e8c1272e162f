"""Convolutions with Keras's kernels, padding and strides. Kernels are stored in torch's layout;
each weight converts to Keras's ([k, in, out], [kh, kw, in, out], transposed [kh, kw, out, in],
depthwise [kh, kw, in, multiplier]) for the weights file and the statistics."""
import torch.nn.functional as F

from .base import KerasLayer, use_bias
from .layout import conv_same, pair, same_pads, single


def _conv_to_keras(t):  # [out, in, *k] -> [*k, in, out]
    return t.permute(*range(2, t.dim()), 1, 0)


def _conv_from_keras(t):  # [*k, in, out] -> [out, in, *k]
    n = t.dim()
    return t.permute(n - 1, n - 2, *range(n - 2))


class Conv(KerasLayer):
    """conv1d and conv2d (rank 1 or 2)."""

    def __init__(self, cfg, shapes, seeds, rank):
        super().__init__(cfg)
        self.rank = rank
        read = pair if rank == 2 else (lambda v, f: (single(v, f),))
        self.kernel = read(cfg.get('kernelSize'), 1)
        self.strides = read(cfg.get('strides'), 1)
        self.dilation = read(cfg.get('dilationRate'), 1)
        self.same = cfg.get('padding', 'valid') == 'same'
        filters, channels = int(cfg['filters']), shapes[0][-1]
        self.add_weight('kernel', [*self.kernel, channels, filters], 'kernelInitializer', 'glorotUniform', seeds,
                        _conv_to_keras, _conv_from_keras)
        if use_bias(cfg):
            self.add_weight('bias', [filters], 'biasInitializer', 'zeros', seeds)

    def forward(self, x):
        x, padding = conv_same(x, self.kernel, self.strides, self.dilation) if self.same else (x, 0)
        conv = F.conv2d if self.rank == 2 else F.conv1d
        bias = self.weight('bias') if self.has_weight('bias') else None
        return self.activate(conv(x, self.weight('kernel'), bias, self.strides, padding, self.dilation))


class Conv2dTranspose(KerasLayer):
    """Keras's output size: 'same' gives size * stride; 'valid' size * stride + max(k - s, 0). The
    full transposed convolution is cropped (TF crops the start by the forward 'same' padding) or
    padded with zeros, and the bias is added after, so positions no kernel reaches hold the bias."""

    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)
        self.kernel = pair(cfg.get('kernelSize'), 1)
        self.strides = pair(cfg.get('strides'), 1)
        self.same = cfg.get('padding', 'valid') == 'same'
        filters, channels = int(cfg['filters']), shapes[0][-1]
        # Keras [kh, kw, filters, in] <-> torch [in, filters, kh, kw]
        self.add_weight('kernel', [*self.kernel, filters, channels], 'kernelInitializer', 'glorotUniform', seeds,
                        lambda t: t.permute(2, 3, 1, 0), lambda t: t.permute(3, 2, 0, 1))
        if use_bias(cfg):
            self.add_weight('bias', [filters], 'biasInitializer', 'zeros', seeds)

    def forward(self, x):
        y = F.conv_transpose2d(x, self.weight('kernel'), None, self.strides)
        pads = []
        for axis in (1, 0):
            size, k, s = x.shape[2 + axis], self.kernel[axis], self.strides[axis]
            want = size * s if self.same else size * s + max(k - s, 0)
            start = same_pads(want, k, s)[0] if self.same else 0
            have = y.shape[2 + axis]
            pads.extend([-start, want - (have - start)])
        y = F.pad(y, pads)
        if self.has_weight('bias'):
            y = y + self.weight('bias').view(1, -1, 1, 1)
        return self.activate(y)


class DepthwiseConv2d(KerasLayer):
    """Each input channel convolved with its own `depthMultiplier` kernels (groups = channels);
    output channel c * multiplier + m, as in TF. separableConv2d adds a 1x1 pointwise kernel."""

    def __init__(self, cfg, shapes, seeds, separable=False):
        super().__init__(cfg)
        self.kernel = pair(cfg.get('kernelSize'), 1)
        self.strides = pair(cfg.get('strides'), 1)
        self.dilation = pair(cfg.get('dilationRate'), 1)
        self.same = cfg.get('padding', 'valid') == 'same'
        self.channels = channels = shapes[0][-1]
        mult = int(cfg.get('depthMultiplier', 1))
        kh, kw = self.kernel
        self.add_weight('depthwiseKernel', [kh, kw, channels, mult], 'depthwiseInitializer', 'glorotUniform', seeds,
                        lambda t: t.reshape(channels, mult, kh, kw).permute(2, 3, 0, 1),
                        lambda t: t.permute(2, 3, 0, 1).reshape(channels * mult, 1, kh, kw))
        out = channels * mult
        self.separable = separable
        if separable:
            out = int(cfg['filters'])
            self.add_weight('pointwiseKernel', [1, 1, channels * mult, out], 'pointwiseInitializer', 'glorotUniform', seeds,
                            _conv_to_keras, _conv_from_keras)
        if use_bias(cfg):
            self.add_weight('bias', [out], 'biasInitializer', 'zeros', seeds)

    def forward(self, x):
        x, padding = conv_same(x, self.kernel, self.strides, self.dilation) if self.same else (x, 0)
        bias = self.weight('bias') if self.has_weight('bias') else None
        y = F.conv2d(x, self.weight('depthwiseKernel'), None if self.separable else bias,
                     self.strides, padding, self.dilation, groups=self.channels)
        if self.separable:
            y = F.conv2d(y, self.weight('pointwiseKernel'), bias)
        return self.activate(y)
