"""device.py: what `device:` picks and the threads the CPU gets."""
import os
import unittest

import torch

from modellab_torch import device


class Devices(unittest.TestCase):
    def setUp(self):
        self.threads = torch.get_num_threads()

    def tearDown(self):
        torch.set_num_threads(self.threads)

    def test_cpu_takes_every_core_unless_told(self):
        dev, label = device.choose('cpu')
        self.assertEqual((dev.type, label), ('cpu', 'pytorch (cpu)'))
        self.assertEqual(torch.get_num_threads(), os.cpu_count())
        device.choose('cpu', threads=1)
        self.assertEqual(torch.get_num_threads(), 1)

    def test_auto_prefers_a_gpu(self):
        dev, label = device.choose('auto', threads=1)
        if torch.cuda.is_available():
            self.assertEqual(label, 'pytorch (cuda:0)')
        elif getattr(torch.backends, 'mps', None) and torch.backends.mps.is_available():
            self.assertEqual(label, 'pytorch (mps)')
        else:
            self.assertEqual((dev.type, label), ('cpu', 'pytorch (cpu)'))

    def test_a_missing_device_says_so(self):
        for name in ('cuda', 'mps'):
            available = torch.cuda.is_available() if name == 'cuda' else bool(getattr(torch.backends, 'mps', None) and torch.backends.mps.is_available())
            if available:
                continue
            with self.assertRaises(device.DeviceError) as caught:
                device.choose(name)
            self.assertIn(f'device: {name} was asked for', str(caught.exception))
        with self.assertRaises(device.DeviceError):
            device.choose('tpu')


if __name__ == '__main__':
    unittest.main()
