// Loads a JavaScript model file in the training worker (never in the extension host: the host
// refuses untrusted workspaces before it starts a worker, extension/jsModelFiles.ts). The file
// exports `model(tf)` returning a tfjs LayersModel, and optionally `data` and `train` objects in the
// YAML file's schema. CommonJS runs from the text the host sent (so lines match the diagnostics);
// ES modules are imported from disk.
import Module from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../engine/train/backend';
import { sanitize } from '../engine/train/buildModel';
import { checkedJsModel, modelLanguageOf, type JsModelText, type TfModelLike } from '../model/language/jsModel';
import { parseModelWithDataFiles } from '../engine/data/dataFiles';
import { toJsDiagnostics } from '../model/language/jsAnchors';
import type { TrainingDiagnostic } from '../protocol/stats';
import type { ModelSpec } from '../model/language/model';
import type { ParseResult } from '../model/language/parse';

export interface JsModelExports {
  model: (tfArg: unknown) => unknown;
  data?: unknown;
  train?: unknown;
}

/** What `model(tf)` receives: tfjs-core's ops plus the layers API, as `@tensorflow/tfjs` offers them. */
export const tfForModels: Record<string, unknown> = Object.freeze({
  ...tf, ...tfl, layers: tfl.layers, initializers: tfl.initializers, regularizers: tfl.regularizers, constraints: tfl.constraints,
  sequential: tfl.sequential, model: tfl.model, input: tfl.input,
});

const isEsm = (file: string, source: string): boolean =>
  file.endsWith('.mjs') || (!file.endsWith('.cjs') && /^\s*(export\s|import\s[\w{*])/m.test(source));

// A real dynamic import: the CommonJS bundle would otherwise turn import() into require().
const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;

export async function loadJsModel(file: string, source: string): Promise<JsModelExports> {
  let exported: Record<string, unknown>;
  if (isEsm(file, source)) {
    exported = await importEsm(`${pathToFileURL(file).href}?t=${Date.now()}`);
  } else {
    const m = new Module(file);
    m.filename = file;
    m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
    (m as unknown as { _compile(code: string, file: string): void })._compile(source, file);
    exported = m.exports as Record<string, unknown>;
  }
  const model = exported.model ?? (exported.default as Record<string, unknown> | undefined)?.model;
  if (typeof model !== 'function') {
    throw new Error('A JavaScript model file must export a function model(tf) that returns a tf.LayersModel (module.exports = { model, data, train } or export function model(tf) {...}).');
  }
  return { model: model as JsModelExports['model'], data: exported.data, train: exported.train };
}

function asLayersModel(v: unknown): tfl.LayersModel {
  if (v instanceof tfl.LayersModel) return v;
  throw new Error(`model(tf) must return a tf.LayersModel (tf.sequential(...) or tf.model(...)); it returned ${v === null ? 'null' : typeof v}.`);
}

export interface PreparedJsModel {
  parsed: ParseResult;
  /** The rules' advice for the Problems panel, on the JS file's lines. */
  advice: TrainingDiagnostic[];
  /** Training diagnostics (anchored in the generated model text) moved to the JS file's lines. */
  toJs: (list: TrainingDiagnostic[]) => TrainingDiagnostic[];
  /** Calls the file's model(tf) again for training (after the backend is chosen). */
  build: (spec: ModelSpec) => tfl.LayersModel;
}

/** Loads the file, builds its model once to check it with the model language's rules, and returns a builder. */
export async function prepareJsModel(file: string, source: string, wasmDir: string, name: string): Promise<PreparedJsModel> {
  const exportsOf = await loadJsModel(file, source);
  // Building makes weights, which need a backend; training picks its own one afterwards.
  await useBackend('cpu', wasmDir);
  const probe = asLayersModel(exportsOf.model(tfForModels));
  let text: JsModelText;
  try {
    text = modelLanguageOf(probe as unknown as TfModelLike, exportsOf.data, exportsOf.train, name);
  } finally {
    probe.dispose();
  }
  // The data files it names are looked for beside the JS file, as for a model file's.
  const checked = checkedJsModel(await parseModelWithDataFiles(text.json, { defaultName: name, modelFile: file }), text, source);
  const { json: _json, kinds, advice, ...parsed } = checked;
  // Replicas rebuild the network from the spec, which cannot carry the file's own code: one worker.
  if (parsed.spec) parsed.spec.train.workers = 1;
  return {
    parsed, advice, toJs: (list) => toJsDiagnostics(list, kinds, source),
    build: (spec) => renamed(asLayersModel(exportsOf.model(tfForModels)), spec),
  };
}

/**
 * tfjs numbers layer names per process (dense_Dense1, then dense_Dense3 on the next build); the
 * spec's ids come from the first build. Give the training build the same names, which the
 * statistics and diagnostics look layers up by.
 */
function renamed(model: tfl.LayersModel, spec: ModelSpec): tfl.LayersModel {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  if (layers.length === spec.model.layers.length) {
    layers.forEach((l, i) => {
      (l as unknown as { name: string }).name = sanitize(spec.model.layers[i]?.id ?? l.name);
    });
  }
  return model;
}
