"""The OpenBLAS core rule (modellab_torch/blas.py): the core the CPU's flags allow, kept only when its
sgemm measured faster; a user's OPENBLAS_CORETYPE is never overridden; the decision is cached."""
import json
import os
import tempfile
import unittest
from unittest import mock

from modellab_torch import blas

AVX512 = {'sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw'}
AVX2 = {'sse4_2', 'avx', 'avx2', 'fma'}


class CoreRule(unittest.TestCase):
    def test_the_core_the_flags_allow(self):
        self.assertEqual(blas.wider_core('Prescott', AVX512), 'SkylakeX')
        self.assertEqual(blas.wider_core('Haswell', AVX512), 'SkylakeX')
        self.assertIsNone(blas.wider_core('SkylakeX', AVX512))
        self.assertEqual(blas.wider_core('Prescott', AVX2), 'Haswell')
        self.assertIsNone(blas.wider_core('Zen', AVX2))
        self.assertIsNone(blas.wider_core('Nehalem', {'sse4_2'}))

    def test_kept_only_when_faster(self):
        self.assertEqual(blas.decide('Prescott', 30.0, 'SkylakeX', 150.0), 'SkylakeX')
        self.assertIsNone(blas.decide('Prescott', 30.0, 'SkylakeX', 29.0))
        self.assertIsNone(blas.decide('Prescott', 30.0, 'SkylakeX', None), 'a wider core that did not run')
        self.assertIsNone(blas.decide(None, 30.0, None, None), 'not OpenBLAS')

    def test_user_setting_wins_and_decisions_are_cached(self):
        with tempfile.TemporaryDirectory() as cache, mock.patch.dict(os.environ, {'XDG_CACHE_HOME': cache}):
            os.environ.pop('OPENBLAS_CORETYPE', None)
            runs = []

            def fake_measure(core):
                runs.append(core)
                return {'openblasCore': core or 'Prescott', 'sgemmGflops': 150.0 if core else 30.0, 'libs': ['libopenblas.so'], 'torch': '1.13'}

            with mock.patch.object(blas, '_measure_with', fake_measure), mock.patch.object(blas, 'cpu_flags', lambda: AVX512):
                first = blas.choose()
                again = blas.choose()
                with mock.patch.dict(os.environ, {'OPENBLAS_CORETYPE': 'Haswell'}):
                    user = blas.choose()
            self.assertEqual((first['coretype'], first['from']), ('SkylakeX', 'measured'))
            self.assertEqual((again['coretype'], again['from']), ('SkylakeX', 'cache'))
            self.assertEqual(runs, [None, 'SkylakeX'], 'measured once, both cores, each in its own process')
            self.assertEqual((user['coretype'], user['from'], user['user']), (None, 'user', 'Haswell'))
            self.assertEqual(len(os.listdir(os.path.join(cache, 'modellab'))), 1)
            with open(os.path.join(cache, 'modellab', os.listdir(os.path.join(cache, 'modellab'))[0])) as f:
                self.assertEqual(json.load(f)['coretype'], 'SkylakeX')


if __name__ == '__main__':
    unittest.main()
