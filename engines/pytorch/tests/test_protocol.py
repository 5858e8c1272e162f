"""protocol.py: one strict-JSON line per message out, host messages checked and dispatched as they arrive."""
import io
import json
import os
import subprocess
import sys
import threading
import unittest

from modellab_torch import protocol


class Pipe:
    """A blocking byte pipe, like the runner's stdin."""

    def __init__(self):
        r, w = os.pipe()
        self.reader = os.fdopen(r, 'rb')
        self.writer = os.fdopen(w, 'wb')

    def line(self, obj):
        self.writer.write((obj if isinstance(obj, str) else json.dumps(obj)).encode() + b'\n')
        self.writer.flush()


class Framing(unittest.TestCase):
    def test_nothing_but_messages_reach_stdout(self):
        code = ('import os, sys; from modellab_torch.protocol import Channel; ch = Channel.connect(); '
                'print("a stray print"); os.write(1, b"a C library writing to fd 1\\n"); '
                'ch.send({"type": "log", "level": "info", "message": "hello"}); ch.close()')
        out = subprocess.run([sys.executable, '-c', code], input=b'', capture_output=True, timeout=60,
                             env={**os.environ, 'PYTHONPATH': os.path.dirname(os.path.dirname(os.path.abspath(__file__)))})
        self.assertEqual(out.stdout, b'{"type":"log","level":"info","message":"hello"}\n')
        self.assertIn(b'a stray print', out.stderr)
        self.assertIn(b'a C library writing to fd 1', out.stderr)

    def test_one_line_per_message_and_no_nan(self):
        out = io.BytesIO()
        ch = protocol.Channel(io.BytesIO(b''), out)
        ch.send({'type': 'progress', 'batches': [{'step': 1, 'epoch': 1, 'x': 0.5, 'loss': 0.25}], 'epochs': []})
        ch.send({'type': 'stats', 'record': {'valLoss': float('nan'), 'x': [1.0, float('inf')], 'loss': 2.0}})
        lines = out.getvalue().split(b'\n')
        self.assertEqual(lines[-1], b'')
        self.assertEqual(len(lines), 3)
        first = json.loads(lines[0])
        self.assertEqual(first['batches'][0]['loss'], 0.25)
        second = json.loads(lines[1])  # strict JSON: json.loads would accept NaN, so check the text too
        self.assertNotIn(b'NaN', lines[1])
        self.assertNotIn('valLoss', second['record'])
        self.assertEqual(second['record']['x'], [1.0, None])

    def test_start_checked_and_trimmed(self):
        good = {'type': 'start', 'runId': 'r1', 'spec': {'name': 'm'}, 'dataFile': '/d/data.json', 'device': 'cpu', 'extra': 1}
        msg = protocol.read_host_message(good)
        self.assertEqual(msg, {'type': 'start', 'runId': 'r1', 'spec': {'name': 'm'}, 'dataFile': '/d/data.json', 'device': 'cpu'})
        self.assertIsNone(protocol.read_host_message({**good, 'device': 'tpu'}))
        self.assertIsNone(protocol.read_host_message({**good, 'spec': 'text'}))
        self.assertIsNone(protocol.read_host_message({**good, 'threads': 0}))
        self.assertEqual(protocol.read_host_message({'type': 'pickMaps', 'pick': {'split': 'train', 'index': 3}})['pick']['index'], 3)
        self.assertIsNone(protocol.read_host_message({'type': 'pickMaps', 'pick': {'split': 'test', 'index': 3}}))
        self.assertIsNone(protocol.read_host_message({'type': 'pickMaps', 'pick': {'split': 'train', 'index': -1}}))
        self.assertIsNone(protocol.read_host_message(['stop']))

    def test_reader_thread_dispatches_while_busy(self):
        pipe = Pipe()
        ch = protocol.Channel(pipe.reader, io.BytesIO())
        pipe.line('not json')
        pipe.line({'type': 'start', 'runId': 'r', 'spec': {}, 'dataFile': 'd'})
        start = ch.wait_start(timeout=5)
        self.assertEqual(start['runId'], 'r')
        self.assertFalse(ch.stop_requested())
        pipe.line({'type': 'pickMaps', 'pick': {'split': 'validation', 'index': 2}})
        pipe.line({'type': 'stop'})
        self.assertTrue(ch.stop_event.wait(5))
        self.assertEqual(ch.take_pick(), {'split': 'validation', 'index': 2})
        self.assertIsNone(ch.take_pick())
        pipe.writer.close()
        self.assertTrue(ch.closed.wait(5))
        pipe.reader.close()

    def test_closed_input_means_stop(self):
        pipe = Pipe()
        ch = protocol.Channel(pipe.reader, io.BytesIO())
        pipe.writer.close()
        self.assertIsNone(ch.wait_start(timeout=5))
        self.assertTrue(ch.stop_requested())
        ch.closed.wait(5)
        pipe.reader.close()

    def test_concurrent_sends_never_interleave(self):
        out = io.BytesIO()
        ch = protocol.Channel(io.BytesIO(b''), out)
        big = 'x' * 10000
        threads = [threading.Thread(target=lambda i=i: [ch.send({'type': 'log', 'level': 'info', 'message': f'{i}{big}'}) for _ in range(20)]) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 80)
        for line in lines:
            self.assertEqual(json.loads(line)['type'], 'log')


if __name__ == '__main__':
    unittest.main()
