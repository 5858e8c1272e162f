"""The runner's side of `npm run bench:dropout`: the shared mask (elementwise.py Dropout) against the
runner's former torch.rand + compare, on a channels-first activation of the given Keras shape."""
import statistics
import sys
import time

import torch

from modellab_torch.base import Seeds
from modellab_torch.elementwise import Dropout


def median_ms(f, reps=7):
    f()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main():
    n, h, w, c = (int(d) for d in sys.argv[1].split(','))
    torch.set_num_threads(1)
    x = torch.randn(n, c, h, w)
    g = torch.Generator().manual_seed(7)
    layer = Dropout({'rate': 0.5}, [[h, w, c]], Seeds(0, 7)).train()
    own = median_ms(lambda: x * (torch.rand(x.shape, generator=g) >= 0.5).to(x.dtype) / 0.5)
    shared = median_ms(lambda: layer(x))
    print(f'PyTorch (CPU, 1 thread), {n}x{h}x{w}x{c}: torch.rand + compare {own:.1f} ms, shared mulberry32 mask {shared:.1f} ms (median of 7)')


if __name__ == '__main__':
    main()
