"""rng.py against the numbers common/random.ts gives (fixtures/random.json, made by fixtures/makeRandom.ts)."""
import json
import math
import os
import unittest

from modellab_torch import rng

FIXTURE = os.path.join(os.path.dirname(__file__), 'fixtures', 'random.json')


def seed_of(key: str):
    return float(key) if '.' in key else int(key)


class RngMatchesTypeScript(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(FIXTURE, encoding='utf-8') as f:
            cls.expected = json.load(f)

    def test_mulberry32_sequence(self):
        for key, values in self.expected['rng'].items():
            r = rng.make_rng(seed_of(key))
            self.assertEqual([r() for _ in values], values, f'seed {key}')

    def test_derive_seed(self):
        for key, values in self.expected['derive'].items():
            self.assertEqual([rng.derive_seed(seed_of(key), k) for k in (0, 7, 11, 3)], values, f'seed {key}')

    def test_two_epochs_of_shuffles(self):
        for key, (first, second) in self.expected['shuffle'].items():
            order = list(range(37))
            r = rng.make_rng(rng.derive_seed(seed_of(key), 7))
            self.assertEqual(list(rng.shuffle_in_place(order, r)), first, f'seed {key} epoch 1')
            self.assertEqual(list(rng.shuffle_in_place(order, r)), second, f'seed {key} epoch 2')

    def test_gaussian(self):
        for key, values in self.expected['gaussian'].items():
            r = rng.make_rng(seed_of(key))
            got = [rng.gaussian(r) for _ in values]
            for g, e in zip(got, values):
                self.assertAlmostEqual(g, e, places=12)


def scalar_shuffle(items, r):
    """Fisher-Yates one rng() call at a time: shuffleInPlace as written in common/random.ts."""
    for i in range(len(items) - 1, 0, -1):
        j = math.floor(r() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


class VectorisedStream(unittest.TestCase):
    def test_floats_are_the_calls_values(self):
        for seed in (0, 1, 12345, 2 ** 32 - 1, 3.7):
            a, b = rng.make_rng(seed), rng.make_rng(seed)
            for n in (1, 5, 1000):
                self.assertEqual(a.floats(n).tolist(), [b() for _ in range(n)], f'seed {seed}')
            self.assertEqual(a(), b())  # the state advanced alike

    def test_shuffle_is_the_one_call_at_a_time_shuffle(self):
        for seed in (1, 99, 2 ** 31 + 5):
            for n in (0, 1, 2, 37, 60000):
                a, b = list(range(n)), list(range(n))
                ra, rb = rng.make_rng(seed), rng.make_rng(seed)
                for epoch in range(2):
                    self.assertEqual(rng.shuffle_in_place(a, ra), scalar_shuffle(b, rb), f'seed {seed} n {n} epoch {epoch + 1}')


if __name__ == '__main__':
    unittest.main()
