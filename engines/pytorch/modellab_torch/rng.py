"""Seeded randomness exactly as common/random.ts, so both engines see batches in the same order.

JavaScript works on these numbers as unsigned 32-bit integers (>>> 0, Math.imul); Python's
integers are unbounded, so every step is masked back to 32 bits. The floats are IEEE doubles in
both languages, so rng() * (i + 1) rounds the same way and the shuffles agree element for element.
"""
import math

import torch

MASK = 0xFFFFFFFF
STEP = 0x6D2B79F5


def _to_uint32(x) -> int:
    """ToUint32 of a JavaScript number: NaN and infinities are 0, else truncated towards zero, mod 2^32."""
    if isinstance(x, float) and not math.isfinite(x):
        return 0
    return int(x) & MASK


def _imul(a: int, b: int) -> int:
    return (a * b) & MASK


class Mulberry32:
    """mulberry32: calling it gives a float in [0, 1). `floats(n)` gives the next n at once, the same
    numbers as n calls: the generator is a counter (state += STEP) hashed, so each value depends
    only on its position and the stream can be computed as tensors (a shuffle of 60,000 examples
    took ~100 ms one call at a time)."""

    def __init__(self, seed):
        self.state = _to_uint32(seed) or 0x9E3779B9

    def __call__(self) -> float:
        self.state = (self.state + STEP) & MASK
        t = self.state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & MASK
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    def floats(self, n: int, device=None) -> torch.Tensor:
        """The next n values as float64 (on `device`), advancing the state as n calls would."""
        return (self.bits(n, device).to(torch.int64) & MASK).to(torch.float64) / 4294967296

    def bits(self, n: int, device=None) -> torch.Tensor:
        """The 32-bit integers behind the next n values, as int32 (the same bits, signed), advancing the
        state as n calls would. int32 products wrap as Math.imul's do, and half the memory of int64 made
        a 1.6M-value mask 7x faster; shifts are masked to be unsigned (>>>)."""
        t = torch.arange(1, n + 1, dtype=torch.int32, device=device)
        t.mul_(STEP).add_(_signed(self.state))
        self.state = (self.state + n * STEP) & MASK
        t = (t ^ ((t >> 15) & 0x1FFFF)) * (t | 1)
        t ^= (t ^ ((t >> 7) & 0x1FFFFFF)) * (t | 61) + t
        t ^= (t >> 14) & 0x3FFFF
        return t


def _signed(u: int) -> int:
    """A uint32 as the int32 with the same bits."""
    return u - 0x100000000 if u >= 0x80000000 else u


def make_rng(seed) -> Mulberry32:
    """mulberry32 (common/random.ts makeRng): returns a callable giving floats in [0, 1)."""
    return Mulberry32(seed)


def derive_seed(seed, stream: int) -> int:
    """Independent seeds for sub-streams (data, init, shuffle, dropout) from one user seed."""
    h = (_to_uint32(seed) ^ _imul(_to_uint32(stream + 1), 0x85EBCA6B)) & MASK
    h = _imul(h ^ (h >> 16), 0x7FEB352D)
    h = _imul(h ^ (h >> 15), 0x846CA68B)
    return (h ^ (h >> 16)) & MASK


def shuffle_in_place(items, rng):
    """Fisher-Yates from the end, as common/random.ts shuffleInPlace. The swap targets floor(rng() * (i + 1))
    are computed together (float64 products and floors round as JavaScript's do), the swaps one by one."""
    n = len(items)
    if n < 2:
        return items
    ks = torch.arange(n, 1, -1, dtype=torch.float64)  # i + 1 for i = n - 1 .. 1
    targets = torch.floor(rng.floats(n - 1) * ks).to(torch.int64).tolist()
    for i, j in zip(range(n - 1, 0, -1), targets):
        items[i], items[j] = items[j], items[i]
    return items


def gaussian(rng) -> float:
    """Standard normal by Box-Muller, as common/random.ts gaussian."""
    u = 0.0
    while u == 0.0:
        u = rng()
    return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * rng())
