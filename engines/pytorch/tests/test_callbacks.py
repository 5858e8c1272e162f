"""callbacks.py: cycle ends as schedules.ts counts them, early stopping, checkpoints, snapshot
ensembles, reduce-on-plateau and the weights files, through the runner process."""
import os
import unittest

from modellab_torch.callbacks import cycle_ends
from tests.runner_helpers import RunnerCase, write_xor, xor_spec


class CycleEnds(unittest.TestCase):
    def test_same_steps_as_the_typescript(self):
        # Expected values printed by engine/train/schedules.ts cycleEnds for the same specs (7 steps an epoch, 30 epochs).
        cyclic = {'main': {'kind': 'cyclic', 'mode': 'triangular', 'maxLearningRate': 1, 'stepSize': {'unit': 'epochs', 'value': 2}, 'gamma': 1}}
        restarts = {'main': {'kind': 'cosineDecayRestarts', 'first': {'unit': 'steps', 'value': 9}, 'tMul': 1.5, 'mMul': 1, 'alpha': 0},
                    'warmup': {'mode': 'gradual', 'length': {'unit': 'epochs', 'value': 1}, 'factor': 0.1}}
        self.assertEqual(cycle_ends(cyclic, 7, 210), [28, 56, 84, 112, 140, 168, 196])
        self.assertEqual(cycle_ends(restarts, 7, 210), [16, 30, 51, 83, 131, 203])


class CallbacksInARun(RunnerCase):
    def run_spec(self, spec, **extra):
        return self.start_runner(spec, write_xor(self.tmp.name), **extra).wait_for(lambda m: m['type'] == 'done', 120)['summary']

    def logs(self):
        return [m['message'] for m in self.runner.of_type('log')]

    def test_early_stopping_completes_early_and_says_why(self):
        spec = xor_spec(epochs=50, callbacks={'earlyStopping': {'monitor': 'valLoss', 'patience': 2, 'minDelta': 10, 'restoreBestWeights': True}})
        summary = self.run_spec(spec)
        self.assertEqual(summary['status'], 'completed')
        self.assertEqual(summary['epochsDone'], 3)  # epoch 1 is the best (by more than 10), two more without
        self.assertTrue(any(m.startswith('earlyStopping: valLoss has not improved for 2 epochs (best ') and m.endswith('Restored the weights of epoch 1.') for m in self.logs()), self.logs())

    def test_checkpoints_and_final_weights_are_written(self):
        run_dir = os.path.join(self.tmp.name, 'run')
        final = os.path.join(self.tmp.name, 'final', 'weights.json')
        os.makedirs(os.path.dirname(final))
        spec = xor_spec(epochs=3, callbacks={'checkpoint': {'monitor': 'valLoss', 'save': 'both'}})
        self.assertEqual(self.run_spec(spec, runDir=run_dir, saveWeightsFile=final)['status'], 'completed')
        for name in ('best', 'last'):
            self.assertTrue(os.path.exists(os.path.join(run_dir, 'checkpoints', name, 'weights.json')))
        self.assertTrue(os.path.exists(final))
        self.assertFalse(os.path.exists(os.path.join(run_dir, 'weights.json')))  # saveWeightsFile named another place
        self.runner.close()
        self.assertEqual(self.run_spec(xor_spec(epochs=1), runDir=run_dir)['status'], 'completed')
        self.assertTrue(os.path.exists(os.path.join(run_dir, 'weights.json')))
        self.assertTrue(os.path.exists(os.path.join(run_dir, 'weights.bin')))

    def test_initial_weights_start_where_the_saved_run_ended(self):
        saved = os.path.join(self.tmp.name, 'a.json')
        self.run_spec(xor_spec(epochs=2), saveWeightsFile=saved)
        ended = [m['record'] for m in self.runner.of_type('stats')][-1]
        self.runner.close()
        # Another seed would draw other initial weights: the init record shows the saved ones instead.
        self.assertEqual(self.run_spec(xor_spec(epochs=1, seed=99), initialWeightsFile=saved)['status'], 'completed')
        init = self.runner.of_type('stats')[0]['record']
        self.assertEqual(init['when'], 'init')
        for a, b in zip(ended['layers'], init['layers']):
            self.assertEqual(a['kernel'], b['kernel'])
            self.assertEqual(a['bias'], b['bias'])

    def test_snapshot_ensemble_and_plateau(self):
        schedule = {'main': {'kind': 'cyclic', 'mode': 'triangular', 'maxLearningRate': 0.1, 'stepSize': {'unit': 'epochs', 'value': 1}, 'gamma': 1},
                    'reduceOnPlateau': {'monitor': 'loss', 'factor': 0.5, 'patience': 1, 'minDelta': 100, 'cooldown': 0, 'minLearningRate': 0}}
        spec = xor_spec(epochs=6, schedule=schedule, callbacks={'snapshotEnsemble': {'keep': 2}})
        summary = self.run_spec(spec)
        self.assertEqual(summary['status'], 'completed')
        epochs = [e for m in self.runner.of_type('progress') for e in m['epochs']]
        self.assertEqual([e.get('ensembleSize') for e in epochs], [None, 1, 1, 2, 2, 2])
        self.assertTrue(all(0 <= e['ensembleValAccuracy'] <= 1 for e in epochs[1:]))
        self.assertTrue(any(m.startswith('reduceOnPlateau: loss has not improved for 1 epochs; learning rate × 0.5') for m in self.logs()), self.logs())
        rates = [b['learningRate'] for m in self.runner.of_type('progress') for b in m['batches']]
        self.assertGreater(len(set(rates)), 10)  # the cyclic schedule changes the rate every step


if __name__ == '__main__':
    unittest.main()
