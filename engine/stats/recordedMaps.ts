// The recorded half of "feature maps for an input the user picks": once a run has ended its worker
// is gone, so a worker of its own loads the run's saved model (<run>/model/, written when training
// ends) and the run's data again, and answers picks with the final weights.
import { join } from 'node:path';
import type { ExamplePick, PickedMapsReply } from '../../protocol/pickedMaps';
import { loadExportedModel, MODEL_DIR } from '../export/finalModel';
import { loadTrainingData } from '../data/loadTraining';
import { parseModelWithDataFiles } from '../data/dataFiles';
import { pickBackend, useBackend, type BackendChoice } from '../train/backend';
import { encode } from '../train/tensors';
import { convLayersOf, isClassification, PickedMapsComputer } from './pickedMaps';

export interface RecordedMapsRequest {
  runDir: string;
  /** The model file's text as it ran (the record's model.yaml/json) and where it lived (for data paths). */
  source: string;
  modelFile: string;
  datasetsDir: string;
  wasmDir: string;
  backend: BackendChoice;
}

export interface RecordedMaps {
  answer(pick: ExamplePick): PickedMapsReply;
  dispose(): void;
}

export async function openRecordedMaps(req: RecordedMapsRequest): Promise<RecordedMaps> {
  const { spec } = await parseModelWithDataFiles(req.source, { defaultName: 'model', modelFile: req.modelFile });
  if (!spec) throw new Error('The model file recorded with this run no longer parses.');
  const convs = convLayersOf(spec);
  if (convs.length === 0) throw new Error('This model has no conv2d layer.');
  const { train, val } = loadTrainingData(spec, { datasetsDir: req.datasetsDir, modelFile: req.modelFile });
  await useBackend(pickBackend(spec, req.backend).backend, req.wasmDir);
  let model;
  try {
    model = await loadExportedModel(join(req.runDir, MODEL_DIR));
  } catch (e) {
    throw new Error(`This run has no saved model to compute feature maps with (${(e as Error).message}).`);
  }
  const saved = (model.getUserDefinedMetadata() as { modelLab?: { step?: number; epoch?: number } } | undefined)?.modelLab;
  const units = (model.outputs[0]?.shape[1] ?? 1) as number;
  const sets = { train: encode(train, spec.model.input, units), ...(val.n > 0 ? { validation: encode(val, spec.model.input, units) } : {}) };
  const computer = new PickedMapsComputer(model, convs, sets, isClassification(spec));
  const loaded = model;
  return {
    answer: (pick) => computer.compute(pick, saved?.step ?? 0, saved?.epoch ?? 0),
    dispose: () => loaded.dispose(),
  };
}
