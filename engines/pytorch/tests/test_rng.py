"""rng.py against the numbers common/random.ts gives (fixtures/random.json, made by fixtures/makeRandom.ts)."""
import json
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


if __name__ == '__main__':
    unittest.main()
