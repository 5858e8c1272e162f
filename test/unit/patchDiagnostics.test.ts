// A notebook's patch cells get the model language's diagnostics: the patch is checked merged onto
// the model above it, and each finding is carried back to the key (or value) the patch writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patchCellDiagnostics } from '../../host/notebook/patchDiagnostics';
import type { CellInput } from '../../host/notebook/resolveCells';
import { XOR } from './helpers';

/** The xor example: a model file with no findings of its own. */
const BASE = XOR;
const model = (source = BASE): CellInput => ({ kind: 'model', source });
const patch = (source: string): CellInput => ({ kind: 'patch', source });

/** [code, line, character, the text the range covers] of each diagnostic of the cell. */
function found(cells: CellInput[], index: number): [string, number, number, string][] {
  const list = patchCellDiagnostics(cells)[index];
  assert.ok(list, `cell ${index} is a patch`);
  const lines = (cells[index]?.source ?? '').split('\n');
  return list.map((d) => [d.code, d.range.start.line, d.range.start.character, (lines[d.range.start.line] ?? '').slice(d.range.start.character, d.range.end.character)]);
}

test('a clean patch has no diagnostics; model and markdown cells are left to the model language', () => {
  const cells = [{ kind: 'markdown' as const, source: '# sweep' }, model(), patch('name: lr-0.005\ntrain:\n  learningRate: 0.005\n')];
  const all = patchCellDiagnostics(cells);
  assert.deepEqual(all, [undefined, undefined, []]);
});

test('a misspelt key in the patch is an error on that key, on the patch\'s own line', () => {
  const cells = [model(), patch('name: typo\ntrain:\n  learningRat: 0.3\n')];
  assert.deepEqual(found(cells, 1), [['unknown-key', 2, 2, 'learningRat']]);
  const list = patchCellDiagnostics(cells)[1]!;
  assert.equal(list[0]?.severity, 'error');
  assert.match(list[0]!.message, /Did you mean 'learningRate'/);
});

test('a value the patch writes is checked on the value, and its quick fix edits the patch', () => {
  const cells = [model(), patch('train:\n  learningRate: 500\n'), patch('train:\n  learningRate: 0.6\n')];
  assert.deepEqual(found(cells, 1), [['out-of-range', 1, 16, '500']]);
  // 0.6 is legal but large for adam: the rule's fix replaces the value in the patch cell.
  const [large] = patchCellDiagnostics(cells)[2]!;
  assert.equal(large?.code, 'learning-rate');
  assert.deepEqual(large?.range, { start: { line: 1, character: 16 }, end: { line: 1, character: 19 } });
  assert.deepEqual(large?.fixes?.[0]?.edits.map((e) => e.range), [large?.range]);
});

test('a layer list the patch replaces is checked item by item on the patch\'s lines', () => {
  const cells = [model(), patch('model:\n  layers:\n    - dense: {units: 8, activation: relu}\n    - dense: {units: 1, activaton: sigmoid}\n')];
  assert.deepEqual(found(cells, 1).filter(([code]) => code === 'unknown-key'), [['unknown-key', 3, 24, 'activaton']]);
});

test('a problem the patch causes off its own keys lands on the nearest key it writes; the base\'s own stay with the base', () => {
  // The base has its own warning (a batch larger than the data): no patch repeats it.
  const base = BASE.replace(/learningRate: .*/, 'learningRate: 3').replace(/batchSize: .*/, 'batchSize: 100000');
  assert.deepEqual(found([model(base), patch('name: same\n')], 1), []);
  // sgd makes the base's rate of 3 too large: the finding is on train.learningRate, which the patch does not write.
  assert.deepEqual(found([model(base), patch('train:\n  optimizer: sgd\n')], 1), [['learning-rate', 0, 0, 'train']]);
  // A loss that needs one output per class: the finding is on the output layer, outside the patch: its first line.
  assert.deepEqual(found([model(base), patch('# switch the loss\ntrain: {loss: categoricalCrossentropy}\n')], 1), [['output-units', 0, 0, '# switch the loss']]);
});

test('a patch with no model above, or above a broken cell, says so on its first line; YAML errors keep their place', () => {
  assert.deepEqual(found([patch('train: {epochs: 3}')], 0).map(([code, line]) => [code, line]), [['patch-base', 0]]);
  const broken = [model('model: [unclosed'), patch('train: {epochs: 3}')];
  assert.match(patchCellDiagnostics(broken)[1]![0]!.message, /cell above has errors/);
  const [syntax] = found([model(), patch('name: x\ntrain: [1\n')], 1);
  assert.equal(syntax?.[0], 'syntax');
  assert.ok((syntax?.[1] ?? 0) >= 1, 'on the broken line, not the first');
});

test('a patch below a patch is checked against the model the first patch made', () => {
  const cells = [model(), patch('train:\n  optimizer: sgd\n'), patch('train:\n  learningRate: 5\n')];
  const codes = found(cells, 2).map(([code, line, , text]) => [code, line, text]);
  assert.deepEqual(codes, [['learning-rate', 1, '5']], 'large for sgd, the optimizer the patch above chose');
});
