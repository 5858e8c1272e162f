// What a PyTorch training run starts from, written by the host: the data files (engineData.ts) and,
// beside them, the initial weights a tfjs run of the same file and seed starts from
// (engine/train/initialWeights.ts). Its own module because it brings tfjs: the extension host's
// bundle must not, so the editor calls it on the data thread (engineDataThread.ts) and only the
// thread and the CLI import it.
import { join } from 'node:path';
import type { ModelSpec } from '../../model/language/model';
import type { DataPlace } from '../../engine/data/loadTraining';
import { INITIAL_WEIGHTS_FILE, writeInitialWeights } from '../../engine/train/initialWeights';
import { writeEngineData } from './engineData';

/** data.json and the initial weights' weights.json (each with its .bin). */
export interface EngineFiles { dataFile: string; weightsFile: string }

/** `wasmDir`: where tfjs's .wasm files are (the weights are drawn on the wasm backend, as a tfjs run's). */
export async function writeEngineFiles(spec: ModelSpec, place: DataPlace, dir: string, wasmDir: string): Promise<EngineFiles> {
  const dataFile = writeEngineData(spec, place, dir).file;
  const weightsFile = join(dir, INITIAL_WEIGHTS_FILE);
  await writeInitialWeights(spec, weightsFile, wasmDir);
  return { dataFile, weightsFile };
}
