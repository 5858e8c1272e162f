// The parser runs on the extension host's thread at every keystroke, so it must never touch the
// disk: the data files a model names are checked afterwards, asynchronously (engine/data/dataFiles.ts).
// Every synchronous fs function is counted while model files naming data files (present and
// missing CSV, IDX, image folders) are parsed every way the editor and the CLI parse them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDataFiles } from '../../engine/data/dataFiles';
import { untrustedDataRefusal } from '../../engine/data/trustedData';
import { editorDiagnostics } from '../../model/language/architecture';
import { ModelDocument } from '../../model/language/modelDocument';
import { parseModel, parseModelSection, type ParseOptions } from '../../model/language/parse';
import { csvModel, example } from './helpers';

/** Replaces every synchronous function of node:fs by a counting one while `run` runs. */
function countSyncFs(run: () => void): string[] {
  const calls: string[] = [];
  const mutable = fs as unknown as Record<string, unknown>;
  const originals = Object.entries(mutable).filter(([name, value]) => name.endsWith('Sync') && typeof value === 'function');
  assert.ok(originals.some(([name]) => name === 'statSync') && originals.some(([name]) => name === 'readSync'));
  for (const [name, original] of originals) {
    mutable[name] = (...args: unknown[]) => {
      calls.push(name);
      return (original as (...a: unknown[]) => unknown)(...args);
    };
  }
  syncBuiltinESMExports();
  try {
    run();
  } finally {
    for (const [name, original] of originals) mutable[name] = original;
    syncBuiltinESMExports();
  }
  return calls;
}

const dir = mkdtempSync(join(tmpdir(), 'ml-nofs-'));
writeFileSync(join(dir, 'present.csv'), 'a,b,y\n1,2,3\n');
const modelFile = join(dir, 'm.model.yaml');
const texts = [
  example('diabetes-csv.model.yaml'),
  csvModel('present', 'present.csv', 2),
  csvModel('missing', 'missing.csv', 2).replace('target: y', 'target: y\n  validation: gone.csv'),
  'data:\n  idx: {images: none.idx, labels: none.idx1-ubyte}\nmodel:\n  input: [2, 2, 1]\n  layers: [flatten, dense: {units: 2, activation: softmax}]\ntrain: {loss: categoricalCrossentropy}\n',
  'data:\n  images: nowhere\nmodel:\n  input: [4, 4, 1]\n  layers: [flatten, dense: {units: 2, activation: softmax}]\ntrain: {loss: categoricalCrossentropy}\n',
];

test('parsing a model file reads no file synchronously, even where its data files are', () => {
  // The option the parser once read files with: passing it anyway must not make it look.
  const options = { defaultName: 'm', defaultSeed: 0, modelFile } as ParseOptions;
  let parsed = 0;
  const calls = countSyncFs(() => {
    for (const text of texts) {
      parseModel(text, options);
      parseModelSection(text);
      editorDiagnostics(text, options);
      const doc = new ModelDocument(text, options);
      void doc.diagnostics;
      void doc.section;
      parsed++;
    }
  });
  assert.equal(parsed, texts.length);
  assert.deepEqual(calls, [], `synchronous fs calls while parsing: ${calls.join(', ')}`);
});

test('the data-file checks run afterwards, asynchronously, on what the parse kept of the data section', async () => {
  let pending: Promise<unknown>[] = [];
  let refusals: Promise<unknown>[] = [];
  const calls = countSyncFs(() => {
    pending = texts.map((text) => checkDataFiles(parseModel(text, { defaultSeed: 0 }).dataToCheck, modelFile));
    // Restricted Mode's look at where the data files really are, too.
    refusals = texts.map((text) => untrustedDataRefusal(parseModel(text, { defaultSeed: 0 }).spec!, modelFile, [dir]));
  });
  assert.deepEqual(calls, [], `synchronous fs calls while checking data files: ${calls.join(', ')}`);
  assert.deepEqual(await Promise.all(refusals), texts.map(() => undefined), 'every data file is inside the folder');
  const found = (await Promise.all(pending)) as { code: string; message: string }[][];
  assert.deepEqual(found[1], [], 'a present CSV with its target column');
  assert.deepEqual(found[2]?.map((d) => d.message.replace(dir, 'DIR')), [
    "The CSV file 'missing.csv' not found (looked for DIR/missing.csv).",
    "The CSV file 'gone.csv' not found (looked for DIR/gone.csv).",
  ]);
  assert.ok(found[3]?.some((d) => d.code === 'data-file' && /The images file 'none\.idx' not found/.test(d.message)));
  assert.ok(found[4]?.some((d) => d.code === 'data-file' && /The image folder 'nowhere' not found/.test(d.message)));
});
