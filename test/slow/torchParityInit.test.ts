// Initial weights follow the same distributions on both engines. The numbers differ (another
// generator), so each weight of a large layer is compared by its spread and range: every layer kind
// with weights, every initializer name the catalogue takes, and the defaults. Kernels of rank 3-5
// take Keras's fans from the Keras shape (a depthwise kernel [kh, kw, in, multiplier] has fan_in
// kh*kw*in); weights of rank 1 (biases, gamma, beta) take tfjs's sqrt(size) on both sides.
// orthogonal is drawn on kernels only (tfjs refuses a shape of rank 1). tfjs 4.22's orthogonal calls
// Tensor.flatten, a chained op that tfjs-core alone does not register: this file registers them
// all, so that the comparison runs (the tfjs engine itself does not, and fails to draw it).
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildNetwork, sanitize } from '../../engine/train/buildModel';
import { kerasWeightName } from '../../engine/train/weightsFiles';
import type { LayerSpec } from '../../model/language/model';
import { repo } from '../unit/helpers';
import { requireTorch, useWasm } from './torchParityHelpers';
import { torchPython } from './torchPython';

before(useWasm);

const INITIALIZERS = ['glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'lecunNormal', 'lecunUniform', 'leCunNormal', 'leCunUniform',
  'randomNormal', 'randomUniform', 'truncatedNormal', 'zeros', 'ones', 'constant'];

interface Case { name: string; input: number[]; kind: string; config: Record<string, unknown> }
interface Spread { n: number; mean: number; std: number; absMax: number }

function cases(): Case[] {
  const out: Case[] = [];
  for (const name of INITIALIZERS) {
    const k = { name, options: name === 'constant' ? { value: 0.3 } : {} };
    out.push(
      { name: `dense ${name}`, input: [300], kind: 'dense', config: { units: 1024, kernelInitializer: k, biasInitializer: k } },
      { name: `maxout ${name}`, input: [300], kind: 'maxout', config: { units: 256, pieces: 4, kernelInitializer: k, biasInitializer: k } },
      { name: `conv1d ${name}`, input: [12, 16], kind: 'conv1d', config: { filters: 64, kernelSize: 5, kernelInitializer: k } },
      { name: `conv2d ${name}`, input: [6, 6, 16], kind: 'conv2d', config: { filters: 64, kernelSize: 3, kernelInitializer: k } },
      { name: `conv2dTranspose ${name}`, input: [6, 6, 16], kind: 'conv2dTranspose', config: { filters: 64, kernelSize: 3, kernelInitializer: k } },
      { name: `depthwiseConv2d ${name}`, input: [6, 6, 64], kind: 'depthwiseConv2d', config: { kernelSize: 3, depthMultiplier: 4, depthwiseInitializer: k } },
      { name: `separableConv2d ${name}`, input: [6, 6, 64], kind: 'separableConv2d',
        config: { filters: 64, kernelSize: 3, depthMultiplier: 2, depthwiseInitializer: k, pointwiseInitializer: k } },
      { name: `batchNormalization ${name}`, input: [2, 2, 1024], kind: 'batchNormalization',
        config: { gammaInitializer: k, betaInitializer: k, movingMeanInitializer: k, movingVarianceInitializer: k } },
      { name: `layerNormalization ${name}`, input: [1024], kind: 'layerNormalization', config: { gammaInitializer: k, betaInitializer: k } },
    );
  }
  const orthogonal = { name: 'orthogonal', options: { gain: 1.5 } };
  out.push(
    { name: 'dense orthogonal', input: [96], kind: 'dense', config: { units: 48, kernelInitializer: orthogonal } },
    { name: 'conv2d orthogonal', input: [6, 6, 8], kind: 'conv2d', config: { filters: 24, kernelSize: 3, kernelInitializer: orthogonal } },
    { name: 'depthwiseConv2d orthogonal', input: [6, 6, 16], kind: 'depthwiseConv2d', config: { kernelSize: 3, depthMultiplier: 2, depthwiseInitializer: orthogonal } },
  );
  const defaults: [string, number[], Record<string, unknown>][] = [
    ['dense', [300], { units: 256 }], ['maxout', [300], { units: 64, pieces: 3 }], ['conv1d', [12, 16], { filters: 64, kernelSize: 3 }],
    ['conv2d', [6, 6, 32], { filters: 64, kernelSize: 3 }], ['conv2dTranspose', [6, 6, 32], { filters: 64, kernelSize: 3, strides: 2 }],
    ['depthwiseConv2d', [6, 6, 64], { kernelSize: 3, depthMultiplier: 2 }], ['separableConv2d', [6, 6, 64], { filters: 64, kernelSize: 3 }],
    ['batchNormalization', [4, 4, 32], {}], ['layerNormalization', [64], {}], ['groupNormalization', [4, 4, 32], { groups: 8 }],
    ['instanceNormalization', [4, 4, 32], {}],
  ];
  for (const [kind, input, config] of defaults) out.push({ name: `${kind} defaults`, input, kind, config });
  return out;
}

function spread(values: ArrayLike<number>): Spread {
  let s = 0, s2 = 0, absMax = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    s += v;
    s2 += v * v;
    absMax = Math.max(absMax, Math.abs(v));
  }
  const mean = s / values.length;
  return { n: values.length, mean, std: Math.sqrt(Math.max(0, s2 / values.length - mean * mean)), absMax };
}

function tfjsSpreads(all: Case[]): Record<string, Spread> {
  const out: Record<string, Spread> = {};
  for (const c of all) {
    const layer = { id: 'L', kind: c.kind, config: c.config, inputs: [] } as unknown as LayerSpec;
    const model = buildNetwork({ input: c.input, layers: [layer] }, 11);
    for (const w of model.getLayer(sanitize('L')).weights) out[`${c.name}: ${kerasWeightName(w.originalName)} ${w.shape.join('x')}`] = spread(w.read().dataSync());
    model.dispose();
  }
  return out;
}

const PYTHON_SIDE = `
import json, sys
from modellab_torch.build import build_model
out = {}
for c in json.load(sys.stdin):
    net = build_model({'input': c['input'], 'layers': [{'id': 'L', 'kind': c['kind'], 'config': c['config']}]}, 11)
    for _, name, t, to_keras, _ in net.keras_weights():
        k = to_keras(t.detach()).double()
        out[c['name'] + ': ' + name + ' ' + 'x'.join(str(d) for d in k.shape)] = {
            'n': k.numel(), 'mean': k.mean().item(), 'std': k.std(unbiased=False).item(), 'absMax': k.abs().max().item()}
print(json.dumps(out))
`;

function torchSpreads(all: Case[]): Record<string, Spread> {
  const r = spawnSync(torchPython(), ['-c', PYTHON_SIDE], {
    input: JSON.stringify(all), encoding: 'utf8', maxBuffer: 1 << 26, timeout: 240_000,
    env: { ...process.env, PYTHONPATH: join(repo, 'engines/pytorch') },
  });
  assert.equal(r.status, 0, `python failed: ${r.stderr || String(r.error)}`);
  return JSON.parse(r.stdout) as Record<string, Spread>;
}

test('every layer kind draws its initial weights from the same distribution on both engines', { timeout: 600_000 }, () => {
  requireTorch();
  const all = cases();
  const [tfjs, torch] = [tfjsSpreads(all), torchSpreads(all)];
  assert.deepEqual(Object.keys(torch).sort(), Object.keys(tfjs).sort(), 'the same weights, named and shaped the Keras way');
  const wrong: string[] = [];
  for (const [key, a] of Object.entries(tfjs)) {
    const b = torch[key] as Spread;
    // A sample's std is off by about 1/sqrt(2n) of itself; 6 of those (at least 5%) is chance only
    // once in many runs, while a wrong fan moves it by sqrt(2) or more.
    const tol = Math.max(0.05, 6 / Math.sqrt(2 * a.n));
    const same = (x: number, y: number): boolean => Math.abs(x - y) <= tol * Math.max(Math.abs(x), Math.abs(y)) + 1e-7;
    const meanOk = Math.abs(a.mean - b.mean) <= 6 * Math.max(a.std, b.std) / Math.sqrt(a.n) + 1e-6;
    // A bounded draw (uniform, truncated) reaches close to its bound in both; an unbounded one (normal,
    // orthogonal, whose entries are near normal) is not compared by range.
    const bounded = !/randomNormal|orthogonal/.test(key);
    if (!same(a.std, b.std) || !meanOk || (bounded && !same(a.absMax, b.absMax))) {
      wrong.push(`${key}: tfjs mean ${a.mean.toPrecision(3)} std ${a.std.toPrecision(3)} |max| ${a.absMax.toPrecision(3)}; ` +
        `PyTorch mean ${b.mean.toPrecision(3)} std ${b.std.toPrecision(3)} |max| ${b.absMax.toPrecision(3)}`);
    }
  }
  assert.deepEqual(wrong, []);
});
