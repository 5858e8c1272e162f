"""Keras/tfjs initializers by name, drawn from a seeded torch.Generator in the Keras layout of the
weight (fans are read from the Keras shape, as tfjs reads them) and then converted to the torch layout
by the caller. The numbers differ from tfjs's (another generator); the distributions are the same.
"""
import math

import torch

# tfjs's VarianceScaling 'normal' draws a truncated normal with stddev sqrt(scale / n) without
# Keras 2's 0.8796 correction; the lab's reference engine is tfjs, so this follows tfjs.
_VARIANCE_SCALING = {
    'glorotUniform': (1.0, 'fanAvg', 'uniform'),
    'glorotNormal': (1.0, 'fanAvg', 'normal'),
    'heUniform': (2.0, 'fanIn', 'uniform'),
    'heNormal': (2.0, 'fanIn', 'normal'),
    'lecunUniform': (1.0, 'fanIn', 'uniform'),
    'leCunUniform': (1.0, 'fanIn', 'uniform'),
    'lecunNormal': (1.0, 'fanIn', 'normal'),
    'leCunNormal': (1.0, 'fanIn', 'normal'),
}

INITIALIZER_NAMES = tuple(_VARIANCE_SCALING) + (
    'randomNormal', 'randomUniform', 'truncatedNormal', 'zeros', 'ones', 'constant', 'orthogonal')


def fans(shape):
    """(fan_in, fan_out) of a Keras-layout shape as tfjs's computeFans reads it: [in, out], or
    [*window, in, out] for ranks 3 to 5. Any other rank (a bias, gamma or beta of rank 1) has both
    fans sqrt(size): a glorot bias of 256 values takes fan 16, not 256 (twice the spread)."""
    if len(shape) == 2:
        return shape[0], shape[1]
    if 3 <= len(shape) <= 5:
        receptive = math.prod(shape[:-2])
        return shape[-2] * receptive, shape[-1] * receptive
    root = math.sqrt(math.prod(shape))
    return root, root


def generator(seed):
    g = torch.Generator()
    g.manual_seed(int(seed) % (2 ** 63))
    return g


def truncated_normal(shape, mean, stddev, g):
    """Normal values cut at two standard deviations (tf.truncatedNormal), by inverting the CDF of
    a uniform draw restricted to the kept band."""
    lo = 0.5 * (1 + math.erf(-2 / math.sqrt(2)))
    u = torch.rand(shape, generator=g, dtype=torch.float64) * (1 - 2 * lo) + lo
    z = math.sqrt(2) * torch.erfinv(2 * u - 1)
    return (z * stddev + mean).to(torch.float32)


def orthogonal(shape, gain, g):
    rows = math.prod(shape[:-1]) if len(shape) > 1 else 1
    cols = shape[-1]
    flat = torch.randn((max(rows, cols), min(rows, cols)), generator=g, dtype=torch.float64)
    q, r = torch.linalg.qr(flat)
    q = q * torch.sign(torch.diagonal(r))
    if rows < cols:
        q = q.t()
    return (gain * q).reshape(shape).to(torch.float32)


def initial_value(spec, shape, seed):
    """A float32 tensor of the Keras `shape` drawn by the initializer `spec` ({name, options})."""
    name = spec['name']
    o = spec.get('options') or {}
    shape = [int(d) for d in shape]
    g = generator(seed)
    if name in _VARIANCE_SCALING:
        scale, mode, dist = _VARIANCE_SCALING[name]
        fan_in, fan_out = fans(shape)
        n = fan_in if mode == 'fanIn' else (fan_in + fan_out) / 2
        s = scale / max(1.0, n)
        if dist == 'uniform':
            limit = math.sqrt(3 * s)
            return (torch.rand(shape, generator=g) * 2 - 1) * limit
        return truncated_normal(shape, 0.0, math.sqrt(s), g)
    if name == 'randomNormal':
        return torch.randn(shape, generator=g) * o.get('stddev', 0.05) + o.get('mean', 0.0)
    if name == 'randomUniform':
        lo, hi = o.get('minval', -0.05), o.get('maxval', 0.05)
        return torch.rand(shape, generator=g) * (hi - lo) + lo
    if name == 'truncatedNormal':
        return truncated_normal(shape, o.get('mean', 0.0), o.get('stddev', 0.05), g)
    if name == 'zeros':
        return torch.zeros(shape)
    if name == 'ones':
        return torch.ones(shape)
    if name == 'constant':
        return torch.full(shape, float(o.get('value', 0.0)))
    if name == 'orthogonal':
        return orthogonal(shape, o.get('gain', 1.0), g)
    raise ValueError(f"Unknown initializer '{name}'; known: {', '.join(INITIALIZER_NAMES)}.")


def spec_of(value, default_name):
    """The initializer a layer option names ({name, options} as the host sends it), or the default."""
    if value is None:
        return {'name': default_name, 'options': {}}
    if isinstance(value, str):
        return {'name': value, 'options': {}}
    return {'name': value['name'], 'options': value.get('options') or {}}
