"""metrics.py: the tfjs engine's accuracy, running means, validation noise and coalescing."""
import math
import time
import unittest

import torch

from modellab_torch import metrics


class Metrics(unittest.TestCase):
    def test_accuracy_threshold_and_argmax(self):
        y1 = torch.tensor([[1.0], [0.0], [1.0], [0.0]])
        p1 = torch.tensor([[0.9], [0.6], [0.4], [0.1]])
        self.assertEqual(metrics.correct_count(y1, p1), 2)
        y = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
        p = torch.tensor([[0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4]])
        self.assertEqual(metrics.correct_count(y, p), 2)

    def test_running_means_weight_by_batch_size(self):
        s = metrics.EpochSums()
        s.add(1.0, 0.5, 64)
        s.add(4.0, 1.0, 16)  # a short last batch counts for its 16 examples only
        self.assertAlmostEqual(s.loss, (64 + 64) / 80)
        self.assertAlmostEqual(s.accuracy, (32 + 16) / 80)
        self.assertEqual(s.seen, 80)

    def test_change_standard_error_is_paired(self):
        then = [1.0, 2.0, 3.0, 4.0]
        # Every example moves by the same amount: no noise at all, however spread the losses are.
        self.assertEqual(metrics.change_standard_error([x + 0.5 for x in then], then), 0.0)
        now = [1.1, 1.9, 3.3, 3.7]
        d = [a - b for a, b in zip(now, then)]
        mean = sum(d) / 4
        expected = math.sqrt(sum((x - mean) ** 2 for x in d) / 3 / 4)
        self.assertAlmostEqual(metrics.change_standard_error(now, then), expected, places=12)
        self.assertEqual(metrics.change_standard_error([1.0], [2.0]), 0.0)

    def test_validation_noise_against_best_epoch(self):
        v = metrics.ValidationNoise()
        self.assertEqual(v.change_se(1.0, [1.0, 1.0, 1.0]), 0.0)  # the first epoch is the best so far
        v.change_se(0.5, [0.4, 0.5, 0.6])                          # a new best
        se = v.change_se(0.9, [0.9, 0.5, 1.3])                     # compared with the 0.5 epoch
        self.assertAlmostEqual(se, metrics.change_standard_error([0.9, 0.5, 1.3], [0.4, 0.5, 0.6]))
        self.assertIsNone(v.change_se(float('nan'), [1.0, 1.0, 1.0]))

    def test_coalescer_limits_rate_and_keeps_everything(self):
        now = [0.0]
        sent = []
        c = metrics.ProgressCoalescer(lambda b, e: sent.append((list(b), list(e))), 0.05, lambda: now[0])
        for i in range(100):
            now[0] = i * 0.001  # 1000 batches a second
            c.batch({'step': i})
        followed = []
        c.after(lambda: followed.append(len(sent)))
        c.epoch({'epoch': 1})
        c.flush()
        steps = [p['step'] for b, _ in sent for p in b]
        self.assertEqual(steps, list(range(100)))
        self.assertLessEqual(len(sent), 100 * 0.001 / 0.05 + 2)
        self.assertEqual(sent[-1][1], [{'epoch': 1}])
        self.assertEqual(followed, [len(sent)])  # the statistics went after the points buffered before them

    def test_coalescer_timer_sends_the_tail(self):
        sent = []
        c = metrics.ProgressCoalescer(lambda b, e: sent.append(b), 0.05)
        c.batch({'step': 1})
        c.batch({'step': 2})  # buffered: within 50 ms of the first send
        deadline = time.monotonic() + 2
        while len(sent) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertEqual([p['step'] for b in sent for p in b], [1, 2])


if __name__ == '__main__':
    unittest.main()
