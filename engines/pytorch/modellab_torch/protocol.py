"""JSON lines between the host and the runner (docs/engines.md, "Messages").

The runner's stdout carries only protocol messages, one strict-JSON object per line, flushed one by
one; everything else (logs, tracebacks) goes to stderr. A reader thread takes the host's lines as
they come so that `stop` and `pickMaps` arrive while a batch is running; the training loop polls
`stop_requested` between batches and `take_pick` between epochs.
"""
import json
import math
import os
import queue
import socket
import sys
import threading
from typing import Callable, Optional

DEVICES = ('auto', 'cpu', 'cuda', 'mps')
# Longer lines are not from our host: drop them rather than hold them in memory.
MAX_LINE = 64 * 1024 * 1024


def _opt_str(v) -> bool:
    return v is None or isinstance(v, str)


def _is_count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1e9


def _is_sweep(v) -> bool:
    """A learning-rate range test: 0 < min < max, finite, and a whole number of steps."""
    if not isinstance(v, dict):
        return False
    lo, hi, steps = v.get('minLearningRate'), v.get('maxLearningRate'), v.get('steps')
    nums = all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in (lo, hi))
    return nums and 0 < lo < hi and _is_count(steps) and steps >= 2


def read_host_message(v) -> Optional[dict]:
    """The message if it is one the host may send, with only its own fields; else None."""
    if not isinstance(v, dict):
        return None
    kind = v.get('type')
    if kind == 'stop':
        return {'type': 'stop'}
    if kind == 'pickMaps':
        pick = v.get('pick')
        if isinstance(pick, dict) and pick.get('split') in ('train', 'validation') and _is_count(pick.get('index')):
            return {'type': 'pickMaps', 'pick': {'split': pick['split'], 'index': pick['index']}}
        return None
    if kind == 'start':
        ok = (isinstance(v.get('runId'), str) and isinstance(v.get('spec'), dict) and isinstance(v.get('dataFile'), str)
              and v.get('device', 'auto') in DEVICES
              and all(_opt_str(v.get(k)) for k in ('runDir', 'initialWeightsFile', 'saveWeightsFile', 'modelFile'))
              and (v.get('threads') is None or (_is_count(v['threads']) and v['threads'] > 0))
              and all(v.get(k) is None or _is_count(v[k]) for k in ('step', 'epoch'))
              and v.get('serveMaps') in (None, True, False)
              and (v.get('lrFinder') is None or _is_sweep(v['lrFinder'])))
        if not ok:
            return None
        keys = ('runId', 'spec', 'dataFile', 'runDir', 'device', 'initialWeightsFile', 'saveWeightsFile', 'modelFile', 'threads',
                'serveMaps', 'step', 'epoch', 'lrFinder')
        msg = {k: v[k] for k in keys if v.get(k) is not None}
        msg.setdefault('device', 'auto')
        msg['type'] = 'start'
        return msg
    return None


def finite_only(v):
    """JSON has no NaN or Infinity: an object field holding one is left out (every such field of the
    protocol is optional), a list element becomes null (so the host's guard drops that message)."""
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {k: finite_only(x) for k, x in v.items() if not (isinstance(x, float) and not math.isfinite(x))}
    if isinstance(v, (list, tuple)):
        return [finite_only(x) for x in v]
    return v


def encode(message: dict) -> bytes:
    try:
        # Nearly every message is finite: strict JSON straight away, without rebuilding it first.
        text = json.dumps(message, allow_nan=False, separators=(',', ':'))
    except ValueError:
        text = json.dumps(finite_only(message), allow_nan=False, separators=(',', ':'))
    return (text + '\n').encode('utf-8')


def log(text: str) -> None:
    """Free text for the host's log (stderr; stdout is only for protocol messages)."""
    print(text, file=sys.stderr, flush=True)


def _own_stdout():
    """The protocol's own handle on stdout; everything else written to stdout afterwards, by Python
    (print) or by a C library writing to fd 1, goes to stderr, so it cannot break a message."""
    sys.stdout.flush()
    protocol_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(protocol_fd, 'wb')


class Channel:
    """One connection to the host: stdin/stdout, or a socket (the lead rank under torchrun, MODELLAB_CONTROL)."""

    def __init__(self, reader, writer, on_close: Optional[Callable[[], None]] = None):
        self._reader = reader
        self._writer = writer
        self._lock = threading.Lock()
        self._starts: 'queue.Queue[Optional[dict]]' = queue.Queue()
        self._pick: Optional[dict] = None
        self._pick_lock = threading.Lock()
        self._pick_arrived = threading.Event()
        self.stop_event = threading.Event()
        self.closed = threading.Event()
        self._bad_logged = False
        self._on_close = on_close
        self._thread = threading.Thread(target=self._read, name='modellab-host-reader', daemon=True)
        self._thread.start()

    @staticmethod
    def connect() -> 'Channel':
        """The control socket when MODELLAB_CONTROL=host:port is set, else stdin/stdout."""
        where = os.environ.get('MODELLAB_CONTROL')
        if where:
            host, _, port = where.rpartition(':')
            sock = socket.create_connection((host or '127.0.0.1', int(port)), timeout=10)
            sock.settimeout(None)
            return Channel(sock.makefile('rb'), sock.makefile('wb'), on_close=sock.close)
        return Channel(sys.stdin.buffer, _own_stdout())

    def _read(self) -> None:
        try:
            while True:
                line = self._reader.readline(MAX_LINE + 1)
                if not line:
                    break
                if len(line) > MAX_LINE:
                    self._bad('a line longer than 64 MB')
                    while line and not line.endswith(b'\n'):
                        line = self._reader.readline(MAX_LINE + 1)
                    continue
                if not line.strip():
                    continue
                try:
                    msg = read_host_message(json.loads(line))
                except ValueError:
                    msg = None
                if msg is None:
                    self._bad(line[:120].decode('utf-8', 'replace').strip())
                elif msg['type'] == 'stop':
                    self.stop_event.set()
                elif msg['type'] == 'pickMaps':
                    with self._pick_lock:
                        self._pick = msg['pick']
                    self._pick_arrived.set()
                else:
                    self._starts.put(msg)
        except (OSError, ValueError):
            pass
        finally:
            # The host is gone (or closed our input): stop at the next batch, as if asked.
            self.closed.set()
            self.stop_event.set()
            self._pick_arrived.set()
            self._starts.put(None)

    def _bad(self, what: str) -> None:
        if not self._bad_logged:
            self._bad_logged = True
            log(f'Model Lab runner: dropped a message that is not part of the protocol: {what}')

    def wait_start(self, timeout: Optional[float] = None) -> Optional[dict]:
        """The start message, or None if the host closed the connection first."""
        try:
            return self._starts.get(timeout=timeout)
        except queue.Empty:
            return None

    def stop_requested(self) -> bool:
        return self.stop_event.is_set()

    def take_pick(self) -> Optional[dict]:
        with self._pick_lock:
            pick, self._pick = self._pick, None
            self._pick_arrived.clear()
        return pick

    def wait_pick(self, timeout: float) -> Optional[dict]:
        """The next pick, waiting up to `timeout` seconds for one (serving a finished run's maps)."""
        self._pick_arrived.wait(timeout)
        return self.take_pick()

    def send(self, message: dict) -> bool:
        """Writes one message; False when the host can no longer read (then the run stops)."""
        data = encode(message)
        with self._lock:
            try:
                self._writer.write(data)
                self._writer.flush()
                return True
            except (OSError, ValueError):
                self.stop_event.set()
                return False

    def close(self) -> None:
        with self._lock:
            try:
                self._writer.flush()
            except (OSError, ValueError):
                pass
        if self._on_close:
            self._on_close()
