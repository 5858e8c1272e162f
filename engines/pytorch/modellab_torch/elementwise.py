"""Layers applied value by value (activations, dropout) and the merges of a graph model."""
import torch

from .base import KerasLayer, activation
from .layout import internal_axis


class Activation(KerasLayer):
    def __init__(self, cfg, shapes, seeds, kind):
        super().__init__(cfg)
        self.kind = kind

    def forward(self, x):
        cfg = self.cfg
        if self.kind == 'activation':
            return activation(cfg['activation'], x)
        if self.kind == 'softmax':
            return activation('softmax', x)
        if self.kind == 'reLU':
            y = torch.relu(x)
            return torch.clamp(y, max=float(cfg['maxValue'])) if cfg.get('maxValue') is not None else y
        if self.kind == 'leakyReLU':
            return torch.nn.functional.leaky_relu(x, float(cfg.get('alpha', 0.3)))
        if self.kind == 'elu':
            return torch.nn.functional.elu(x, float(cfg.get('alpha', 1.0)))
        raise ValueError(f"Unknown activation layer '{self.kind}'.")


class Dropout(KerasLayer):
    """A fresh mask on every training call from the layer's own generator (seeded from the run's
    seed: the same file gives the same sequence of masks); kept values are scaled by 1 / (1 - rate)
    as tfjs does, and nothing changes at inference."""

    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)
        self.rate = float(cfg['rate'])
        self.seed = seeds.next()
        self.generators = {}

    def forward(self, x):
        if not self.training or self.rate <= 0:
            return x
        g = self.generators.get(x.device)
        if g is None:
            g = self.generators[x.device] = torch.Generator(device=x.device)
            g.manual_seed(self.seed)
        keep = torch.rand(x.shape, generator=g, device=x.device) >= self.rate
        return x * keep.to(x.dtype) / (1 - self.rate)


class Merge(KerasLayer):
    def __init__(self, cfg, shapes, seeds, kind):
        super().__init__(cfg)
        self.kind = kind
        self.axis = int(cfg.get('axis', -1))

    def forward(self, *xs):
        if self.kind == 'add':
            return sum(xs[1:], xs[0])
        if self.kind == 'multiply':
            out = xs[0]
            for x in xs[1:]:
                out = out * x
            return out
        return torch.cat(xs, dim=internal_axis(self.axis, xs[0].dim()))
