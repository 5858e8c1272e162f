"""Normalisation with Keras's meaning: epsilon 1e-3 by default; batch normalisation's moving
averages follow Keras's momentum (0.99 keeps 99% of the old value; torch would call that 0.01) and
take the batch's biased variance, as tfjs does (torch's BatchNorm would take the unbiased one)."""
import torch
import torch.nn.functional as F

from .base import KerasLayer
from .layout import internal_axis


def torch_momentum(keras_momentum):
    """Keras's momentum (weight of the old moving value) as torch's (weight of the new batch value)."""
    return 1.0 - keras_momentum


def keras_momentum(torch_momentum_value):
    return 1.0 - torch_momentum_value


def _affine(layer, cfg, channels, seeds):
    if cfg.get('scale') is not False:
        layer.add_weight('gamma', [channels], 'gammaInitializer', 'ones', seeds)
    if cfg.get('center') is not False:
        layer.add_weight('beta', [channels], 'betaInitializer', 'zeros', seeds)


def _scale_shift(layer, y, dim):
    shape = [1] * y.dim()
    shape[dim] = -1
    if layer.has_weight('gamma'):
        y = y * layer.weight('gamma').view(shape)
    if layer.has_weight('beta'):
        y = y + layer.weight('beta').view(shape)
    return y


def _keras_axis_size(shape, axis):
    """Size of a Keras axis of a per-example shape (axis counts the batch as 0)."""
    k = axis if axis >= 0 else len(shape) + 1 + axis
    return shape[k - 1]


class BatchNormalization(KerasLayer):
    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)
        self.axis = int(cfg.get('axis', -1))
        self.epsilon = float(cfg.get('epsilon', 1e-3))
        self.momentum = torch_momentum(float(cfg.get('momentum', 0.99)))
        channels = _keras_axis_size(shapes[0], self.axis)
        _affine(self, cfg, channels, seeds)
        self.add_weight('movingMean', [channels], 'movingMeanInitializer', 'zeros', seeds, buffer=True)
        self.add_weight('movingVariance', [channels], 'movingVarianceInitializer', 'ones', seeds, buffer=True)

    def forward(self, x):
        dim = internal_axis(self.axis, x.dim())
        # torch's fused batch norm wants the normalised axis at dimension 1.
        moved = x if dim == 1 else torch.movedim(x, dim, 1)
        gamma = self.weight('gamma') if self.has_weight('gamma') else None
        beta = self.weight('beta') if self.has_weight('beta') else None
        mean_b, var_b = self.weight('movingMean'), self.weight('movingVariance')
        if self.training:
            # Normalised by the batch's own statistics; the moving ones updated here, with the biased
            # variance (F.batch_norm's own update would use the unbiased one).
            y = F.batch_norm(moved, None, None, gamma, beta, True, 0.0, self.epsilon)
            with torch.no_grad():
                dims = [d for d in range(moved.dim()) if d != 1]
                var, mean = torch.var_mean(moved, dim=dims, unbiased=False)
                mean_b.sub_((mean_b - mean) * self.momentum)
                var_b.sub_((var_b - var) * self.momentum)
        else:
            y = F.batch_norm(moved, mean_b, var_b, gamma, beta, False, 0.0, self.epsilon)
        return y if dim == 1 else torch.movedim(y, 1, dim)


class LayerNormalization(KerasLayer):
    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)
        self.axis = int(cfg.get('axis', -1))
        self.epsilon = float(cfg.get('epsilon', 1e-3))
        _affine(self, cfg, _keras_axis_size(shapes[0], self.axis), seeds)

    def forward(self, x):
        dim = internal_axis(self.axis, x.dim())
        var, mean = torch.var_mean(x, dim=dim, unbiased=False, keepdim=True)
        return _scale_shift(self, (x - mean) * torch.rsqrt(var + self.epsilon), dim)


class GroupNormalization(KerasLayer):
    """Per example, over all positions and the channels of each group (groups 0: one channel per
    group, instance normalisation); gamma and beta per channel. Channel c is in group c // (C / G)."""

    def __init__(self, cfg, shapes, seeds, instance=False):
        super().__init__(cfg)
        channels = shapes[0][-1]
        self.groups = channels if instance else int(cfg.get('groups', 32))
        if channels % self.groups:
            raise ValueError(f'{channels} channels do not split into {self.groups} groups.')
        self.epsilon = float(cfg.get('epsilon', 1e-3))
        _affine(self, cfg, channels, seeds)

    def forward(self, x):
        n, c = x.shape[0], x.shape[1]
        if x.dim() == 2:
            # [N, C]: no positions; each group's statistics are over its channels alone.
            grouped = x.reshape(n, self.groups, c // self.groups)
        else:
            grouped = x.reshape(n, self.groups, c // self.groups, -1)
        dims = tuple(range(2, grouped.dim()))
        var, mean = torch.var_mean(grouped, dim=dims, unbiased=False, keepdim=True)
        y = ((grouped - mean) / torch.sqrt(var + self.epsilon)).reshape(x.shape)
        return _scale_shift(self, y, 1)
