"""`python3 -m modellab_torch`: the PyTorch engine's process. It waits for the host's `start`, trains,
streams the protocol of docs/engines.md and exits: 0 when the run completed or was stopped, 1 when it
failed. SIGTERM is a stop (the run ends after the current batch with status `stopped`)."""
import os

# Before torch loads OpenMP: threads that spin while they wait collapse throughput on a busy machine
# (MLP 784-128-10, batch 64, 2 threads, 2 cores under load: 1.1k samples/s spinning, 13k passive).
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import signal
import sys
import traceback
from typing import Optional

from . import device as devices
from . import distributed
from .data import load as load_data
from .callbacks import standard_hooks
from .faults import explain
from .loop import Trainer
from .lr_finder import LrSweep, sweep_spec
from .maps import serve
from .metrics import ProgressCoalescer
from .protocol import Channel


class Sink:
    """Where the loop and its hooks report: the host's channel, progress coalesced (metrics.py)."""

    def __init__(self, channel: Channel, rank_speed=None):
        self.channel = channel
        self.rank_speed = rank_speed  # distributed: each rank's samples/s since the last progress message
        self.coalescer = ProgressCoalescer(self._progress)

    def _progress(self, batches, epochs) -> None:
        msg = {'type': 'progress', 'batches': batches, 'epochs': epochs}
        if self.rank_speed:
            msg['rankSamplesPerSec'] = self.rank_speed()
        self.channel.send(msg)

    def started(self, info: dict) -> None:
        self.channel.send({'type': 'started', 'info': info})

    def batch(self, point: dict) -> None:
        self.coalescer.batch(point)

    def epoch(self, point: dict) -> None:
        self.coalescer.epoch(point)

    def log(self, level: str, message: str) -> None:
        self.channel.send({'type': 'log', 'level': level, 'message': message})

    def stats(self, record: dict) -> None:
        # Statistics follow the progress points before them, at the coalescer's pace.
        self.coalescer.after(lambda: self.channel.send({'type': 'stats', 'record': record}))

    def picked_maps(self, reply: dict) -> None:
        self.channel.send({'type': 'pickedMaps', 'reply': reply})

    def done(self, summary: dict) -> None:
        self.coalescer.flush()
        self.channel.send({'type': 'done', 'summary': summary})


class QuietSink:
    """Ranks other than 0 send nothing to the host."""

    def started(self, info): ...
    def batch(self, point): ...
    def epoch(self, point): ...
    def log(self, level, message): ...
    def stats(self, record): ...
    def picked_maps(self, reply): ...
    def done(self, summary): ...


def train(start: dict, sink: Sink, stop, ranks=None, channel=None) -> Optional[dict]:
    """One run from its start message; returns the summary (the caller sends it), or None after serving maps."""
    take_pick = channel.take_pick if channel else None
    spec = sweep_spec(start['spec']) if start.get('lrFinder') else start['spec']
    data_file, threads, device = start['dataFile'], start.get('threads'), start.get('device', 'auto')
    if ranks:
        # The start message is the lead's; each machine's host named its own data copy, threads and device.
        data_file = os.environ.get('MODELLAB_DATA_FILE') or data_file
        threads = int(os.environ.get('MODELLAB_THREADS') or 0) or threads or ranks.threads_per_rank()
        device = os.environ.get('MODELLAB_DEVICE') or device
        if start.get('initialWeightsFile') and not start.get('serveMaps') and os.environ.get('MODELLAB_INITIAL_WEIGHTS_FILE'):
            # The same initial weights, drawn by this machine's host into its own folder (the lead's path may not exist here).
            start = {**start, 'initialWeightsFile': os.environ['MODELLAB_INITIAL_WEIGHTS_FILE']}
    dev, label = devices.choose(device, threads, ranks.local_rank if ranks else 0)
    if ranks:
        ranks.check_same_data(distributed.data_digest(data_file))
    data = load_data(data_file)
    extra = {'runId': start['runId'], 'modelFile': start.get('modelFile', ''), 'backend': label}
    if ranks:
        extra['ranks'] = ranks.world
        extra['rankHosts'] = ranks.hosts
    trainer = Trainer(spec, data, dev, sink, stop, [], extra, ranks)
    if start.get('serveMaps'):
        if not start.get('initialWeightsFile'):
            raise ValueError('serveMaps needs the run\'s weights (initialWeightsFile).')
        serve(trainer, start, channel)
        return None
    if start.get('lrFinder'):
        # The range test: the same loop and statistics, no files, the rate swept until the sweep is over.
        sweep = LrSweep(start['lrFinder'])
        trainer.hooks.extend([*standard_hooks(spec, {k: v for k, v in start.items() if k not in ('runDir', 'saveWeightsFile')}, trainer), sweep])
        return trainer.run()
    if take_pick:
        trainer.take_pick = take_pick
    trainer.hooks.extend(standard_hooks(spec, start, trainer))
    return trainer.run()


def main() -> int:
    ranks = distributed.from_environment()
    local_stop = distributed.local_stop_event()
    held: dict = {}  # the channel, once this process has one (SIGTERM can come before)

    def on_term(*_):
        local_stop.set()
        if held.get('channel'):
            held['channel'].stop_event.set()

    signal.signal(signal.SIGTERM, on_term)
    if ranks:
        distributed.watch_host(local_stop)
    channel = None
    sink = QuietSink()
    try:
        if ranks:
            ranks.init()  # also decides which rank reports (the lead)
        if ranks is None or ranks.is_lead:
            channel = held['channel'] = Channel.connect()
            sink = Sink(channel, ranks.speeds if ranks else None)
        stop = (lambda: local_stop.is_set() or channel.stop_event.is_set()) if channel else local_stop.is_set
        start = ranks.share_start(channel) if ranks else channel.wait_start()
        if start is None:
            return 0  # the host went away before asking for anything
        summary = train(start, sink, stop, ranks, channel)
        if summary is None:
            return 0
        sink.done(summary)
        return 0 if summary['status'] != 'failed' else 1
    except BaseException as e:  # whatever ends the run, the host hears why in one line
        if isinstance(e, KeyboardInterrupt):
            e = RuntimeError('Interrupted.')
        traceback.print_exc(file=sys.stderr)
        if channel:
            sink.coalescer.flush()
            channel.send({'type': 'error', 'message': explain(e, ranks is not None)})
        return 1
    finally:
        if ranks:
            ranks.shutdown()
        if channel:
            channel.close()


if __name__ == '__main__':
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Daemon threads (the host reader, coalescer timers) must not hold the process open.
    os._exit(code)
