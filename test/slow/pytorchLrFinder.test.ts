// The learning-rate range test on the PyTorch engine, through TrainingRun as the LR finder panel runs
// it: each step's rate is the tfjs engine's sweepRate, the sweep ends by the same rule (its steps, or
// the smoothed loss 4 times its minimum), the points reach the host as batches, and the panel's
// suggestion can be drawn from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseModel } from '../../model/language/parse';
import { TrainingRun } from '../../host/trainingRun';
import { PytorchConnection } from '../../host/engines/pytorchProcess';
import { writeEngineFiles } from '../../host/engines/engineFiles';
import { resolveTopology } from '../../host/engines/pytorchLaunch';
import { suggestLearningRate, sweepRate } from '../../engine/train/lrFinder';
import type { LrFinderRequest } from '../../protocol/worker';
import { datasetsDir, repo, wasmDir, XOR } from '../unit/helpers';
import { info, log } from '../unit/trainingRunHelpers';
import { torchPython } from './torchPython';

function sweep(text: string, req: LrFinderRequest) {
  const parsed = parseModel(text, { checkData: false });
  const spec = parsed.spec;
  assert.ok(spec, JSON.stringify(parsed.diagnostics));
  const dataDir = mkdtempSync(join(tmpdir(), 'ml-lr-'));
  const run = new TrainingRun({
    info: { ...info('t-lr'), engine: 'pytorch' }, source: text, extensionPath: repo, backend: 'auto', log, lrFinder: req,
    connect: (h) => new PytorchConnection({
      python: torchPython(), runnerDir: join(repo, 'engines', 'pytorch'), runId: 't-lr', spec, place: { datasetsDir, modelFile: '' },
      dataDir, device: 'cpu', topology: resolveTopology(spec), log, lrFinder: req,
      writeData: () => writeEngineFiles(spec, { datasetsDir, modelFile: '' }, dataDir, wasmDir),
    }, h),
  });
  return new Promise<TrainingRun>((resolve) => run.onDidUpdate((e) => { if (e.type === 'status') resolve(run); }));
}

/** tfjs's stop rule (engine/train/lrFinder.ts), replayed on the points: the step it would stop at. */
function stopStep(losses: number[], steps: number): number {
  let avg = 0;
  let best = Infinity;
  for (let i = 0; i < losses.length; i++) {
    const step = i + 1;
    avg = 0.98 * avg + 0.02 * (losses[i] as number);
    const smooth = avg / (1 - 0.98 ** step);
    best = Math.min(best, smooth);
    if (step >= steps || !Number.isFinite(smooth) || (step > 5 && smooth > 4 * best)) return step;
  }
  return Infinity;
}

test('the range test on PyTorch: tfjs\'s rates step by step, its stop rule, a suggestion from the points', { timeout: 120_000 }, async () => {
  // Over several epochs (xor has 10 batches of 32), past the schedule the file would have had.
  const req = { minLearningRate: 1e-4, maxLearningRate: 1, steps: 40 };
  const run = await sweep(XOR.replace('epochs: 60', 'epochs: 2\n  schedule: {stepDecay: {factor: 0.1, epochs: 1}}'), req);
  const points = run.snapshot.batches;
  assert.notEqual(run.snapshot.status, 'failed', run.snapshot.summary?.error);
  assert.equal(points.length, 40, 'a sweep that does not blow up runs its steps, past the file\'s 2 epochs');
  points.forEach((p, i) => assert.ok(Math.abs((p.learningRate as number) - sweepRate(req, i)) <= 1e-12 * sweepRate(req, i), `step ${i + 1}: ${p.learningRate}`));
  assert.ok(suggestLearningRate(points.map((p) => ({ learningRate: p.learningRate as number, loss: p.loss }))), 'the panel can suggest a rate');

  const wild = { minLearningRate: 1e-3, maxLearningRate: 1e4, steps: 200 };
  const blown = await sweep(XOR, wild);
  const losses = blown.snapshot.batches.map((p) => p.loss);
  assert.ok(losses.length < 200, `stopped early at ${losses.length}`);
  if (blown.snapshot.status !== 'failed') assert.equal(losses.length, stopStep(losses, 200), 'stopped where the tfjs rule stops');
  else assert.match(blown.snapshot.summary?.error ?? '', /The loss became/, 'or at a non-finite loss, as tfjs');
});
