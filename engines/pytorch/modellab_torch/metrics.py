"""What the loop reports, with the tfjs engine's meaning (engine/train/loop.ts, trainStep.ts,
losses.ts, coalesce.ts): accuracy as a count of correct predictions, Keras-style running means
over an epoch, the paired standard error of a change in validation loss, and progress coalesced to
at most ~20 messages a second.
"""
import math
import threading
import time
from typing import Callable, List, Optional

import torch


def correct_count(y: torch.Tensor, p: torch.Tensor) -> int:
    """Correct predictions: threshold 0.5 for one output unit, arg-max otherwise (losses.ts correctCount)."""
    if p.shape[-1] == 1:
        return int(((p > 0.5) == (y > 0.5)).sum().item())
    return int((p.argmax(-1) == y.argmax(-1)).sum().item())


class EpochSums:
    """Loss and accuracy weighted by batch size, so that the epoch's figure is the mean over examples."""

    def __init__(self):
        self.loss_sum = 0.0
        self.correct = 0.0
        self.seen = 0

    def add(self, loss: float, accuracy: Optional[float], n: int) -> None:
        self.loss_sum += loss * n
        self.correct += (accuracy or 0.0) * n
        self.seen += n

    @property
    def loss(self) -> float:
        return self.loss_sum / self.seen if self.seen else float('nan')

    @property
    def accuracy(self) -> float:
        return self.correct / self.seen if self.seen else float('nan')


def change_standard_error(now: List[float], then: List[float]) -> float:
    """Standard error of the change in validation loss between two passes over the same examples,
    from the per-example differences (paired: always-hard examples are not noise). trainStep.ts."""
    n = min(len(now), len(then))
    if n < 2:
        return 0.0
    d = torch.tensor(now[:n], dtype=torch.float64) - torch.tensor(then[:n], dtype=torch.float64)
    s = float(d.sum())
    sq = float((d * d).sum())
    mean = s / n
    return math.sqrt(max(0.0, (sq - n * mean * mean) / (n - 1)) / n)


class ValidationNoise:
    """Keeps the per-example losses of the best validation epoch so far (loop.ts validationNoise)."""

    def __init__(self):
        self.best_loss: Optional[float] = None
        self.best_losses: Optional[List[float]] = None

    def change_se(self, loss: float, example_losses: List[float]) -> Optional[float]:
        if not math.isfinite(loss):
            return None
        se = change_standard_error(example_losses, self.best_losses) if self.best_losses is not None else 0.0
        if self.best_loss is None or loss < self.best_loss:
            self.best_loss, self.best_losses = loss, example_losses
        return se if math.isfinite(se) else None


class ProgressCoalescer:
    """Buffers batch and epoch points and sends them together at most every `interval` seconds, and
    always on flush(); `after` queues a message (an epoch's statistics) behind the buffered points.
    A timer sends the tail when the loop goes quiet (a long validation pass)."""

    def __init__(self, send: Callable[[list, list], None], interval: float = 0.05, clock: Callable[[], float] = time.monotonic):
        self._send = send
        self._interval = interval
        self._clock = clock
        self._batches: list = []
        self._epochs: list = []
        self._followers: List[Callable[[], None]] = []
        self._last = -math.inf
        self._timer: Optional[threading.Timer] = None
        self._lock = threading.RLock()

    def batch(self, point: dict) -> None:
        with self._lock:
            self._batches.append(point)
            self._maybe_flush()

    def epoch(self, point: dict) -> None:
        with self._lock:
            self._epochs.append(point)
            self._maybe_flush()

    def after(self, message: Callable[[], None]) -> None:
        with self._lock:
            self._followers.append(message)
            self._maybe_flush()

    def flush(self) -> None:
        with self._lock:
            if self._timer:
                self._timer.cancel()
                self._timer = None
            if self._batches or self._epochs:
                batches, epochs = self._batches, self._epochs
                self._batches, self._epochs = [], []
                self._last = self._clock()
                self._send(batches, epochs)
            followers, self._followers = self._followers, []
            for f in followers:
                f()

    def _maybe_flush(self) -> None:
        wait = self._last + self._interval - self._clock()
        if wait <= 0:
            self.flush()
        elif self._timer is None:
            self._timer = threading.Timer(wait, self.flush)
            self._timer.daemon = True
            self._timer.start()
