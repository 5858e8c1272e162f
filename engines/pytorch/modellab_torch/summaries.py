"""Value summaries, the numbers that cross to the host instead of a tensor's values, computed as
engine/stats/summarize.ts and targets.ts compute them (in float64, as JavaScript's numbers), and the
byte encoding of maps and filters (common/stats/mapCodec.ts)."""
import base64
import math
from typing import List, Optional

import torch

DEFAULT_BINS = 30
# "Near zero": within 1% of the tensor's largest magnitude (summarize.ts NEAR_ZERO).
NEAR_ZERO = 0.01


def round4(v: float) -> float:
    """4 significant digits (toPrecision(4)); zero, NaN and infinities as they are."""
    v = float(v)
    if v == 0 or not math.isfinite(v):
        return v
    return float(f'{v:.4g}')


def round4_all(values) -> List[float]:
    return [round4(v) for v in (values.tolist() if isinstance(values, torch.Tensor) else values)]


def summarize(t: torch.Tensor, bins: int = DEFAULT_BINS) -> dict:
    # summarize.ts's numbers in few passes over the values: a dense kernel's summary was most of an
    # epoch's statistics. One float64 copy, reused as scratch; counts are sums of 0/1 float64s (exact,
    # and a fifth of a bool tensor's sum); min and max first, as finite bounds mean every value is finite.
    v = t.detach().reshape(-1).to('cpu', torch.float64)
    n = v.numel()
    lo_hi = torch.aminmax(v) if n else None
    if lo_hi is not None and math.isfinite(float(lo_hi[0])) and math.isfinite(float(lo_hi[1])):
        nan, finite, f = 0, n, v
    else:
        finite_mask = torch.isfinite(v)
        nan, f = int(torch.isnan(v).sum()), v[finite_mask]
        finite = f.numel()
        lo_hi = torch.aminmax(f) if finite else None
    inf = n - finite - nan
    scratch = torch.empty_like(f)
    if finite:
        lo, hi, mean = float(lo_hi[0]), float(lo_hi[1]), float(f.mean())
        torch.sub(f, mean, out=scratch)
        std = float(scratch.pow_(2).sum() / finite) ** 0.5
    else:
        lo = hi = mean = std = 0.0
    width = (hi - lo) / bins
    if finite and width > 0:
        # (f - lo) / width is never negative: clamping before truncating is floor then clamp.
        torch.sub(f, lo, out=scratch)
        b = scratch.div_(width).clamp_(max=bins - 1).to(torch.int32)
        counts = torch.bincount(b, minlength=bins).tolist()
    else:
        counts = [finite] + [0] * (bins - 1)
    small = NEAR_ZERO * max(abs(lo), abs(hi))
    magnitude = torch.abs(f)
    zeros = int(torch.eq(magnitude, 0, out=scratch).sum())
    near = int(torch.le(magnitude, small, out=scratch).sum())
    return {
        'count': n, 'min': round4(lo), 'max': round4(hi), 'mean': round4(mean), 'std': round4(std),
        'zeros': zeros, 'nearZero': near, 'nan': nan, 'inf': inf,
        'hist': {'lo': round4(lo), 'hi': round4(hi), 'counts': [float(c) for c in counts]},
    }


def l2_norm(t: torch.Tensor) -> float:
    """The L2 norm of a tensor's values in float64 (a dot product: ~7x faster than torch's norm, equal to ~1e-14)."""
    v = t.detach().reshape(-1).to('cpu', torch.float64)
    return math.sqrt(float(torch.dot(v, v))) if v.numel() else 0.0


def dead_fraction(t: torch.Tensor) -> float:
    """Fraction of units (the last axis) never positive on any row: dead ReLUs."""
    if t.numel() == 0:
        return 0.0
    units = t.shape[-1]
    alive = (t.reshape(-1, units) > 0).any(0)
    return (units - int(alive.sum())) / units


def saturated_fraction(t: torch.Tensor, activation: str) -> float:
    """Fraction of outputs in the flat tails: sigmoid below 0.02 or above 0.98, tanh beyond ±0.96."""
    if t.numel() == 0:
        return 0.0
    tails = (t < 0.02) | (t > 0.98) if activation == 'sigmoid' else t.abs() > 0.96
    return float(tails.sum()) / t.numel()


def fans(shape: List[int]):
    """tfjs computeFans: a dense kernel [in, out]; a conv kernel [kh, kw, in, out] times its window."""
    if len(shape) == 2:
        return shape[0], shape[1]
    field = 1
    for d in shape[:-2]:
        field *= d
    return field * shape[-2], field * shape[-1]


RELU_LIKE = {'relu', 'relu6', 'elu', 'swish'}


def init_target(shape: List[int], activation: Optional[str], init: Optional[dict]) -> dict:
    """The std the recommended rule gives this kernel, and the file's initializer's own (targets.ts)."""
    fan_in, fan_out = fans(shape)
    glorot = math.sqrt(2 / (fan_in + fan_out))
    he = math.sqrt(2 / fan_in)
    lecun = math.sqrt(1 / fan_in)
    rule = 'he' if activation in RELU_LIKE else 'lecun' if activation == 'selu' else 'glorot'
    std = he if rule == 'he' else lecun if rule == 'lecun' else glorot
    name = (init or {}).get('name', 'glorotUniform')
    o = (init or {}).get('options') or {}
    own = {
        # tfjs draws the *Normal ones from a normal cut at two std, not widened first: 0.8796 of the std is left.
        'glorotNormal': glorot * 0.8796, 'glorotUniform': glorot, 'heNormal': he * 0.8796, 'heUniform': he,
        'leCunNormal': lecun * 0.8796, 'lecunNormal': lecun * 0.8796, 'leCunUniform': lecun, 'lecunUniform': lecun,
        'randomNormal': o.get('stddev', 0.05), 'truncatedNormal': o.get('stddev', 0.05) * 0.8796,
        'randomUniform': (o.get('maxval', 0.05) - o.get('minval', -0.05)) / math.sqrt(12), 'zeros': 0, 'ones': 0, 'constant': 0,
    }.get(name)
    target = {'rule': rule, 'std': round4(std), 'initializer': name}
    if own is not None:
        target['initializerStd'] = round4(own)
    return {'fanIn': fan_in, 'fanOut': fan_out, 'target': target}


def quantize_maps(values: torch.Tensor, shape: List[int], count: int) -> dict:
    """`count` examples of (h, w, c) maps as signed bytes, one scale per example and channel (mapCodec.ts)."""
    h, w, c = shape
    per = h * w * c
    v = values.detach().reshape(-1)[:per * count].to('cpu', torch.float64).reshape(count, h * w, c)
    a = v.abs()
    scale = torch.where(torch.isfinite(a), a, torch.zeros_like(a)).amax(1)  # [count, c]
    ratio = v / torch.where(scale > 0, scale, torch.ones_like(scale)).unsqueeze(1) * 127
    q = torch.floor(ratio + 0.5)  # Math.round: halves go up
    q = torch.where(torch.isfinite(v), q, torch.where(v > 0, torch.full_like(v, 127.0), torch.full_like(v, -127.0)))
    q = torch.where(scale.unsqueeze(1) > 0, q, torch.zeros_like(q)).clamp(-127, 127).to(torch.int8)
    raw = q.reshape(count, per)
    # The scales go as float32 (Math.fround), as the page decodes them.
    return {'scales': scale.to(torch.float32).tolist(),
            'bytes': [base64.b64encode(bytes(raw[e].view(torch.uint8).tolist())).decode('ascii') for e in range(count)]}
