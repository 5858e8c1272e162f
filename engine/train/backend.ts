// Chooses and starts the TensorFlow.js backend. wasm is the fast default; cpu is the reference
// and the fallback for what the shipped wasm backend cannot train yet.
import * as tf from '@tensorflow/tfjs-core';
// Gradients of every op (tfjs-layers happens to import these too; training must not depend on that).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// Registers the cpu backend (see scripts/build.mjs for why the bundler must keep this import).
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels } from './kernels/register';
import { kernelModule, loadSimdLoops, relaxedSimdSupported } from './kernels/simdLoops';
import type { WasmBackend } from './kernels/wasmHeap';
import type { ModelSpec } from '../../model/language/model';

export type BackendChoice = 'auto' | 'wasm' | 'cpu';

/** Kernels the wasm backend still lacks for training a layer kind, with ours registered
 *  (engine/train/kernels); such layers train on the cpu backend. Empty for every layer offered now. */
const WASM_MISSING_FOR_TRAINING: Record<string, string> = {};

export function pickBackend(spec: ModelSpec, choice: BackendChoice): { backend: 'wasm' | 'cpu'; note?: string } {
  if (choice === 'cpu') return { backend: 'cpu', note: 'cpu: chosen explicitly (modelLab.backend or --backend)' };
  const missing = spec.model.layers.map((l) => WASM_MISSING_FOR_TRAINING[l.kind]).find((k) => k !== undefined);
  if (!missing) return { backend: 'wasm' };
  const note = `cpu: the wasm backend has no ${missing} kernel, needed to train ${spec.model.layers.find((l) => WASM_MISSING_FOR_TRAINING[l.kind])?.kind}`;
  return { backend: 'cpu', note };
}

let wasmDirSet: string | undefined;
let simdLoaded = false;

/** Whether the kernels' wasm module is in use (it is whenever the wasm backend started). */
export const simdInUse = (): boolean => simdLoaded;

/** Which build of our wasm module runs, for the run's log. */
export function wasmSimdNote(): string {
  const kind = kernelModule();
  if (kind === 'relaxed-simd') return 'relaxed SIMD (fused multiply-add in the matrix products)';
  return kind === 'simd128' ? 'SIMD128 (this engine has no relaxed SIMD, so no fused multiply-add)' : 'not loaded';
}

/** `wasmDir`: folder holding tfjs-backend-wasm*.wasm (dist/wasm in the extension). */
export async function useBackend(backend: 'wasm' | 'cpu', wasmDir: string): Promise<void> {
  // Production mode: no debug checks, and no 'install tfjs-node' banner on the CLI's output.
  tf.enableProdMode();
  // Turns on relaxed SIMD (a V8 flag in Node) before any wasm module compiles.
  relaxedSimdSupported();
  registerTrainingKernels();
  if (backend === 'wasm' && wasmDirSet !== wasmDir) {
    setWasmPaths(wasmDir.endsWith('/') ? wasmDir : wasmDir + '/');
    wasmDirSet = wasmDir;
  }
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`TensorFlow.js could not start its ${backend} backend${backend === 'wasm' ? ` (wasm files looked up in ${wasmDir})` : ''}.`);
    await tf.ready();
  }
  if (backend === 'wasm' && !simdLoaded) {
    loadSimdLoops(wasmDir, (tf.backend() as unknown as WasmBackend).wasm.asm.memory);
    simdLoaded = true;
  }
}
