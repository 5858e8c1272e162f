// Every example in examples/ that trains, trained as the editor trains it (backend 'auto', the
// default of modelLab.backend, with a run folder so statistics and the final model are written too),
// on a few batches: each must train on the wasm backend with Model Lab's kernels. The cpu backend is
// only a fallback that names the missing kernel (info.backendNote, a log line); no example may need it.
// Model-only files (examples/architectures/, for counting parameters) cannot train and must say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { RunInfo, RunSummary } from '../../protocol/run';
import type { ModelSpec } from '../../model/language/model';
import { parseModelSection } from '../../model/language/parse';
import { parseModelWithDataFiles } from '../../engine/data/dataFiles';
import { JS_MODEL_PATTERN } from '../../model/language/jsModel';
import { useBackend } from '../../engine/train/backend';
import { train, type TrainOptions } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { neverCancelled } from '../../common/cancellation';
import { prepareJsModel } from '../../worker/jsModel';
import { datasetsDir, repo, wasmDir } from '../unit/helpers';

const examples = join(repo, 'examples');
const MODEL_FILE = /\.model\.(ya?ml|json|[cm]?js)$/;
/** Batches per epoch and epochs each example trains here: enough for every hook to run once. */
const BATCHES = 3;
const EPOCHS = 2;

function modelFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? modelFiles(path) : MODEL_FILE.test(e.name) ? [path] : [];
  }).sort();
}

/** A few batches of the same run: the data set cut to BATCHES batches of training data. */
function shortened(spec: ModelSpec): ModelSpec {
  const { batchSize } = spec.train;
  const split = spec.data.validationSplit;
  const wanted = Math.ceil((BATCHES * batchSize) / (1 - split)) + (split > 0 ? 1 : 0);
  return {
    ...spec,
    data: { ...spec.data, samples: spec.data.samples > 0 ? Math.min(spec.data.samples, wanted) : wanted },
    train: { ...spec.train, epochs: Math.min(spec.train.epochs, EPOCHS) },
  };
}

interface Outcome { summary: RunSummary; info: RunInfo; logs: string[]; batches: number }

async function trainExample(file: string, spec: ModelSpec, buildModel?: TrainOptions['buildModel']): Promise<Outcome> {
  const runDir = mkdtempSync(join(tmpdir(), 'mlab-examples-'));
  const logs: string[] = [];
  let info: RunInfo | undefined;
  let batches = 0;
  try {
    const short = shortened(spec);
    const summary = await train(short, {
      runId: 'examples', modelFile: file, datasetsDir, wasmDir, backend: 'auto', token: neverCancelled, hooks: standardHooks(short, { runDir }),
      ...(buildModel ? { buildModel } : {}),
      sink: { started: (i) => { info = i; }, batch: () => { batches++; }, epoch: () => {}, log: (_l, m) => logs.push(m), stats: () => {}, diagnostics: () => {} },
    });
    assert.ok(info, 'the run started');
    return { summary, info, logs, batches };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** Examples that end in a failure on purpose, and the message they must end with. */
const FAILS_ON_PURPOSE: Record<string, RegExp> = {
  'inside/nan-loss.model.yaml': /The loss became (NaN|Infinity)/,
};

const files = modelFiles(examples);

test('examples/ holds the model files this test trains', () => {
  assert.ok(files.length >= 25, `${files.length} model files`);
  assert.ok(files.some((f) => f.endsWith('digits-cnn.model.yaml')) && files.some((f) => /\.model\.m?js$/.test(f)));
});

for (const file of files) {
  const name = relative(examples, file);
  const title = name.startsWith('architectures/') ? 'a model-only file: it cannot train and says so' : 'trains on the wasm backend, no cpu fallback';
  test(`${name}: ${title}`, async () => {
    const source = readFileSync(file, 'utf8');
    await useBackend('wasm', wasmDir);
    const before = tf.memory().numTensors;
    let outcome: Outcome;
    if (JS_MODEL_PATTERN.test(file)) {
      const js = await prepareJsModel(file, source, wasmDir, name);
      assert.ok(js.parsed.spec, JSON.stringify(js.parsed.diagnostics));
      outcome = await trainExample(file, js.parsed.spec, js.build);
    } else {
      const parsed = await parseModelWithDataFiles(source, { modelFile: file });
      if (!parsed.spec) {
        // A model-only file (an architecture to count): it cannot train, and says why on its line.
        assert.match(name, /^architectures\//, `${name} does not parse: ${JSON.stringify(parsed.diagnostics)}`);
        assert.ok(parsed.diagnostics.some((d) => /needs a 'data' section/.test(d.message)), JSON.stringify(parsed.diagnostics));
        const counted = parseModelSection(source).summary;
        assert.ok(counted && counted.totalParams > 0, 'its parameters are still counted (model-lab summary)');
        return;
      }
      outcome = await trainExample(file, parsed.spec);
    }
    const { summary, info, logs, batches } = outcome;
    assert.ok(info.batchesPerEpoch <= BATCHES + 1, `${info.batchesPerEpoch} batches an epoch: the data set was cut`);
    assert.ok(batches >= 1, 'it trained');
    assert.equal(info.backend, 'wasm', `${name} trained on ${info.backend}: ${info.backendNote ?? ''}`);
    assert.equal(info.backendNote, undefined, `${name}: ${info.backendNote}`);
    assert.deepEqual(logs.filter((l) => /\bcpu\b|kernel/i.test(l)), [], 'no log line about a fallback or a missing kernel');
    const expectedFailure = FAILS_ON_PURPOSE[name];
    if (expectedFailure) assert.match(summary.error ?? '', expectedFailure);
    else assert.equal(summary.status, 'completed', summary.error);
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  });
}
