// The bench's PyTorch reference is only compared against when it runs on an optimised BLAS, and on
// the OpenBLAS core the CPU can run (bench/torchReference.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { betterOpenblasCore, blasVerdict, type BlasProbe } from '../../bench/torchReference';

const probe = (libs: string[], gflops: number): BlasProbe => ({ libs, openblasCore: null, openblasConfig: null, sgemmGflops: gflops, torch: '1.13' });

test('the reference BLAS is refused with how to install OpenBLAS', () => {
  const v = blasVerdict(probe(['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'], 6.1));
  assert.equal(v.ok, false);
  assert.ok(!v.ok && v.why.includes('apt-get install libopenblas0-pthread'));
  assert.ok(!v.ok && v.why.includes('6.1 GFLOP/s'));
  assert.equal(blasVerdict(probe([], 5)).ok, false);
});

test('OpenBLAS, MKL and BLIS are accepted', () => {
  assert.equal(blasVerdict(probe(['/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3', '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so'], 150)).ok, true);
  assert.equal(blasVerdict(probe(['/opt/intel/libmkl_rt.so.2'], 150)).ok, true);
  assert.equal(blasVerdict(probe(['/usr/lib/x86_64-linux-gnu/blis-openmp/libblis.so.4'], 150)).ok, true);
});

test('a generic OpenBLAS core on an AVX-512 or AVX2 CPU gets the core its flags allow', () => {
  const avx512 = new Set(['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw']);
  const avx2 = new Set(['sse4_2', 'avx', 'avx2', 'fma']);
  assert.equal(betterOpenblasCore('Prescott', avx512), 'SkylakeX');
  assert.equal(betterOpenblasCore('Haswell', avx512), 'SkylakeX');
  assert.equal(betterOpenblasCore('SkylakeX', avx512), undefined);
  assert.equal(betterOpenblasCore('Prescott', avx2), 'Haswell');
  assert.equal(betterOpenblasCore('Zen', avx2), undefined);
  assert.equal(betterOpenblasCore('Nehalem', new Set(['sse4_2'])), undefined);
});
