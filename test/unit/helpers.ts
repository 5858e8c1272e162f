// Shared helpers for unit tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetDirs } from '../../engine/assets';

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
