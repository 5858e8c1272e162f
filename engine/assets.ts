// Where the shipped data sets and the tfjs wasm binaries are: in the extension folder (dist/wasm,
// media/datasets), or, when running from source (tests, tsx), in node_modules.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface AssetDirs {
  datasetsDir: string;
  wasmDir: string;
  /** The PyTorch runner's package folder (engines/pytorch, put on PYTHONPATH). */
  runnerDir: string;
}

/** `root`: the extension (or repository) folder, holding dist/ and media/. */
export function assetDirs(root: string): AssetDirs {
  const bundled = join(root, 'dist', 'wasm');
  let wasmDir = bundled;
  if (!existsSync(join(bundled, 'tfjs-backend-wasm.wasm'))) {
    try {
      wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    } catch {
      /* keep the bundled path: the error when loading names it */
    }
  }
  return { datasetsDir: join(root, 'media', 'datasets'), wasmDir, runnerDir: join(root, 'engines', 'pytorch') };
}
