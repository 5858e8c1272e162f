// The train keys that choose the engine (engine, device, processes, nodes, rendezvous): parsed into
// the spec, wrong values reported on their own line, offered by completion and known to the schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { parseModel } from '../../model/language/parse';
import { completeYaml } from '../../model/completion/completion';
import { buildModelSchema } from '../../model/completion/schema';

const HEAD = 'name: t\ndata: {dataset: xor}\nmodel:\n  input: [2]\n  layers:\n    - dense: {units: 1, activation: sigmoid}\ntrain:\n  loss: binaryCrossentropy\n';
const parse = (extra: string) => parseModel(HEAD + extra, { checkData: false });
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

test('engine, device, processes, nodes and rendezvous reach the spec', () => {
  const r = parse('  engine: pytorch\n  device: cpu\n  processes: 2\n  nodes: 2\n  rendezvous: 10.0.0.5:29400\n');
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const t = r.spec?.train;
  assert.equal(t?.engine, 'pytorch');
  assert.equal(t?.device, 'cpu');
  assert.equal(t?.processes, 2);
  assert.equal(t?.nodes, 2);
  assert.equal(t?.rendezvous, '10.0.0.5:29400');
  assert.equal(parse('  processes: auto\n').spec?.train.processes, 'auto');
  assert.equal(parse('').spec?.train.engine, undefined, 'absent: the setting or tfjs decides');
});

test('a wrong value is reported on its line, with the closest choice', () => {
  const cases: [string, string, RegExp][] = [
    ['  engine: pytroch\n', 'engine: pytroch', /Did you mean 'pytorch'/],
    ['  device: gpu\n', 'device: gpu', /one of: auto, cpu, cuda, mps/],
    ['  processes: 0\n', 'processes: 0', /processes/],
    ['  processes: many\n', 'processes: many', /processes/],
    ['  nodes: 1.5\n', 'nodes: 1.5', /nodes/],
    ['  rendezvous: myhost\n', 'rendezvous: myhost', /host:port/],
    ['  rendezvous: myhost:99999\n', 'rendezvous: myhost:99999', /host:port/],
  ];
  for (const [extra, needle, message] of cases) {
    const r = parse(extra);
    assert.equal(r.spec, undefined, needle);
    const d = r.diagnostics.find((x) => message.test(x.message));
    assert.ok(d, `${needle}: ${JSON.stringify(r.diagnostics)}`);
    assert.equal(d.range.start.line, lineOf(HEAD + extra, needle), needle);
  }
});

test('several machines need a rendezvous; PyTorch-only keys under engine: tfjs are warned about', () => {
  const nodes = parse('  engine: pytorch\n  nodes: 3\n');
  assert.ok(nodes.diagnostics.some((d) => d.severity === 'error' && /rendezvous/.test(d.message)), JSON.stringify(nodes.diagnostics));
  const tfjs = parse('  engine: tfjs\n  device: cuda\n');
  const w = tfjs.diagnostics.find((d) => d.code === 'engine-key-ignored');
  assert.ok(w && w.severity === 'warning');
  assert.equal(w.range.start.line, lineOf(HEAD + '  engine: tfjs\n  device: cuda\n', 'device: cuda'));
});

test('completion offers the keys and their values; the schema accepts good values and rejects bad ones', () => {
  const keysAt = (text: string) => completeYaml(text, text.split('\n').length - 1, text.split('\n').pop()!.length);
  const keys = keysAt(HEAD + '  ').map((e) => e.label);
  for (const k of ['engine', 'device', 'processes', 'nodes', 'rendezvous']) assert.ok(keys.includes(k), k);
  assert.deepEqual(keysAt(HEAD + '  engine: ').map((e) => e.label), ['tfjs', 'pytorch']);
  assert.deepEqual(keysAt(HEAD + '  device: ').map((e) => e.label), ['auto', 'cpu', 'cuda', 'mps']);
  const validate = new Ajv({ strict: false }).compile(buildModelSchema());
  const base = { data: { dataset: 'xor' }, model: { input: [2], layers: [{ dense: { units: 1 } }] } };
  assert.ok(validate({ ...base, train: { loss: 'binaryCrossentropy', engine: 'pytorch', device: 'cpu', processes: 'auto', nodes: 2, rendezvous: 'a:1' } }));
  assert.ok(!validate({ ...base, train: { loss: 'binaryCrossentropy', engine: 'torch' } }));
  assert.ok(!validate({ ...base, train: { loss: 'binaryCrossentropy', processes: 0 } }));
});
