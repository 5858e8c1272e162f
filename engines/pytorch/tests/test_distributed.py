"""Two processes under torchrun train the model one process trains with the same global batch, rank 0
streams on the control socket with each rank's throughput, and every rank ends soon after a stop or
after another rank dies."""
import os
import signal
import subprocess
import tempfile
import time
import unittest

from tests.runner_helpers import RankedRunner, Runner, write_xor, xor_spec


def batch_losses(runner):
    return [b['loss'] for m in runner.of_type('progress') for b in m['batches']]


class TwoRanks(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.data = write_xor(self.tmp.name)
        self.runners = []

    def tearDown(self):
        for r in self.runners:
            r.close()
        self.tmp.cleanup()

    def start(self, runner, spec, **extra):
        self.runners.append(runner)
        runner.send({'type': 'start', 'runId': 'r', 'spec': spec, 'dataFile': self.data, 'device': 'cpu', 'threads': 1, **extra})
        return runner

    def test_ranks_load_the_initial_weights_their_own_host_drew(self):
        # The start message is the lead's, and its initialWeightsFile a path on the lead's machine: each
        # machine's ranks load the copy their own host drew (MODELLAB_INITIAL_WEIGHTS_FILE).
        drawn = os.path.join(self.tmp.name, 'drawn.json')
        self.start(Runner(), xor_spec(epochs=1, seed=5), saveWeightsFile=drawn).wait_for(lambda m: m['type'] == 'done', 120)
        spec = xor_spec(epochs=1)
        one = self.start(Runner(), spec, initialWeightsFile=drawn)
        one.wait_for(lambda m: m['type'] == 'done', 120)
        elsewhere = os.path.join(self.tmp.name, 'on-the-lead', 'initial-weights.json')
        two = self.start(RankedRunner(2, env={'MODELLAB_INITIAL_WEIGHTS_FILE': drawn}), spec, initialWeightsFile=elsewhere)
        done = two.wait_for(lambda m: m['type'] == 'done', 180)
        self.assertEqual(done['summary']['status'], 'completed', two.stderr.decode(errors='replace')[-2000:])
        a, b = batch_losses(one), batch_losses(two)
        self.assertAlmostEqual(a[0], b[0], delta=1e-6 * max(1.0, abs(a[0])), msg='the first batch, on the same initial weights')

    def test_two_ranks_follow_one_process(self):
        # 33 is odd: the ranks' parts of a batch differ in size, which the loss weighting must absorb.
        spec = xor_spec(epochs=3, batchSize=33)
        one = self.start(Runner(), spec)
        one_done = one.wait_for(lambda m: m['type'] == 'done', 120)
        two = self.start(RankedRunner(2), spec)
        two_done = two.wait_for(lambda m: m['type'] == 'done', 180)
        self.assertEqual(two.proc.wait(30), 0)
        self.assertEqual(two_done['summary']['status'], 'completed')
        self.assertEqual(two.of_type('started')[0]['info']['ranks'], 2)
        a, b = batch_losses(one), batch_losses(two)
        self.assertEqual(len(a), len(b))
        self.assertEqual(len(a), 3 * 10)
        for i, (x, y) in enumerate(zip(a, b)):
            self.assertAlmostEqual(x, y, delta=1e-5 * max(1.0, abs(x)), msg=f'step {i + 1}')
        self.assertAlmostEqual(one_done['summary']['final']['valLoss'], two_done['summary']['final']['valLoss'], delta=1e-5)
        speeds = [m.get('rankSamplesPerSec') for m in two.of_type('progress')]
        self.assertTrue(all(s is not None and len(s) == 2 for s in speeds))
        self.assertTrue(all(v > 0 for v in speeds[-1]))

    def test_ranks_decide_early_stopping_alike(self):
        # Every rank runs the hooks on the same weights: all end after epoch 3 together (a rank that
        # went on alone would wait in its next all-reduce and the run would fail).
        spec = xor_spec(epochs=50, callbacks={'earlyStopping': {'monitor': 'valLoss', 'patience': 2, 'minDelta': 10, 'restoreBestWeights': False}})
        two = self.start(RankedRunner(2), spec)
        done = two.wait_for(lambda m: m['type'] == 'done', 180)
        self.assertEqual((done['summary']['status'], done['summary']['epochsDone']), ('completed', 3))
        self.assertEqual(two.proc.wait(30), 0)

    def test_every_rank_ends_soon_after_stop(self):
        two = self.start(RankedRunner(2), xor_spec(epochs=100000))
        two.wait_for(lambda m: m['type'] == 'progress' and m['epochs'], 120)
        two.send({'type': 'stop'})
        t0 = time.monotonic()
        done = two.wait_for(lambda m: m['type'] == 'done', 30)
        self.assertEqual(done['summary']['status'], 'stopped')
        self.assertEqual(two.proc.wait(30), 0)
        self.assertLess(time.monotonic() - t0, 2 + 3)  # 2 s for the ranks, the rest for torchrun's own exit

    def test_a_dead_rank_ends_the_others(self):
        two = self.start(RankedRunner(2), xor_spec(epochs=100000))
        two.wait_for(lambda m: m['type'] == 'progress' and m['epochs'], 120)
        ranks = subprocess.run(['pgrep', '-f', '-P', str(two.proc.pid), 'modellab_torch'], capture_output=True, text=True).stdout.split()
        self.assertEqual(len(ranks), 2)
        by_rank = {_rank_of(int(p)): int(p) for p in ranks}
        t0 = time.monotonic()
        os.kill(by_rank[1], signal.SIGKILL)
        alive = [by_rank[0]]
        while time.monotonic() - t0 < 10 and any(_alive(p) for p in alive):
            time.sleep(0.05)
        self.assertLess(time.monotonic() - t0, 2, 'the surviving rank outlived its peer by 2 s or more')
        self.assertNotEqual(two.proc.wait(30), 0)
        # Rank 0, the one left, said why before it ended.
        error = two.wait_for(lambda m: m['type'] == 'error', 5)
        self.assertTrue(error['message'].startswith('Another training process of this run stopped or failed'), error['message'])


def _rank_of(pid):
    with open(f'/proc/{pid}/environ', 'rb') as f:
        env = dict(item.split(b'=', 1) for item in f.read().split(b'\0') if b'=' in item)
    return int(env[b'RANK'])


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by torchrun) is not running.
    with open(f'/proc/{pid}/stat') as f:
        return f.read().split()[2] != 'Z'


if __name__ == '__main__':
    unittest.main()
