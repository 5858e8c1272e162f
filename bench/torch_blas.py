"""Which BLAS PyTorch runs on, for `npm run bench`: one JSON line with the BLAS libraries mapped into
this process, OpenBLAS's core and configuration, and a timed 1024 sgemm on one thread. The code is
the runner's (engines/pytorch/modellab_torch/blas.py), so the bench and the engine judge alike. Run
it with the same environment as the reference (bench/train-speed.ts)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'engines', 'pytorch'))
from modellab_torch.blas import measure  # noqa: E402

print(json.dumps(measure()))
