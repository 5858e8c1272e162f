"""The runner as the host sees it: a process fed a start message on stdin that streams the protocol
on stdout (a tiny real training), stops when asked, and reports failures as one clear message."""
import os
import signal
import time
import unittest

import torch

from tests.runner_helpers import Runner, RunnerCase, cnn_spec, host_guard_verdict, write_bars, write_xor, xor_spec


class RunnerProcess(RunnerCase):
    def start(self, spec, data_file=None, **extra):
        return self.start_runner(spec, data_file or write_xor(self.tmp.name), run_id='run-1', **extra)

    def test_trains_xor_to_completion_with_falling_loss(self):
        r = self.start(xor_spec(epochs=20))
        done = r.wait_for(lambda m: m['type'] == 'done', 120)
        self.assertEqual(r.proc.wait(10), 0)
        info = r.of_type('started')[0]['info']
        self.assertEqual(info['backend'], 'pytorch (cpu)')
        self.assertEqual(info['engine'], 'pytorch')
        self.assertEqual((info['trainSamples'], info['valSamples'], info['batchesPerEpoch']), (320, 80, 10))
        self.assertEqual(info['totalParams'], 2 * 8 + 8 + 8 + 1)
        self.assertEqual(done['summary']['status'], 'completed')
        self.assertEqual(done['summary']['epochsDone'], 20)
        epochs = [e for m in r.of_type('progress') for e in m['epochs']]
        batches = [b for m in r.of_type('progress') for b in m['batches']]
        self.assertEqual([e['epoch'] for e in epochs], list(range(1, 21)))
        self.assertEqual([b['step'] for b in batches], list(range(1, 201)))
        self.assertAlmostEqual(batches[9]['x'], 1.0)
        self.assertLess(epochs[-1]['loss'], epochs[0]['loss'] * 0.6)
        self.assertLess(epochs[-1]['valLoss'], epochs[0]['valLoss'])
        self.assertGreater(epochs[-1]['valAccuracy'], 0.85)
        self.assertIn('valLossChangeSE', epochs[-1])
        self.assertGreater(epochs[-1]['samplesPerSec'], 0)
        # Coalesced: far fewer progress messages than batches.
        self.assertLess(len(r.of_type('progress')), len(batches))
        stats = r.of_type('stats')
        self.assertEqual(stats[0]['record']['when'], 'init')
        self.assertEqual([s['record']['epoch'] for s in stats if s['record']['when'] == 'epoch'], list(range(1, 21)))
        self.assertEqual(done['summary']['final'], epochs[-1])
        points = stats[-1]['record']['predictions']
        self.assertEqual(points['grid']['n'], 40)
        self.assertEqual(len(points['points']['x']), 80)
        self.assertEqual(host_guard_verdict(r.raw_lines)['rejected'], [])

    def test_stop_ends_with_stopped(self):
        r = self.start(xor_spec(epochs=100000))
        r.wait_for(lambda m: m['type'] == 'progress' and m['epochs'])
        r.send({'type': 'stop'})
        t0 = time.monotonic()
        done = r.wait_for(lambda m: m['type'] == 'done', 30)
        self.assertLess(time.monotonic() - t0, 5)
        self.assertEqual(done['summary']['status'], 'stopped')
        self.assertGreaterEqual(done['summary']['epochsDone'], 1)
        self.assertEqual(r.proc.wait(10), 0)

    def test_sigterm_is_a_stop(self):
        r = self.start(xor_spec(epochs=100000))
        r.wait_for(lambda m: m['type'] == 'progress')
        r.proc.send_signal(signal.SIGTERM)
        done = r.wait_for(lambda m: m['type'] == 'done', 30)
        self.assertEqual(done['summary']['status'], 'stopped')
        self.assertEqual(r.proc.wait(10), 0)

    def test_host_gone_stops_the_runner(self):
        r = self.start(xor_spec(epochs=100000))
        r.wait_for(lambda m: m['type'] == 'progress')
        r.proc.stdin.close()
        self.assertEqual(r.proc.wait(30), 0)

    def test_killed_runner_leaves_a_clean_stream(self):
        r = self.start(xor_spec(epochs=100000))
        r.wait_for(lambda m: m['type'] == 'progress')
        r.proc.kill()
        self.assertEqual(r.proc.wait(10), -signal.SIGKILL)
        time.sleep(0.2)
        # Every line it wrote before dying is a whole message (the helper parsed each one).
        self.assertTrue(all(line.endswith(b'\n') for line in r.raw_lines))

    def test_diverging_loss_fails_as_tfjs_does(self):
        spec = xor_spec(epochs=50, learningRate=1e30, loss='meanSquaredError', optimizer={'name': 'sgd', 'options': {}})
        spec['model']['layers'][1]['config']['activation'] = 'linear'
        r = self.start(spec)
        done = r.wait_for(lambda m: m['type'] == 'done', 60)
        self.assertEqual(done['summary']['status'], 'failed')
        self.assertRegex(done['summary']['error'], r'^The loss became (NaN|Infinity|-Infinity) at epoch \d+, batch \d+: the learning rate \(1e\+30\) is probably too high')
        self.assertEqual(done['summary']['nonFiniteLoss']['loss'] in ('NaN', 'Infinity', '-Infinity'), True)
        self.assertEqual(done['summary']['nonFiniteLoss']['epoch'], int(done['summary']['error'].split('at epoch ')[1].split(',')[0]))
        self.assertEqual(r.proc.wait(10), 1)

    def test_bad_data_file_is_one_clear_error(self):
        r = self.start(xor_spec(), data_file=os.path.join(self.tmp.name, 'missing.json'))
        err = r.wait_for(lambda m: m['type'] == 'error', 30)
        self.assertIn('Cannot read the data file', err['message'])
        self.assertNotIn('Traceback', err['message'])
        self.assertEqual(r.exit_code(10), 1)
        self.assertIn(b'Traceback', r.stderr)

    def test_out_of_memory_is_one_clear_error(self):
        spec = xor_spec()
        spec['model']['input'] = [200000]
        spec['model']['layers'][0]['config']['units'] = 200000  # 4e10 weights: 160 GB
        r = self.start(spec, data_file=write_xor(self.tmp.name))
        err = r.wait_for(lambda m: m['type'] == 'error', 60)
        self.assertTrue(err['message'].startswith('Training ran out of memory ('), err['message'])
        self.assertNotIn('\n', err['message'])
        self.assertEqual(r.proc.wait(10), 1)

    def test_cuda_where_there_is_none_is_one_clear_error(self):
        self.runner = Runner()
        self.runner.send({'type': 'start', 'runId': 'r', 'spec': xor_spec(epochs=1), 'dataFile': write_xor(self.tmp.name), 'device': 'cuda'})
        if torch.cuda.is_available():
            started = self.runner.wait_for(lambda m: m['type'] == 'started', 60)
            self.assertEqual(started['info']['backend'], 'pytorch (cuda:0)')
            return
        err = self.runner.wait_for(lambda m: m['type'] == 'error', 60)
        self.assertTrue(err['message'].startswith('device: cuda was asked for, but this PyTorch sees no CUDA GPU'), err['message'])
        self.assertEqual(self.runner.proc.wait(10), 1)

    def test_cnn_statistics_and_picked_maps(self):
        r = self.start(cnn_spec(epochs=2), data_file=write_bars(self.tmp.name))
        r.send({'type': 'pickMaps', 'pick': {'split': 'validation', 'index': 3}})
        done = r.wait_for(lambda m: m['type'] == 'done', 120)
        self.assertEqual(done['summary']['status'], 'completed')
        init = r.of_type('stats')[0]['record']
        conv = init['layers'][0]
        self.assertEqual(conv['filters']['shape'], [3, 3, 1, 4])
        self.assertEqual(conv['maps']['shape'], [6, 6, 4])
        self.assertEqual(conv['target']['rule'], 'he')
        self.assertEqual((conv['fanIn'], conv['fanOut']), (9, 36))
        self.assertEqual(init['probeInputs']['shape'], [6, 6, 1])
        self.assertEqual(len(init['predictions']['confusion']), 2)
        epoch_stats = [s['record'] for s in r.of_type('stats') if s['record']['when'] == 'epoch']
        self.assertIn('gradNorm', epoch_stats[0]['layers'][0])
        self.assertIn('updateRatio', epoch_stats[0]['layers'][0])
        self.assertEqual(sum(map(sum, epoch_stats[-1]['predictions']['confusion'])), 24)
        picked = r.of_type('pickedMaps')
        self.assertGreaterEqual(len(picked), 2)  # at once, then after every epoch
        maps = picked[-1]['reply']['maps']
        self.assertEqual(maps['layers'][0]['shape'], [6, 6, 4])
        self.assertEqual(maps['input']['shape'], [6, 6, 1])
        self.assertEqual(maps['counts'], {'train': 72, 'validation': 24})
        # The host's own guard accepts every line the runner wrote.
        verdict = host_guard_verdict(r.raw_lines)
        self.assertEqual(verdict['rejected'], [])
        self.assertEqual(sum(verdict['counts'].values()), len(r.raw_lines))
        self.assertEqual(verdict['counts']['pickedMaps'], len(picked))


if __name__ == '__main__':
    unittest.main()
