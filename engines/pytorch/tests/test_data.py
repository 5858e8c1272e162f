"""data.py reads the host's data.json + data.bin and says clearly what is wrong with a bad pair."""
import json
import os
import struct
import tempfile
import unittest

import torch

from modellab_torch import data


class DataFiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write_raw(self, meta, floats):
        with open(os.path.join(self.dir, 'data.bin'), 'wb') as f:
            f.write(struct.pack(f'<{len(floats)}f', *floats))  # little-endian, as the host writes it
        path = os.path.join(self.dir, 'data.json')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(meta, f)
        return path

    def test_reads_hand_written_little_endian_file(self):
        # Two 2x1x1 images (channels-last) and their one-hot labels, then one validation example.
        floats = [1, 2, 3, 4, 0, 1, 1, 0, 5, 6, 1, 0]
        meta = {'task': 'classification', 'classes': 2,
                'train': {'n': 2, 'xShape': [2, 1, 1], 'yShape': [2], 'x': [0, 4], 'y': [4, 4]},
                'val': {'n': 1, 'xShape': [2, 1, 1], 'yShape': [2], 'x': [8, 2], 'y': [10, 2]}}
        d = data.load(self.write_raw(meta, floats))
        self.assertEqual(d.task, 'classification')
        self.assertEqual(d.train.x.shape, (2, 2, 1, 1))
        self.assertEqual(d.train.x[1].reshape(-1).tolist(), [3.0, 4.0])
        self.assertEqual(d.train.y.tolist(), [[0.0, 1.0], [1.0, 0.0]])
        self.assertEqual(d.val.x.reshape(-1).tolist(), [5.0, 6.0])
        self.assertEqual(d.train.x.dtype, torch.float32)

    def test_write_then_load_round_trips(self):
        train = data.Split(torch.randn(5, 3), torch.randn(5, 1))
        val = data.Split(torch.randn(2, 3), torch.randn(2, 1))
        d = data.load(data.write(self.dir, 'regression', 0, train, val))
        self.assertTrue(torch.equal(d.train.x, train.x))
        self.assertTrue(torch.equal(d.val.y, val.y))

    def test_no_validation_split(self):
        meta = {'task': 'regression', 'classes': 0, 'train': {'n': 1, 'xShape': [1], 'yShape': [1], 'x': [0, 1], 'y': [1, 1]}}
        self.assertIsNone(data.load(self.write_raw(meta, [1, 2])).val)

    def test_bad_files_say_what_is_wrong(self):
        base = {'task': 'regression', 'classes': 0, 'train': {'n': 2, 'xShape': [1], 'yShape': [1], 'x': [0, 2], 'y': [2, 2]}}
        cases = [
            ({**base, 'train': {**base['train'], 'x': [0, 3]}}, 'holds 3 values, but 2 examples'),
            ({**base, 'train': {**base['train'], 'y': [3, 2]}}, 'past the end of data.bin'),
            ({**base, 'task': 'clustering'}, '"task" must be'),
            ({**base, 'train': {**base['train'], 'xShape': [0]}}, 'xShape must be'),
        ]
        for meta, words in cases:
            with self.assertRaises(data.DataFileError) as caught:
                data.load(self.write_raw(meta, [1, 2, 3, 4]))
            self.assertIn(words, str(caught.exception))
        with self.assertRaises(data.DataFileError) as caught:
            data.load(os.path.join(self.dir, 'missing.json'))
        self.assertIn('Cannot read the data file', str(caught.exception))

    def test_truncated_bin(self):
        path = self.write_raw({'task': 'regression', 'train': {'n': 1, 'xShape': [1], 'yShape': [1], 'x': [0, 1], 'y': [1, 1]}}, [1, 2])
        with open(os.path.join(self.dir, 'data.bin'), 'ab') as f:
            f.write(b'\x00')
        with self.assertRaises(data.DataFileError) as caught:
            data.load(path)
        self.assertIn('not a whole number of float32', str(caught.exception))


if __name__ == '__main__':
    unittest.main()
