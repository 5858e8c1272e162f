"""The learning-rate range test in the runner (modellab_torch/lr_finder.py): tfjs's sweep formula
(engine/train/lrFinder.ts sweepRate), its stop rule, the file's schedule and callbacks left out, and
a start message with a sweep that streams one batch point per step and writes no files."""
import os
import unittest

from modellab_torch import lr_finder
from modellab_torch.protocol import read_host_message
from tests.runner_helpers import RunnerCase, write_xor, xor_spec


class Sweep(unittest.TestCase):
    def test_rate_grows_from_min_to_max_over_the_steps(self):
        req = {'minLearningRate': 1e-6, 'maxLearningRate': 10, 'steps': 120}
        self.assertAlmostEqual(lr_finder.sweep_rate(req, 0), 1e-6, delta=1e-18)
        self.assertAlmostEqual(lr_finder.sweep_rate(req, 119), 10, delta=1e-9)
        self.assertAlmostEqual(lr_finder.sweep_rate(req, 60) / lr_finder.sweep_rate(req, 59), (1e7) ** (1 / 119), delta=1e-12)

    def test_the_spec_swept_has_no_schedule_or_callbacks(self):
        spec = xor_spec(schedule={'stepDecay': {'factor': 0.5, 'epochs': 1}}, callbacks={'earlyStopping': {'patience': 1}})
        swept = lr_finder.sweep_spec(spec)
        self.assertNotIn('schedule', swept['train'])
        self.assertNotIn('callbacks', swept['train'])
        self.assertEqual(swept['train']['epochs'], 1_000_000)
        self.assertIn('schedule', spec['train'], 'the original is untouched')

    def test_stop_rule_after_step_five_at_four_times_the_minimum(self):
        class Ctx:
            step = 0
            learning_rate = 0.0
            stop_after_batch = False
        hook, ctx = lr_finder.LrSweep({'minLearningRate': 1e-3, 'maxLearningRate': 1, 'steps': 50}), Ctx()
        losses = [1.0] * 10 + [1000.0] * 10
        for i, loss in enumerate(losses):
            hook.before_batch(ctx)
            ctx.step += 1
            hook.after_batch(ctx, {'loss': loss})
            if ctx.stop_after_batch:
                break
        self.assertEqual(ctx.step, 11, 'the first step whose smoothed loss passes 4x its minimum')

    def test_the_host_message_is_checked(self):
        ok = {'type': 'start', 'runId': 'r', 'spec': {}, 'dataFile': 'd', 'lrFinder': {'minLearningRate': 1e-6, 'maxLearningRate': 10, 'steps': 120}}
        self.assertEqual(read_host_message(ok)['lrFinder']['steps'], 120)
        for bad in ({'minLearningRate': 1, 'maxLearningRate': 0.1, 'steps': 10}, {'minLearningRate': 0, 'maxLearningRate': 1, 'steps': 10},
                    {'minLearningRate': 1e-3, 'maxLearningRate': 1, 'steps': 1}, 'fast'):
            self.assertIsNone(read_host_message({**ok, 'lrFinder': bad}), bad)


class SweepRun(RunnerCase):
    def test_a_sweep_streams_one_point_per_step_at_the_swept_rates_and_writes_nothing(self):
        req = {'minLearningRate': 1e-4, 'maxLearningRate': 0.5, 'steps': 25}
        run_dir = os.path.join(self.tmp.name, 'run')
        r = self.start_runner(xor_spec(epochs=1), write_xor(self.tmp.name), lrFinder=req, runDir=run_dir)
        done = r.wait_for(lambda m: m['type'] == 'done', 120)
        self.assertEqual(r.proc.wait(10), 0)
        points = [b for m in r.of_type('progress') for b in m['batches']]
        self.assertEqual(len(points), 25, 'its steps, past the file\'s single epoch of 10 batches')
        for i, p in enumerate(points):
            self.assertAlmostEqual(p['learningRate'], lr_finder.sweep_rate(req, i), delta=1e-12)
        self.assertEqual(done['summary']['status'], 'stopped')
        self.assertFalse(os.path.exists(os.path.join(run_dir, 'weights.json')), 'a sweep keeps no weights')


if __name__ == '__main__':
    unittest.main()
