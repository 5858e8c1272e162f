// Shared helpers for unit tests.
import { closeSync, openSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { assetDirs } from '../../engine/assets';
import type { RunInfo } from '../../protocol/run';

export const repo = join(__dirname, '..', '..');
export const example = (name: string): string => readFileSync(join(repo, 'examples', name), 'utf8');
export const datasetsDir = join(repo, 'media', 'datasets');
/** dist/wasm once built (with the SIMD kernels module), else tfjs's own folder in node_modules. */
export const wasmDir = assetDirs(repo).wasmDir;

export const XOR = example('xor.model.yaml');

/** The smallest model that trains on a CSV file: a linear regression of column y on `inputs` columns. */
export const csvModel = (name: string, csv: string, inputs: number): string => `name: ${name}
data:
  csv: ${csv}
  target: y
model:
  input: [${inputs}]
  layers:
    - dense: {units: 1}
train:
  loss: meanSquaredError
  optimizer: adam
`;

/** Line and column of the first `needle` at or after line `from`. */
export function at(text: string, needle: string, from = 0): { line: number; character: number } {
  const lines = text.split('\n');
  for (let line = from; line < lines.length; line++) {
    const character = lines[line]!.indexOf(needle);
    if (character >= 0) return { line, character };
  }
  throw new Error(`${needle} not in the text`);
}

/** The info of a digits-cnn run, as the host writes it when the run starts. */
export const cnnRunInfo = (id: string, epochs: number): RunInfo => ({
  id, name: 'digits-cnn', modelFile: '', startedAt: new Date().toISOString(), epochs, batchSize: 32, batchesPerEpoch: 0,
  trainSamples: 0, valSamples: 0, backend: '', metrics: ['loss', 'accuracy'], dataset: 'digits', seed: 1, totalParams: 0,
});

/** A file of `bytes` zeros that takes no disk space. */
export function sparseFile(path: string, bytes: number): void {
  closeSync(openSync(path, 'w'));
  truncateSync(path, bytes);
}
