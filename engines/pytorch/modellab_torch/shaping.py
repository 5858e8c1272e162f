"""Layers without weights that move or pool values: pooling (TF's 'same' padding: max ignores the
padding, average divides by the values inside the input only), global pooling, flatten and reshape
(in Keras's channels-last order), zero padding and upsampling (tfjs's bilinear: no half-pixel
centres, source = target / scale)."""
import math

import torch
import torch.nn.functional as F

from .base import KerasLayer
from .layout import pad_same, pair, single, to_channels_last, to_internal


class Pool(KerasLayer):
    def __init__(self, cfg, shapes, seeds, rank, op):
        super().__init__(cfg)
        read = pair if rank == 2 else (lambda v, f: (single(v, f),))
        self.size = read(cfg.get('poolSize'), 2)
        self.strides = self.size if cfg.get('strides') is None else read(cfg.get('strides'), 1)
        self.same = cfg.get('padding', 'valid') == 'same'
        self.rank, self.op = rank, op

    def forward(self, x):
        ones = [1] * self.rank
        if self.op == 'max':
            if self.same:
                x = pad_same(x, self.size, self.strides, ones, value=-math.inf)
            return (F.max_pool2d if self.rank == 2 else F.max_pool1d)(x, self.size, self.strides)
        avg = F.avg_pool2d if self.rank == 2 else F.avg_pool1d
        if not self.same:
            return avg(x, self.size, self.strides)
        inside = torch.ones((1, 1, *x.shape[2:]), dtype=x.dtype, device=x.device)
        summed = avg(pad_same(x, self.size, self.strides, ones), self.size, self.strides)
        share = avg(pad_same(inside, self.size, self.strides, ones), self.size, self.strides)
        return summed / share


class GlobalPool(KerasLayer):
    def __init__(self, cfg, shapes, seeds, op):
        super().__init__(cfg)
        self.op = op

    def forward(self, x):
        dims = tuple(range(2, x.dim()))
        return x.amax(dim=dims) if self.op == 'max' else x.mean(dim=dims)


class Flatten(KerasLayer):
    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)

    def forward(self, x):
        return to_channels_last(x).reshape(x.shape[0], -1)


class Reshape(KerasLayer):
    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)
        self.target = [int(d) for d in cfg['targetShape']]

    def forward(self, x):
        return to_internal(to_channels_last(x).reshape(x.shape[0], *self.target))


class ZeroPadding2d(KerasLayer):
    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)
        self.rows, self.cols = pair(cfg.get('padding'), 1)

    def forward(self, x):
        return F.pad(x, (self.cols, self.cols, self.rows, self.rows))


def _legacy_bilinear_axis(x, dim, scale):
    """Linear interpolation along one axis at source positions target / scale (tfjs's
    resizeBilinear without alignCorners or half-pixel centres)."""
    size = x.shape[dim]
    src = torch.arange(size * scale, device=x.device, dtype=torch.float32) / scale
    lo = torch.floor(src).long().clamp(max=size - 1)
    hi = (lo + 1).clamp(max=size - 1)
    frac = (src - lo.float()).view([-1 if d == dim else 1 for d in range(x.dim())]).to(x.dtype)
    a, b = x.index_select(dim, lo), x.index_select(dim, hi)
    return a + (b - a) * frac


class UpSampling2d(KerasLayer):
    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)
        self.size = pair(cfg.get('size'), 2)
        self.bilinear = cfg.get('interpolation') == 'bilinear'

    def forward(self, x):
        sh, sw = self.size
        if self.bilinear:
            return _legacy_bilinear_axis(_legacy_bilinear_axis(x, 2, sh), 3, sw)
        return x.repeat_interleave(sh, dim=2).repeat_interleave(sw, dim=3)
