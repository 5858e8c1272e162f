"""faults.py: what ends a run, as one line a user can act on."""
import unittest

from modellab_torch.faults import explain


class Explain(unittest.TestCase):
    def test_out_of_memory(self):
        e = RuntimeError('[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can\'t allocate memory: you tried to allocate 160000000000 bytes.\nmore')
        self.assertEqual(explain(e), f'Training ran out of memory ({str(e).splitlines()[0]}). Use a smaller batch size, or fewer units or filters.')
        self.assertTrue(explain(MemoryError()).startswith('Training ran out of memory (MemoryError).'))

    def test_gpu_failure(self):
        self.assertEqual(explain(RuntimeError('CUDA error: an illegal memory access was encountered\nCUDA kernel errors might be...')),
                         'The GPU failed: CUDA error: an illegal memory access was encountered. Try device: cpu to see whether the model itself is at fault.')

    def test_a_peer_rank_only_when_distributed(self):
        e = RuntimeError('[../third_party/gloo/gloo/transport/tcp/pair.cc:598] Connection closed by peer [127.0.0.1]:5678')
        self.assertTrue(explain(e, True).startswith('Another training process of this run stopped or failed, so this one stopped too ('))
        self.assertEqual(explain(e, False), str(e))

    def test_other_errors_keep_their_first_line(self):
        self.assertEqual(explain(ValueError("Layer 'dense_2' takes 'x', which does not exist.\ndetail")), "Layer 'dense_2' takes 'x', which does not exist.")
        self.assertIn("has no 'train'", explain(KeyError('train')))


if __name__ == '__main__':
    unittest.main()
