"""Many processes under torchrun (RANK, WORLD_SIZE, LOCAL_RANK in the environment): gloo on CPUs,
nccl on GPUs, DistributedDataParallel over the same network. Each rank takes its contiguous part
of the same global batch in the same order, and its loss is weighted by its share of the batch, so
DDP's mean of the ranks' gradients is the gradient of the whole batch's mean loss: N processes
train the model one process trains with the same global batch (up to float rounding). Every rank
runs the same hooks on the same weights, so validation, schedules and early stopping decide alike;
only the lead rank talks to the host and writes files. One all-reduce per step carries the batch's
loss, its correct count, whether the lead was asked to stop, and each rank's throughput.

The lead is the first rank of the machine where the run was started, not global rank 0: torchrun's
c10d rendezvous numbers the machines by host name (then process id), so rank 0 can be on a machine
that joined, whose host has no panel waiting for the run. Each machine's host says which it is
(MODELLAB_ROLE=join on the others) and names its own copy of the data (MODELLAB_DATA_FILE): a
joining machine cannot read the run folder of the first, and the ranks check that all copies agree.
"""
import hashlib
import os
import socket
import sys
import threading
import time
from datetime import timedelta
from typing import List, Optional

import torch
import torch.distributed as dist

from . import regularizers

# A rank that waits longer than this in a collective gives up: another rank has died or hung.
# The longest gap between collectives is one epoch's validation pass and statistics, which every
# rank does at once, so the wait itself is short; the timeout is the backstop.
COLLECTIVE_TIMEOUT_S = float(os.environ.get('MODELLAB_COLLECTIVE_TIMEOUT', '30'))

_stop = threading.Event()


def local_stop_event() -> threading.Event:
    """What SIGTERM sets on a rank that does not talk to the host."""
    return _stop


class Ranks:
    def __init__(self, rank: int, world: int, local_rank: int, local_world: int):
        self.rank, self.world, self.local_rank, self.local_world = rank, world, local_rank, local_world
        self.model = None
        self.collective_device = torch.device('cpu')
        self.samples = [0] * world
        self.busy = [0.0] * world
        self._last_samples: Optional[List[float]] = None
        self._last_busy: Optional[List[float]] = None
        self._speeds: List[float] = [0.0] * world
        self.lead = 0  # the rank that reports to the host (init)
        self.hosts: List[str] = []  # each rank's machine, by global rank

    @property
    def is_lead(self) -> bool:
        return self.rank == self.lead

    def init(self) -> None:
        # The group is made before the start message arrives, so the host names the device in MODELLAB_DEVICE.
        backend = 'nccl' if torch.cuda.is_available() and os.environ.get('MODELLAB_DEVICE', 'auto') in ('auto', 'cuda') else 'gloo'
        self.collective_device = torch.device('cuda', self.local_rank) if backend == 'nccl' else torch.device('cpu')
        dist.init_process_group(backend, timeout=timedelta(seconds=COLLECTIVE_TIMEOUT_S))
        started_here = os.environ.get('MODELLAB_ROLE', 'main') != 'join'
        everyone: List[Optional[tuple]] = [None] * self.world
        dist.all_gather_object(everyone, (started_here, socket.gethostname()))
        self.hosts = [str(h) for _, h in everyone]
        self.lead = choose_lead([bool(m) for m, _ in everyone])
        if self.local_rank == 0:
            # The host's cue that the machines met (its "waiting for machines" ends here).
            print(f'Model Lab: all {self.world} ranks met on {len(set(self.hosts))} machine(s); rank {self.lead} '
                  f'on {self.hosts[self.lead]} reports the run.', file=sys.stderr, flush=True)

    def check_same_data(self, digest: str) -> None:
        """Every machine loaded its own copy of the data: they must be the lead's, byte for byte."""
        digests: List[Optional[str]] = [None] * self.world
        dist.all_gather_object(digests, digest)
        odd = [r for r, d in enumerate(digests) if d != digests[self.lead]]
        if odd:
            r = odd[0]
            raise DataMismatch(f'The data on {self.hosts[r]} (rank {r}) differs from the data on {self.hosts[self.lead]}, '
                               'where the run was started: every machine must train the same model file with the same data files.')

    def threads_per_rank(self) -> int:
        return max(1, (os.cpu_count() or 1) // self.local_world)

    def share_start(self, channel) -> Optional[dict]:
        """The lead reads the host's start message and hands it to every rank."""
        box = [channel.wait_start() if self.is_lead else None]
        dist.broadcast_object_list(box, src=self.lead)
        return box[0]

    def wrap(self, net):
        from torch.nn.parallel import DistributedDataParallel
        on_gpu = next(net.parameters()).is_cuda if any(True for _ in net.parameters()) else False
        self.model = DistributedDataParallel(net, device_ids=[self.local_rank] if on_gpu else None)
        return self.model

    def part(self, idx: torch.Tensor) -> slice:
        """This rank's contiguous share of a global batch (sizes differ by at most one)."""
        n = len(idx)
        base, extra = divmod(n, self.world)
        start = self.rank * base + min(self.rank, extra)
        return slice(start, start + base + (1 if self.rank < extra else 0))

    def train_step(self, trainer, idx: torch.Tensor):
        """One optimizer step of the global batch idx, this rank taking its part: (loss, accuracy, stop)."""
        t0 = time.perf_counter()
        ctx = trainer.ctx
        x_all, y_all = trainer.batch(idx)  # the whole batch, so augmentation draws as one process does
        mine = self.part(idx)
        x, y = x_all[mine], y_all[mine]
        n, n_global = len(x), len(idx)
        self.model.train()
        p = trainer.objective.outputs(self.model, x)
        data_loss = trainer.objective.value(y, p) if n else p.sum() * 0
        penalty = regularizers.penalty(trainer.net, trainer.spec, trainer.penalty_terms)
        # DDP averages over ranks: weighting by n * world / n_global makes that the whole batch's mean.
        trainer.optimizer.zero_grad(set_to_none=True)
        (data_loss * (n * self.world / n_global) + penalty).backward()
        if ctx.tap_gradients:
            ctx.tap_gradients(trainer.net)
        from .optimizers import clip
        clip(trainer.spec, trainer.net.parameters())
        trainer.optimizer.step()
        correct = trainer.objective.correct(y, p) if trainer.want_acc and n else 0
        self.samples[self.rank] += n
        self.busy[self.rank] += time.perf_counter() - t0
        totals = torch.zeros(3 + 2 * self.world, dtype=torch.float64)
        totals[0] = float(data_loss.detach()) * n
        totals[1] = correct
        totals[2] = 1.0 if trainer.stop() else 0.0
        totals[3 + self.rank] = self.samples[self.rank]
        totals[3 + self.world + self.rank] = self.busy[self.rank]
        totals = totals.to(self.collective_device)
        dist.all_reduce(totals)
        totals = totals.cpu()
        self.samples = totals[3:3 + self.world].tolist()
        self.busy = totals[3 + self.world:].tolist()
        loss = float(totals[0]) / n_global + float(penalty.detach() if torch.is_tensor(penalty) else penalty)
        acc = float(totals[1]) / n_global if trainer.want_acc else None
        return loss, acc, bool(totals[2] > 0)

    def agree_stop(self, local: bool) -> bool:
        """Whether any rank was asked to stop (only the lead hears the host)."""
        flag = torch.tensor([1.0 if local else 0.0], device=self.collective_device)
        dist.all_reduce(flag)
        return bool(flag[0] > 0)

    def speeds(self) -> List[float]:
        """Each rank's samples per second of its own work since the previous call (progress messages)."""
        if self._last_samples is not None:
            self._speeds = [(s - ls) / (b - lb) if b > lb else sp
                            for s, ls, b, lb, sp in zip(self.samples, self._last_samples, self.busy, self._last_busy, self._speeds)]
        self._last_samples, self._last_busy = list(self.samples), list(self.busy)
        return [round(v, 1) for v in self._speeds]

    def shutdown(self) -> None:
        if dist.is_initialized():
            try:
                dist.destroy_process_group()
            except (RuntimeError, ValueError):
                pass


class DataMismatch(Exception):
    """The machines of one run loaded different data."""


def choose_lead(started_here: List[bool]) -> int:
    """The first rank on a machine where the run was started (its ranks are contiguous), else rank 0
    (every machine joined: whichever host holds rank 0 reports)."""
    return next((r for r, here in enumerate(started_here) if here), 0)


def data_digest(json_path: str) -> str:
    """The data files' content, to compare machines (data.json and data.bin, as data.py reads them)."""
    h = hashlib.sha256()
    for path in (json_path, os.path.join(os.path.dirname(json_path), 'data.bin')):
        with open(path, 'rb') as f:
            for chunk in iter(lambda: f.read(1 << 20), b''):
                h.update(chunk)
        h.update(b'\0')
    return h.hexdigest()


def watch_host(stop: threading.Event, interval_s: float = 1.0) -> None:
    """Stops this rank when its machine's host process is gone (MODELLAB_HOST_PID). The lead hears
    its host's socket close; the other ranks, on a joining machine above all, have no socket, and
    torchrun runs on without the host that started it."""
    pid = int(os.environ.get('MODELLAB_HOST_PID') or 0)
    if pid <= 0:
        return

    def watch() -> None:
        while not stop.wait(interval_s):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                stop.set()
            except PermissionError:
                pass  # alive, another user's: not ours to judge

    threading.Thread(target=watch, name='modellab-host-watch', daemon=True).start()


def from_environment() -> Optional[Ranks]:
    """The ranks torchrun describes, or None for one process."""
    world = int(os.environ.get('WORLD_SIZE', '1'))
    if world <= 1:
        return None
    return Ranks(int(os.environ['RANK']), world, int(os.environ.get('LOCAL_RANK', '0')),
                 int(os.environ.get('LOCAL_WORLD_SIZE', str(world))))
