"""Layers applied value by value (activations, dropout) and the merges of a graph model."""
import torch

from .base import KerasLayer, activation
from .layout import internal_axis, to_channels_last
from .rng import Mulberry32

SEED_STEP = 0x9E3779B1
SEED_MOD = 2 ** 31


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
    """The tfjs engine's dropout (engine/train/customLayers/freshMaskDropout.ts), mask for mask: each
    training call takes the next seed of the layer's sequence, and the mask is mulberry32 from that
    seed, one value per element in Keras's (channels-last) order, with tfjs's float32 arithmetic.
    Kept values are scaled by 1 / (1 - rate); nothing changes at inference. `draws` counts training
    calls as the tfjs layer does; a probe that runs the net in train mode puts it back (stats.py)."""

    def __init__(self, cfg, shapes, seeds):
        super().__init__(cfg)
        self.rate = float(cfg['rate'])
        self.base_seed = seeds.keras
        self.draws = 0

    def forward(self, x):
        if not self.training or not 0 < self.rate < 1:
            return x
        seed = mask_seed(self.base_seed, self.draws)
        self.draws += 1
        keras_shape = to_channels_last(x).shape
        m = keep_multiplier(seed, keras_shape, self.rate, x.device)
        if x.dim() == 4:
            m = m.permute(0, 3, 1, 2)
        elif x.dim() == 3:
            m = m.permute(0, 2, 1)
        return x * m.to(x.dtype)


def mask_seed(base_seed, draws):
    """The seed of mask number `draws` (freshMaskDropout.ts maskSeed): an odd step within 31 bits."""
    return (int(base_seed) + draws * SEED_STEP) % SEED_MOD


def keep_multiplier(seed, keras_shape, rate, device=None):
    """What x is multiplied by, in the Keras shape: tfjs's floor(u + keepProb) / keepProb in float32,
    u the mulberry32 stream of `seed` rounded to float32 as tfjs's randomUniform stores it."""
    n = 1
    for d in keras_shape:
        n *= int(d)
    # uint32 -> float32 rounds once, as Math.fround(t / 2^32) does; the scaling by 2^-32 is exact.
    u = (Mulberry32(seed).bits(n, device).to(torch.int64) & 0xFFFFFFFF).to(torch.float32) * 2.0 ** -32
    keep = torch.tensor(1 - rate, dtype=torch.float32, device=device)
    return (torch.floor(u + keep) / keep).reshape(tuple(keras_shape))


def dropout_layers(net):
    return [m for m in net.modules() if isinstance(m, Dropout)]


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
