"""Features of a run through the process beyond plain training: picked maps' answers when there are
none to give, augmentation and test-time augmentation."""
import unittest

from tests.runner_helpers import Runner, RunnerCase, cnn_spec, host_guard_verdict, write_bars, write_xor, xor_spec


class RunnerFeatures(RunnerCase):
    def start(self, spec, data_file):
        return self.start_runner(spec, data_file)

    def test_total_params_count_moving_statistics_as_tfjs_does(self):
        spec = cnn_spec(epochs=1)
        spec['model']['layers'].insert(1, {'kind': 'batchNormalization', 'id': 'bn', 'inputs': ['conv2d_1'], 'config': {}, 'index': 1})
        spec['model']['layers'][2]['inputs'] = ['bn']
        r = self.start(spec, write_bars(self.tmp.name))
        info = r.wait_for(lambda m: m['type'] == 'started', 60)['info']
        # conv 3*3*1*4 + 4, batch norm 4 x (gamma, beta, moving mean, moving variance), dense 6*6*4*2 + 2.
        self.assertEqual(info['totalParams'], 40 + 16 + 290)
        self.assertEqual(r.wait_for(lambda m: m['type'] == 'done', 60)['summary']['status'], 'completed')

    def test_picks_without_maps_are_answered_with_why(self):
        r = self.start(xor_spec(epochs=1), write_xor(self.tmp.name))
        r.send({'type': 'pickMaps', 'pick': {'split': 'train', 'index': 0}})
        reply = r.wait_for(lambda m: m['type'] == 'pickedMaps', 60)['reply']
        self.assertEqual(reply, {'pick': {'split': 'train', 'index': 0}, 'error': 'No feature maps: this model has no conv2d layer.'})
        r.wait_for(lambda m: m['type'] == 'done', 60)

    def test_pick_out_of_range(self):
        r = self.start(cnn_spec(epochs=1), write_bars(self.tmp.name))
        r.send({'type': 'pickMaps', 'pick': {'split': 'validation', 'index': 24}})
        reply = r.wait_for(lambda m: m['type'] == 'pickedMaps', 60)['reply']
        self.assertEqual(reply['error'], 'Example 24 is out of range: the validation set has 24 (0 to 23).')
        r.wait_for(lambda m: m['type'] == 'done', 60)

    def test_serving_a_finished_runs_maps(self):
        data = write_bars(self.tmp.name)
        saved = f'{self.tmp.name}/final.json'
        self.runner = Runner()
        self.runner.send({'type': 'start', 'runId': 'r', 'spec': cnn_spec(epochs=2), 'dataFile': data, 'device': 'cpu', 'threads': 1, 'saveWeightsFile': saved})
        self.runner.send({'type': 'pickMaps', 'pick': {'split': 'train', 'index': 5}})
        self.runner.wait_for(lambda m: m['type'] == 'done', 120)
        last = self.runner.of_type('pickedMaps')[-1]['reply']['maps']
        self.runner.close()
        r = Runner()
        self.runner = r
        r.send({'type': 'start', 'runId': 'r', 'spec': cnn_spec(epochs=2), 'dataFile': data, 'device': 'cpu', 'threads': 1,
                'serveMaps': True, 'initialWeightsFile': saved, 'step': last['step'], 'epoch': last['epoch']})
        r.send({'type': 'pickMaps', 'pick': {'split': 'train', 'index': 5}})
        served = r.wait_for(lambda m: m['type'] == 'pickedMaps', 60)['reply']['maps']
        self.assertEqual(served, last)  # the same weights give the same maps
        r.send({'type': 'pickMaps', 'pick': {'split': 'validation', 'index': 99}})
        r.wait_for(lambda m: m['type'] == 'pickedMaps' and 'error' in m['reply'], 60)
        r.send({'type': 'stop'})
        self.assertEqual(r.proc.wait(30), 0)
        self.assertEqual([m['type'] for m in r.messages], ['pickedMaps', 'pickedMaps'])

    def test_augmentation_and_test_time_augmentation(self):
        spec = cnn_spec(epochs=2)
        spec['data']['augment'] = {'flipHorizontal': True, 'shift': 1, 'cutout': 2}
        spec['data']['testTimeAugmentation'] = {'flipHorizontal': True, 'flipVertical': False, 'crops': 5, 'padding': 1, 'scales': [1]}
        r = self.start(spec, write_bars(self.tmp.name))
        done = r.wait_for(lambda m: m['type'] == 'done', 120)
        self.assertEqual(done['summary']['status'], 'completed')
        epochs = [e for m in r.of_type('progress') for e in m['epochs']]
        self.assertTrue(all(0 <= e['valAccuracyTTA'] <= 1 for e in epochs))
        self.assertEqual(host_guard_verdict(r.raw_lines)['rejected'], [])
        augmented = [b['loss'] for m in r.of_type('progress') for b in m['batches']]
        r.close()
        # The same run without augmentation: the same first weights, so only the changed images make the losses differ.
        plain = self.start(cnn_spec(epochs=2), write_bars(self.tmp.name))
        plain.wait_for(lambda m: m['type'] == 'done', 120)
        losses = [b['loss'] for m in plain.of_type('progress') for b in m['batches']]
        self.assertEqual(len(losses), len(augmented))
        self.assertNotEqual(losses[0], augmented[0])


if __name__ == '__main__':
    unittest.main()
