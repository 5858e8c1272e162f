// Fuzzing the boundary validators (every message crossing a thread or a webview is untrusted):
// 10,000 random and mutated messages from each side of each boundary. A validator never throws;
// what it accepts has exactly the type's shape (checked field by field below, independently of the
// validator), so nothing malformed is ever acted on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asHostToWorker, asWorkerToHost } from '../../protocol/worker';
import { asHostToWebview, asWebviewToHost } from '../../protocol/webview';
import { asAugmentPreviewToHost } from '../../protocol/augmentPreview';
import { asCompareToHost } from '../../protocol/compare';
import { asInsideToHost } from '../../protocol/inside';
import { asLrFinderToHost } from '../../protocol/lrFinder';
import { asPlaygroundToHost } from '../../protocol/playground';
import { makeRng } from '../../common/random';

const MESSAGES = 10_000;
type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

const info = {
  id: 'r1', name: 'xor', modelFile: '/w/xor.model.yaml', startedAt: '2026-11-26T00:00:00Z', epochs: 3, batchSize: 32, batchesPerEpoch: 4,
  trainSamples: 100, valSamples: 20, backend: 'wasm', metrics: ['loss'], dataset: 'xor', seed: 1, totalParams: 33,
};
const epoch = { epoch: 1, loss: 0.5, learningRate: 0.01, samplesPerSec: 100, elapsedMs: 10 };
const batch = { step: 1, epoch: 1, x: 0.25, loss: 0.7 };
const summary = { status: 'completed', endedAt: '2026-11-26T00:00:01Z', durationMs: 1000, epochsDone: 3 };
const VALID = {
  hostToWorker: [
    { type: 'start', runId: 'r1', source: 'name: x', modelFile: '/w/x.model.yaml', assetsDir: '/ext/dist', backend: 'auto' },
    { type: 'stop' },
  ],
  workerToHost: [
    { type: 'started', info }, { type: 'progress', batches: [batch], epochs: [epoch] }, { type: 'log', level: 'info', message: 'hi' },
    { type: 'done', summary }, { type: 'error', message: 'boom', stack: 'at x' },
  ],
  webviewToHost: [{ type: 'ready' }, { type: 'stop', runId: 'r1' }, { type: 'trainAgain', runId: 'r1' }, { type: 'showInside', runId: 'r1', view: 'weights' }],
  // Every other panel -> host boundary (a webview can only ask for actions from a fixed list).
  insideToHost: [{ type: 'ready' }, { type: 'followLive' }, { type: 'pickExample', pick: { split: 'validation', index: 3 } }],
  compareToHost: [{ type: 'ready' }, { type: 'setView', metric: 'valLoss', smoothing: 0.6 }, { type: 'remove', id: '/w/.modellab/runs/a' }, { type: 'export', format: 'csv' }],
  lrFinderToHost: [{ type: 'ready' }, { type: 'apply', learningRate: 0.01 }],
  playgroundToHost: [
    { type: 'ready' }, { type: 'openFile' },
    { type: 'changed', config: { name: 'bowl', surface: 'x^2 + y^2', start: [1, 1], steps: 50, paths: [{ optimizer: 'sgd', learningRate: 0.1 }] } },
  ],
  augmentPreviewToHost: [{ type: 'ready' }, { type: 'redraw' }],
  hostToWebview: [
    { type: 'snapshot', run: { info, status: 'running', batches: [batch], epochs: [epoch] } },
    { type: 'append', runId: 'r1', batches: [batch], epochs: [] }, { type: 'status', runId: 'r1', status: 'completed', summary },
  ],
};

const ODD: unknown[] = [
  undefined, null, 0, -1, NaN, Infinity, '', 'x'.repeat(1000), true, [], {}, [1, 2], { type: 'start' }, Symbol.iterator.toString(),
  Object.create(null), { __proto__: { type: 'stop' } }, { toString: 'x' }, new Date(0), new Uint8Array(4), BigInt(5).toString(),
];

function randomValue(rng: Rng, depth = 0): unknown {
  const r = rng();
  if (depth > 3 || r < 0.4) return pick(rng, ODD);
  if (r < 0.6) return Array.from({ length: Math.floor(rng() * 4) }, () => randomValue(rng, depth + 1));
  const keys = [
    'type', 'runId', 'message', 'info', 'batches', 'epochs', 'summary', 'status', 'run', 'level', 'source', 'backend', 'command', 'path',
    'view', 'pick', 'split', 'index', 'metric', 'smoothing', 'id', 'format', 'learningRate', 'config', 'file', 'args',
  ];
  return Object.fromEntries(Array.from({ length: Math.floor(rng() * 5) }, () => [pick(rng, keys), randomValue(rng, depth + 1)]));
}

/** A valid message with one field (at any depth) replaced, deleted or retyped. */
function mutate(msg: unknown, rng: Rng): unknown {
  const copy = structuredClone(msg) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (let depth = 0; depth < 4; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const k = pick(rng, keys);
    const child = node[k];
    const inner: unknown = Array.isArray(child) ? child[0] : child;
    if (inner && typeof inner === 'object' && rng() < 0.5) {
      node = inner as Record<string, unknown>;
      continue;
    }
    if (rng() < 0.3) delete node[k];
    else node[k] = randomValue(rng, 2);
    break;
  }
  if (rng() < 0.1) {
    copy.type = pick(rng, [
      'start', 'stop', 'progress', 'snapshot', 'runCommand', 'eval', 'ready', 'trainAgain', '', 'showInside', 'pickExample', 'followLive',
      'setView', 'remove', 'export', 'apply', 'changed', 'openFile', 'redraw', 'executeCommand', 'openPath',
    ]);
  }
  return copy;
}

const isStr = (v: unknown) => typeof v === 'string';
const exactKeys = (o: Record<string, unknown>, ...keys: string[]) => Object.keys(o).sort().join() === keys.sort().join();
/** The message has `type` and exactly these fields: a panel's request carries nothing the host did not ask for. */
const only = (m: Record<string, unknown>, ...fields: string[]) => exactKeys(m, 'type', ...fields);
const isNum = (v: unknown) => typeof v === 'number';
/** An independent, stricter re-statement of the shapes that may be acted on. */
function strictlyValid(kind: keyof typeof VALID, m: Record<string, unknown>): boolean {
  const points = (v: unknown, fields: string[]) => Array.isArray(v) && v.every((p) => p && typeof p === 'object' && fields.every((f) => isNum((p as Record<string, unknown>)[f])));
  switch (kind) {
    case 'hostToWorker':
      return m.type === 'stop' || (m.type === 'start' && ['runId', 'source', 'modelFile', 'assetsDir'].every((f) => isStr(m[f])) && ['auto', 'wasm', 'cpu'].includes(m.backend as string));
    case 'webviewToHost':
      if (m.type === 'showInside') return only(m, 'runId', 'view') && isStr(m.runId) && ['weights', 'gradients', 'filters', 'predictions'].includes(m.view as string);
      return only(m) && m.type === 'ready' || (['stop', 'trainAgain'].includes(m.type as string) && isStr(m.runId) && only(m, 'runId'));
    case 'insideToHost': {
      const p = m.pick as Record<string, unknown> | undefined;
      if (m.type === 'pickExample') return only(m, 'pick') && !!p && exactKeys(p, 'split', 'index') && ['train', 'validation'].includes(p.split as string) && Number.isSafeInteger(p.index) && (p.index as number) >= 0;
      return only(m) && ['ready', 'followLive'].includes(m.type as string);
    }
    case 'compareToHost':
      if (m.type === 'setView') return only(m, 'metric', 'smoothing') && isStr(m.metric) && isNum(m.smoothing) && (m.smoothing as number) >= 0 && (m.smoothing as number) < 1;
      if (m.type === 'remove') return only(m, 'id') && isStr(m.id);
      if (m.type === 'export') return only(m, 'format') && ['csv', 'json'].includes(m.format as string);
      return only(m) && m.type === 'ready';
    case 'lrFinderToHost':
      if (m.type === 'apply') return only(m, 'learningRate') && Number.isFinite(m.learningRate) && (m.learningRate as number) > 0;
      return only(m) && m.type === 'ready';
    case 'playgroundToHost': {
      const c = m.config as Record<string, unknown> | undefined;
      if (m.type === 'changed') return only(m, 'config') && !!c && isStr(c.name) && isStr(c.surface) && Array.isArray(c.paths) && c.paths.length >= 1 && Number.isInteger(c.steps);
      return only(m) && ['ready', 'openFile'].includes(m.type as string);
    }
    case 'augmentPreviewToHost':
      return only(m) && ['ready', 'redraw'].includes(m.type as string);
    case 'workerToHost':
      if (m.type === 'progress') return points(m.batches, ['step', 'epoch', 'x', 'loss']) && points(m.epochs, ['epoch', 'loss', 'learningRate']);
      if (m.type === 'log') return ['info', 'warn'].includes(m.level as string) && isStr(m.message);
      if (m.type === 'error') return isStr(m.message);
      return ['started', 'done'].includes(m.type as string) && typeof (m.info ?? m.summary) === 'object';
    case 'hostToWebview':
      if (m.type === 'append') return isStr(m.runId) && points(m.batches, ['step', 'loss']) && points(m.epochs, ['epoch', 'loss']);
      return ['snapshot', 'status'].includes(m.type as string);
  }
}

const validators: Record<keyof typeof VALID, (v: unknown) => unknown> = {
  hostToWorker: asHostToWorker, workerToHost: asWorkerToHost, webviewToHost: asWebviewToHost, hostToWebview: asHostToWebview,
  insideToHost: asInsideToHost, compareToHost: asCompareToHost, lrFinderToHost: asLrFinderToHost, playgroundToHost: asPlaygroundToHost,
  augmentPreviewToHost: asAugmentPreviewToHost,
};

for (const kind of Object.keys(VALID) as (keyof typeof VALID)[]) {
  test(`${kind}: ${MESSAGES} random and mutated messages are dropped or strictly valid`, () => {
    const rng = makeRng(kind.length * 7919);
    const validate = validators[kind];
    for (const good of VALID[kind]) assert.ok(validate(structuredClone(good)), `${kind}: a valid ${good.type} is accepted`);
    let accepted = 0;
    for (let i = 0; i < MESSAGES; i++) {
      const input = i % 2 === 0 ? randomValue(rng) : mutate(pick(rng, VALID[kind]), rng);
      let out: unknown;
      try {
        out = validate(input);
      } catch (e) {
        assert.fail(`${kind} #${i}: the validator threw ${(e as Error).message} on ${JSON.stringify(input)}`);
      }
      if (out === undefined) continue;
      accepted++;
      assert.ok(strictlyValid(kind, out as Record<string, unknown>), `${kind} #${i}: accepted a malformed message ${JSON.stringify(out)}`);
    }
    // Most mutations break a message; some (an extra field, a different valid value) do not.
    assert.ok(accepted < MESSAGES / 2, `${kind}: accepted ${accepted} of ${MESSAGES}`);
  });
}
