"""Shared by the process tests: a tiny model spec as the host sends it, its data files, and a
runner process spoken to over its stdin/stdout as the host does."""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import torch

from modellab_torch import data

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def xor_spec(epochs=20, **train):
    """The xor example as the host hands it over (ModelSpec without source and ranges)."""
    return {'name': 'xor', 'data': {'dataset': 'xor', 'validationSplit': 0.2, 'seed': 1, 'samples': 400, 'noise': 0.05, 'classes': 2},
            'train': {'loss': 'binaryCrossentropy', 'optimizer': {'name': 'adam', 'options': {}}, 'learningRate': 0.05,
                      'batchSize': 32, 'epochs': epochs, 'metrics': ['accuracy'], 'seed': 1, **train},
            'model': {'input': [2], 'layers': [
                {'kind': 'dense', 'id': 'dense_1', 'inputs': [], 'config': {'units': 8, 'activation': 'tanh'}, 'index': 0},
                {'kind': 'dense', 'id': 'dense_2', 'inputs': ['dense_1'], 'config': {'units': 1, 'activation': 'sigmoid'}, 'index': 1}]}}


def cnn_spec(epochs=2):
    return {'name': 'tiny-cnn', 'data': {'dataset': 'bars', 'validationSplit': 0.25, 'seed': 1, 'classes': 2},
            'train': {'loss': 'categoricalCrossentropy', 'optimizer': {'name': 'adam', 'options': {}}, 'learningRate': 0.01,
                      'batchSize': 16, 'epochs': epochs, 'metrics': ['accuracy'], 'seed': 3},
            'model': {'input': [6, 6, 1], 'layers': [
                {'kind': 'conv2d', 'id': 'conv2d_1', 'inputs': [], 'config': {'filters': 4, 'kernelSize': [3, 3], 'padding': 'same', 'activation': 'relu'}, 'index': 0},
                {'kind': 'flatten', 'id': 'flatten_2', 'inputs': ['conv2d_1'], 'config': {}, 'index': 1},
                {'kind': 'dense', 'id': 'dense_3', 'inputs': ['flatten_2'], 'config': {'units': 2, 'activation': 'softmax'}, 'index': 2}]}}


def write_xor(folder, n=400, val=80, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 2, generator=g) * 2 - 1
    y = ((x[:, 0] * x[:, 1]) < 0).float().reshape(-1, 1)
    return data.write(folder, 'classification', 2, data.Split(x[val:], y[val:]), data.Split(x[:val], y[:val]))


def write_bars(folder, n=96, seed=0):
    """6x6 images with a vertical or a horizontal bar: class 0 or 1."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 6, 6, 1, generator=g) * 0.2
    labels = torch.randint(0, 2, (n,), generator=g)
    for i in range(n):
        k = int(torch.randint(0, 6, (1,), generator=g))
        if labels[i] == 0:
            x[i, :, k, 0] += 1
        else:
            x[i, k, :, 0] += 1
    y = torch.nn.functional.one_hot(labels, 2).float()
    cut = n // 4
    return data.write(folder, 'classification', 2, data.Split(x[cut:], y[cut:]), data.Split(x[:cut], y[:cut]))


class Runner:
    """`python3 -m modellab_torch` with its messages read on a thread, as the host reads them."""

    def __init__(self, env=None):
        self.proc = subprocess.Popen([sys.executable, '-m', 'modellab_torch'], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=PACKAGE_ROOT,
                                     env={**os.environ, 'PYTHONPATH': PACKAGE_ROOT, **(env or {})})
        self.messages = []
        self.raw_lines = []
        self.stderr = b''
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err_reader = threading.Thread(target=self._read_err, daemon=True)
        self.err_reader.start()

    def _lines(self):
        return self.proc.stdout

    def _read(self):
        try:
            for line in self._lines():
                self.raw_lines.append(line)
                with self.cond:
                    self.messages.append(json.loads(line))  # a line that is not JSON fails the test here
                    self.cond.notify_all()
        except ValueError:
            pass  # closed by close()
        with self.cond:
            self.cond.notify_all()

    def _read_err(self):
        self.stderr = self.proc.stderr.read()

    def exit_code(self, timeout=10):
        """The process's exit code once it has ended and its stderr has been read to the end (the reading
        thread can still be at work when the process is gone, so stderr is only complete after the join)."""
        code = self.proc.wait(timeout)
        self.err_reader.join(timeout)
        return code

    def send(self, msg):
        self.proc.stdin.write((json.dumps(msg) + '\n').encode())
        self.proc.stdin.flush()

    def wait_for(self, predicate, timeout=60):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for m in self.messages:
                    if predicate(m):
                        return m
                left = deadline - time.monotonic()
                # Once the reader has seen the end of the stream, nothing more can come.
                if left <= 0 or not self.reader.is_alive():
                    raise AssertionError(f'no such message; got {[m["type"] for m in self.messages]}; stderr: {self.stderr[-2000:]!r}')
                self.cond.wait(min(left, 0.5))

    def of_type(self, kind):
        return [m for m in self.messages if m['type'] == kind]

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass


REPO_ROOT = os.path.dirname(os.path.dirname(PACKAGE_ROOT))


def host_guard_verdict(lines):
    """Runs the host's own guard (protocol/worker.ts asWorkerToHost) over the runner's lines through node."""
    script = os.path.join(PACKAGE_ROOT, 'tests', 'fixtures', 'checkMessages.ts')
    out = subprocess.run(['node', '--import', 'tsx', script], input=b''.join(lines), cwd=REPO_ROOT,
                         capture_output=True, timeout=120, check=True)
    return json.loads(out.stdout)


class RankedRunner(Runner):
    """`python3 -m torch.distributed.run --nproc_per_node N -m modellab_torch` with rank 0 on a loopback
    control socket (MODELLAB_CONTROL), as the host starts a multi-process run."""

    def __init__(self, ranks=2, env=None):
        import socket
        self.server = socket.socket()
        self.server.bind(('127.0.0.1', 0))
        self.server.listen(1)
        port = self.server.getsockname()[1]
        # --redirects 2 --tee 1: torch 1.13 on Python 3.11 cannot parse the default 0 (pytorch-notes).
        cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', str(ranks),
               '--redirects', '2', '--tee', '1', '-m', 'modellab_torch']
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PACKAGE_ROOT,
                                     env={**os.environ, 'PYTHONPATH': PACKAGE_ROOT, 'MODELLAB_CONTROL': f'127.0.0.1:{port}',
                                          'OMP_NUM_THREADS': '1', **(env or {})}, start_new_session=True)
        self.server.settimeout(60)
        self.conn, _ = self.server.accept()
        self.conn_file = self.conn.makefile('rwb')
        self.messages = []
        self.raw_lines = []
        self.stderr = b''
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        threading.Thread(target=self._read_err, daemon=True).start()
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def _lines(self):
        return self.conn_file

    def send(self, msg):
        self.conn_file.write((json.dumps(msg) + '\n').encode())
        self.conn_file.flush()

    def close(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)
        self.proc.wait(10)
        for f in (self.conn_file, self.conn, self.server, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass


class RunnerCase(unittest.TestCase):
    """A test that starts one runner process and a temporary folder, both cleaned up after it."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.runner = None

    def tearDown(self):
        if self.runner:
            self.runner.close()
        self.tmp.cleanup()

    def start_runner(self, spec, data_file, run_id='r', **extra):
        self.runner = Runner()
        self.runner.send({'type': 'start', 'runId': run_id, 'spec': spec, 'dataFile': data_file, 'device': 'cpu', 'threads': 1, **extra})
        return self.runner
