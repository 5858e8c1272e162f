"""Seeded randomness exactly as common/random.ts, so both engines see batches in the same order.

JavaScript works on these numbers as unsigned 32-bit integers (>>> 0, Math.imul); Python's
integers are unbounded, so every step is masked back to 32 bits. The floats are IEEE doubles in
both languages, so rng() * (i + 1) rounds the same way and the shuffles agree element for element.
"""
import math

MASK = 0xFFFFFFFF


def _to_uint32(x) -> int:
    """ToUint32 of a JavaScript number: NaN and infinities are 0, else truncated towards zero, mod 2^32."""
    if isinstance(x, float) and not math.isfinite(x):
        return 0
    return int(x) & MASK


def _imul(a: int, b: int) -> int:
    return (a * b) & MASK


def make_rng(seed):
    """mulberry32: returns a function giving floats in [0, 1)."""
    state = _to_uint32(seed) or 0x9E3779B9

    def rng() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & MASK
        t = state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & MASK
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    return rng


def derive_seed(seed, stream: int) -> int:
    """Independent seeds for sub-streams (data, init, shuffle, dropout) from one user seed."""
    h = (_to_uint32(seed) ^ _imul(_to_uint32(stream + 1), 0x85EBCA6B)) & MASK
    h = _imul(h ^ (h >> 16), 0x7FEB352D)
    h = _imul(h ^ (h >> 15), 0x846CA68B)
    return (h ^ (h >> 16)) & MASK


def shuffle_in_place(items, rng):
    """Fisher-Yates from the end, as common/random.ts shuffleInPlace."""
    for i in range(len(items) - 1, 0, -1):
        j = math.floor(rng() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def gaussian(rng) -> float:
    """Standard normal by Box-Muller, as common/random.ts gaussian."""
    u = 0.0
    while u == 0.0:
        u = rng()
    return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * rng())
