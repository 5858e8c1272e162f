// The bench's PyTorch reference is only compared against when it runs on an optimised BLAS, and on
// the OpenBLAS core the CPU can run, as the engine's runner gets it (bench/torchReference.ts, host/engines/blasCore.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blasVerdict, type BlasProbe } from '../../bench/torchReference';
import { readBlasChoice } from '../../host/engines/blasCore';

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

test('the runner\'s OpenBLAS choice as the host reads it: the core to set, a note when measured, nothing from garbage', () => {
  const measured = '{"coretype": "SkylakeX", "chosen": "Prescott", "chosenGflops": 31.1, "wider": "SkylakeX", "widerGflops": 141.1, "from": "measured"}';
  assert.deepEqual(readBlasChoice(measured), { coretype: 'SkylakeX', note: 'OpenBLAS: using the SkylakeX core (Prescott 31.1 GFLOP/s, SkylakeX 141.1 GFLOP/s, one thread)' });
  assert.deepEqual(readBlasChoice(measured.replace('"measured"', '"cache"')), { coretype: 'SkylakeX', note: undefined }, 'a cached decision is not news');
  const slower = '{"coretype": null, "chosen": "Haswell", "chosenGflops": 90, "wider": "SkylakeX", "widerGflops": 80, "from": "measured"}';
  assert.deepEqual(readBlasChoice(slower), { coretype: undefined, note: 'OpenBLAS: keeping the Haswell core (Haswell 90 GFLOP/s, SkylakeX 80 GFLOP/s, one thread)' });
  assert.deepEqual(readBlasChoice('{"coretype": null, "from": "user", "user": "Zen"}'), { coretype: undefined, note: undefined });
  assert.deepEqual(readBlasChoice('Traceback ...'), {});
  assert.equal(readBlasChoice('{"coretype": "x; rm -rf /", "from": "cache"}').coretype, undefined, 'only a core name reaches the environment');
});
