import math
import unittest

from modellab_torch.schedules import learning_rate, to_steps


def spec(schedule, lr=1.0, epochs=10):
    return {'train': {'learningRate': lr, 'epochs': epochs, 'schedule': schedule}}


def steps(n):
    return {'unit': 'steps', 'value': n}


class Schedules(unittest.TestCase):
    def test_lengths_in_epochs_round_half_up_like_javascript(self):
        self.assertEqual(to_steps({'unit': 'epochs', 'value': 0.5}, 5), 3)  # Python's round would give 2
        self.assertEqual(to_steps(steps(0), 5), 1)

    def test_constant_without_a_schedule(self):
        self.assertEqual(learning_rate({'train': {'learningRate': 0.3, 'epochs': 2}}, 5, 0, 4), 0.3)

    def test_step_decay_and_gradual_warmup(self):
        s = spec({'warmup': {'mode': 'gradual', 'length': steps(4), 'factor': 0.1},
                  'main': {'kind': 'stepDecay', 'factor': 0.5, 'every': steps(10)}})
        self.assertEqual([learning_rate(s, t, 0, 10) for t in (0, 3, 4, 13, 14)], [0.25, 1.0, 1.0, 1.0, 0.5])

    def test_cosine_decay_ends_at_alpha(self):
        s = spec({'main': {'kind': 'cosineDecay', 'alpha': 0.1}}, epochs=1)
        self.assertAlmostEqual(learning_rate(s, 0, 0, 100), 1.0)
        self.assertAlmostEqual(learning_rate(s, 50, 0, 100), 0.55)
        self.assertAlmostEqual(learning_rate(s, 100, 0, 100), 0.1)

    def test_one_cycle_starts_low_peaks_at_lr(self):
        s = spec({'main': {'kind': 'oneCycle', 'pctStart': 0.3, 'divFactor': 25, 'finalDivFactor': 1e4}}, epochs=1)
        self.assertAlmostEqual(learning_rate(s, 0, 0, 100), 0.04)
        self.assertAlmostEqual(learning_rate(s, 30, 0, 100), 1.0)
        self.assertAlmostEqual(learning_rate(s, 100, 0, 100), 0.04 / 1e4)

    def test_cyclic_triangle(self):
        s = spec({'main': {'kind': 'cyclic', 'mode': 'triangular', 'maxLearningRate': 3.0, 'stepSize': steps(2), 'gamma': 1}})
        self.assertEqual([learning_rate(s, t, 0, 10) for t in range(5)], [1.0, 2.0, 3.0, 2.0, 1.0])

    def test_restarts_shrink_and_lengthen(self):
        s = spec({'main': {'kind': 'cosineDecayRestarts', 'first': steps(4), 'tMul': 2, 'mMul': 0.5, 'alpha': 0}})
        self.assertAlmostEqual(learning_rate(s, 4, 0, 10), 0.5)
        self.assertAlmostEqual(learning_rate(s, 8, 0, 10), 0.5 * 0.5 * (1 + math.cos(math.pi * 4 / 8)))


if __name__ == '__main__':
    unittest.main()
