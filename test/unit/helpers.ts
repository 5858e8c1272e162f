// Shared helpers for unit tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repo = join(__dirname, '..', '..');
export const example = (name: string): string => readFileSync(join(repo, 'examples', name), 'utf8');
export const datasetsDir = join(repo, 'media', 'datasets');
export const wasmDir = join(repo, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

export const XOR = example('xor.model.yaml');
