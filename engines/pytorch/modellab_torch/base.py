"""What every layer module shares: weights kept in torch's layout but named, shaped and initialised
the Keras way (each weight knows how to convert to and from its Keras layout), and the activation
functions a layer option can name."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import init as initializers
from .layout import channel_dim


def identity(t):
    return t


class Seeds:
    """Seeds for the initializers of one layer: the layer's seed, then one more per initializer.
    `keras` is the tfjs engine's seed for the layer (buildModel.ts: deriveSeed(train.seed, 1000 + i)),
    which its dropout masks start from."""

    def __init__(self, seed, keras=None):
        self.seed = seed
        self.keras = seed if keras is None else keras
        self.n = 0

    def next(self):
        s = self.seed + self.n
        self.n += 1
        return s


class KerasLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self._entries = []
        self._names = set()  # has_weight is asked on every forward pass

    def add_weight(self, name, keras_shape, cfg_key, default, seeds, to_keras=identity, from_keras=identity, buffer=False):
        """A weight named as Keras names it, initialised in the Keras layout by the option `cfg_key`
        (or `default`), stored converted by from_keras. Buffers are not trained (moving statistics)."""
        value = initializers.initial_value(initializers.spec_of(self.cfg.get(cfg_key), default), keras_shape, seeds.next())
        value = from_keras(value).contiguous()
        attr = 'w_' + name
        if buffer:
            self.register_buffer(attr, value)
        else:
            trainable = self.cfg.get('trainable') is not False
            self.register_parameter(attr, nn.Parameter(value, requires_grad=trainable))
        self._entries.append((name, attr, to_keras, from_keras))
        self._names.add(name)

    def weight(self, name):
        return getattr(self, 'w_' + name)

    def has_weight(self, name):
        return name in self._names

    def keras_entries(self):
        """(keras_name, tensor, to_keras, from_keras) for each weight, in Keras's order."""
        return [(name, getattr(self, attr), to_k, from_k) for name, attr, to_k, from_k in self._entries]

    def activate(self, x):
        return activation(self.cfg.get('activation', 'linear'), x)


def use_bias(cfg):
    return cfg.get('useBias') is not False


def activation(name, x):
    """tfjs's activations. softmax is over the last Keras axis (the channels inside)."""
    if name is None or name == 'linear':
        return x
    if name == 'relu':
        return F.relu(x)
    if name == 'relu6':
        # relu first: tfjs's gradient is 0 at exactly 0 (a bare clamp would pass it there).
        return torch.clamp(F.relu(x), max=6.0)
    if name == 'sigmoid':
        return torch.sigmoid(x)
    if name == 'tanh':
        return torch.tanh(x)
    if name == 'elu':
        return F.elu(x)
    if name == 'selu':
        return F.selu(x)
    if name == 'softplus':
        return F.softplus(x)
    if name == 'softsign':
        return x / (1 + torch.abs(x))
    if name == 'hardSigmoid':
        # tfjs: clip(0.2 x + 0.5, 0, 1) (Keras 2's slope, not torch's 1/6).
        return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)
    if name == 'swish':
        return x * torch.sigmoid(x)
    if name == 'softmax':
        return torch.softmax(x, dim=channel_dim(x))
    raise ValueError(f"Unknown activation '{name}'.")
