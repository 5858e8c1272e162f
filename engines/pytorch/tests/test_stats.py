"""stats.py: records split under the message budget as budget.ts splits them, the confusion counter,
and the collection schedule (train.statistics: N steps) through the runner process."""
import json
import tempfile
import unittest

import torch

from modellab_torch import stats
from tests.runner_helpers import Runner, write_xor, xor_spec


def size(v):
    return len(json.dumps(v, separators=(',', ':')))


class SplitRecord(unittest.TestCase):
    def test_parts_fit_and_keep_every_layer_once(self):
        layers = [{'id': f'l{i}', 'kind': 'dense', 'index': i, 'pad': 'x' * 9000} for i in range(20)]
        record = {'step': 5, 'epoch': 1, 'when': 'epoch', 'layers': layers, 'predictions': {'confusion': [[1, 0], [0, 1]]}}
        parts = stats.split_record(record, 30_000)
        self.assertGreater(len(parts), 1)
        self.assertTrue(all(size(p) <= 30_000 for p in parts))
        self.assertEqual([l['id'] for p in parts for l in p['layers']], [f'l{i}' for i in range(20)])
        self.assertIn('predictions', parts[0])
        self.assertTrue(all('predictions' not in p for p in parts[1:]))
        self.assertTrue(all((p['step'], p['epoch'], p['when']) == (5, 1, 'epoch') for p in parts))

    def test_a_layer_too_big_alone_loses_maps_then_filters(self):
        big = {'id': 'c', 'kind': 'conv2d', 'index': 0, 'kernel': {'n': 1}, 'maps': {'x': 'm' * 50_000}, 'filters': {'x': 'f' * 20_000}}
        [part] = stats.split_record({'step': 0, 'epoch': 0, 'when': 'init', 'layers': [big]}, 30_000)
        self.assertNotIn('maps', part['layers'][0])
        self.assertIn('filters', part['layers'][0])
        [part] = stats.split_record({'step': 0, 'epoch': 0, 'when': 'init', 'layers': [{**big, 'filters': {'x': 'f' * 40_000}}]}, 30_000)
        self.assertEqual(set(part['layers'][0]), {'id', 'kind', 'index', 'kernel'})


class Confusion(unittest.TestCase):
    def test_counts_true_rows_predicted_columns(self):
        c = stats.ConfusionCounter(3)
        c.add(torch.eye(3)[[0, 1, 2, 2]], torch.eye(3)[[0, 2, 2, 1]])
        self.assertEqual(c.matrix.tolist(), [[1, 0, 0], [0, 0, 1], [0, 1, 1]])
        one = stats.ConfusionCounter(1)
        one.add(torch.tensor([[1.0], [0.0], [1.0]]), torch.tensor([[0.7], [0.6], [0.2]]))
        self.assertEqual(one.matrix.tolist(), [[0, 1], [1, 1]])
        self.assertEqual(one.rows, 3)


class Schedule(unittest.TestCase):
    def test_every_n_steps_and_off(self):
        with tempfile.TemporaryDirectory() as tmp:
            data = write_xor(tmp)
            r = Runner()
            try:
                r.send({'type': 'start', 'runId': 'r', 'spec': xor_spec(epochs=2, statistics={'every': 7, 'probe': 16}), 'dataFile': data, 'device': 'cpu', 'threads': 1})
                r.wait_for(lambda m: m['type'] == 'done', 60)
                records = [m['record'] for m in r.of_type('stats')]
                self.assertEqual([(x['when'], x['step']) for x in records], [('init', 0), ('step', 7), ('step', 14)])
                self.assertIn('gradNorm', records[1]['layers'][0])  # reused from the step itself
                self.assertEqual(records[0]['layers'][0]['act']['count'], 16 * 8)  # the probe batch's 16 examples
            finally:
                r.close()
            r = Runner()
            try:
                r.send({'type': 'start', 'runId': 'r', 'spec': xor_spec(epochs=2, statistics={'every': 'off', 'probe': 32}), 'dataFile': data, 'device': 'cpu', 'threads': 1})
                r.wait_for(lambda m: m['type'] == 'done', 60)
                self.assertEqual(r.of_type('stats'), [])
            finally:
                r.close()

    def test_statistics_leave_a_dropout_model_training_as_without_them(self):
        # The probe's gradient pass runs the net in train mode: its masks must not advance the sequence
        # (as the tfjs engine's withoutSideEffects rewinds), or statistics would change the run.
        spec = xor_spec(epochs=2)
        spec['model']['layers'].insert(1, {'kind': 'dropout', 'id': 'dropout_2', 'inputs': ['dense_1'], 'config': {'rate': 0.5}, 'index': 1})
        spec['model']['layers'][2]['inputs'] = ['dropout_2']
        losses = []
        with tempfile.TemporaryDirectory() as tmp:
            data = write_xor(tmp)
            for every in (1, 'off'):
                r = Runner()
                try:
                    spec['train']['statistics'] = {'every': every, 'probe': 16}
                    r.send({'type': 'start', 'runId': 'r', 'spec': spec, 'dataFile': data, 'device': 'cpu', 'threads': 1})
                    r.wait_for(lambda m: m['type'] == 'done', 60)
                    losses.append([b['loss'] for m in r.of_type('progress') for b in m['batches']])
                    if every == 1:
                        self.assertGreater(len(r.of_type('stats')), 10)
                finally:
                    r.close()
        self.assertGreater(len(losses[0]), 10)
        self.assertEqual(losses[0], losses[1])


if __name__ == '__main__':
    unittest.main()
