// An unclosed [ or { is reported on the bracket itself, not a line later where YAML gave up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSource } from '../../model/language/source';
import { findUnclosedFlow } from '../../model/language/unclosedFlow';

const file = (inputLine: string, layersLine = '  layers:') => ['name: x', 'data:', '  dataset: xor', 'model:', inputLine, layersLine, '    - dense: {units: 1}', 'train:', '  loss: meanSquaredError', ''].join('\n');

test('an unclosed [ on line 5 is reported at line 5, on the bracket', () => {
  const { diagnostics } = parseSource(file('  input: [2'));
  assert.equal(diagnostics[0]?.range.start.line, 4);
  assert.equal(diagnostics[0]?.range.start.character, 9);
  assert.match(diagnostics[0]?.message ?? '', /This \[ is never closed/);
  assert.ok(!diagnostics.some((d) => /sufficiently indented/.test(d.message)), JSON.stringify(diagnostics));
});

test('an unclosed { and a [ opening a block list are found; closed and quoted brackets are not', () => {
  assert.deepEqual(findUnclosedFlow('a: {x: 1\nb: 2\n'), { line: 0, character: 3, bracket: '{' });
  assert.deepEqual(findUnclosedFlow(file('  input: [2]', '  layers: [')), { line: 5, character: 10, bracket: '[' });
  assert.equal(findUnclosedFlow('a: [1,\n   2]\nb: "[x"\nc: 1 # [\n'), undefined);
  const { diagnostics } = parseSource(file('  input: [2]'));
  assert.deepEqual(diagnostics, []);
});
