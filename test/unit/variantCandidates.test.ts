// The editor offers a variant only when the varied file is valid: ten times the output layer's
// units would break the loss/classes fit, so it is never offered; the hidden layer's is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidVariant, variantCandidates } from '../../model/variants/candidates';
import { example } from './helpers';

test('xor: every offer is a valid file; the output layer\'s units are not varied, the hidden layer\'s are', () => {
  const text = example('xor.model.yaml');
  const all = variantCandidates(text);
  assert.ok(all.length >= 6, `${all.length} offers`);
  for (const c of all) assert.ok(isValidVariant(c.source), `${c.name} offered but invalid`);
  const unitsPaths = all.filter((c) => c.key === 'units').map((c) => JSON.stringify(c.path));
  assert.ok(unitsPaths.some((p) => p.includes('"layers",0')), 'hidden units offered');
  assert.ok(!unitsPaths.some((p) => p.includes('"layers",1')), 'output units offered');
  assert.ok(all.some((c) => c.key === 'learningRate' && c.factor === 10));
});

test('at a position: only the number under the cursor', () => {
  const text = example('xor.model.yaml');
  const lines = text.split('\n');
  const line = lines.findIndex((l) => /^\s*learningRate:/.test(l));
  const character = (lines[line] as string).indexOf(':') + 3;
  const here = variantCandidates(text, { line, character });
  assert.deepEqual(here.map((c) => c.key), ['learningRate', 'learningRate']);
  assert.deepEqual(variantCandidates(text, { line: 0, character: 0 }), []);
});

test('the validity check is what decides: a check that refuses everything leaves no offer', () => {
  assert.deepEqual(variantCandidates(example('xor.model.yaml'), undefined, () => false), []);
});
