"""Dense and maxout: the kernel is kept in Keras's [in, out] layout (x @ kernel), so no conversion."""
import torch

from .base import KerasLayer, use_bias


def _on_last_keras_axis(x, fn):
    """Applies fn to the last Keras axis, which is dimension 1 inside for tensors of rank 3 or more."""
    if x.dim() <= 2:
        return fn(x)
    return torch.movedim(fn(torch.movedim(x, 1, -1)), -1, 1)


class Dense(KerasLayer):
    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)
        fan_in, units = shapes[0][-1], int(cfg['units'])
        self.add_weight('kernel', [fan_in, units], 'kernelInitializer', 'glorotUniform', seeds)
        if use_bias(cfg):
            self.add_weight('bias', [units], 'biasInitializer', 'zeros', seeds)

    def forward(self, x):
        def affine(v):
            # addmm: one fused kernel for the product and the bias, as nn.Linear does.
            if self.has_weight('bias') and v.dim() == 2:
                return torch.addmm(self.weight('bias'), v, self.weight('kernel'))
            y = v @ self.weight('kernel')
            return y + self.weight('bias') if self.has_weight('bias') else y
        return self.activate(_on_last_keras_axis(x, affine))


class Maxout(KerasLayer):
    """`units` outputs, each the largest of `pieces` affine functions (columns unit*pieces + piece)."""

    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)
        self.units, self.pieces = int(cfg['units']), int(cfg['pieces'])
        outs = self.units * self.pieces
        self.add_weight('kernel', [shapes[0][-1], outs], 'kernelInitializer', 'glorotUniform', seeds)
        if use_bias(cfg):
            self.add_weight('bias', [outs], 'biasInitializer', 'zeros', seeds)

    def forward(self, x):
        def pieces(v):
            z = v @ self.weight('kernel')
            if self.has_weight('bias'):
                z = z + self.weight('bias')
            return z.reshape(*z.shape[:-1], self.units, self.pieces).amax(dim=-1)
        return _on_last_keras_axis(x, pieces)
