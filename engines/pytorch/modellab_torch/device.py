"""Where the run trains: `device: auto` is CUDA when there is a GPU, MPS on Apple silicon, else the
CPU with every core (one thread per core unless the host says how many)."""
import os
from typing import Optional, Tuple

import torch


class DeviceError(Exception):
    """The asked device is not there; the message says what is."""


def _mps_available() -> bool:
    mps = getattr(torch.backends, 'mps', None)
    return bool(mps and mps.is_available())


def choose(name: str, threads: Optional[int] = None, local_rank: int = 0) -> Tuple[torch.device, str]:
    """The torch device and the label RunInfo.backend shows, e.g. "pytorch (cuda:0)"."""
    if name == 'auto':
        name = 'cuda' if torch.cuda.is_available() else 'mps' if _mps_available() else 'cpu'
    if name == 'cuda':
        if not torch.cuda.is_available():
            raise DeviceError('device: cuda was asked for, but this PyTorch sees no CUDA GPU '
                              f'(torch {torch.__version__}, built {"with" if torch.version.cuda else "without"} CUDA); '
                              'use device: auto or cpu.')
        index = local_rank % torch.cuda.device_count()
        torch.cuda.set_device(index)
        return torch.device('cuda', index), f'pytorch (cuda:{index})'
    if name == 'mps':
        if not _mps_available():
            raise DeviceError('device: mps was asked for, but this PyTorch has no Apple GPU (MPS) backend here; use device: auto or cpu.')
        return torch.device('mps'), 'pytorch (mps)'
    if name != 'cpu':
        raise DeviceError(f'Unknown device {name!r}: use auto, cpu, cuda or mps.')
    n = threads or os.cpu_count() or 1
    torch.set_num_threads(n)
    return torch.device('cpu'), 'pytorch (cpu)'
