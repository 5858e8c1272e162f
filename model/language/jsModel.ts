// A JavaScript model file (`*.model.js`) exports `model(tf)` returning a tfjs LayersModel, and
// optionally `data` and `train` in the same schema as the YAML file. The worker (never the
// extension host) loads it; this turns the built model back into the model language, so the same
// parser, shape analysis and rules check it, and puts every message on the JS line it is about.
import { INPUT_ID } from '../analysis/shapes';
import type { Range, SpecDiagnostic } from './diagnostic';
import { LAYERS } from './layers';
import { parseModel, type ParseResult } from './parse';
import type { TrainingDiagnostic } from '../../protocol/stats';
import { jsRuleDiagnostics } from './jsAnchors';
import { exportRange, layerCallSites, mapLayersToSites } from './jsModelLines';
import { entry, parseSource } from './source';
import { INITIALIZERS } from './vocabulary';

/** The parts of a tfjs layer this reads (structural, so the model language needs no tfjs import). */
export interface TfLayerLike {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  inboundNodes?: { inboundLayers: { name: string }[] }[];
}

export interface TfModelLike {
  layers: TfLayerLike[];
  inputs: { shape: (number | null)[] }[];
}

export const JS_MODEL_PATTERN = /\.model\.[cm]?js$/;

/** Dense -> dense, Conv2D -> conv2d, MaxPooling2D -> maxPooling2d, ReLU -> reLU. */
export function kindOfClassName(className: string): string {
  return (className.charAt(0).toLowerCase() + className.slice(1)).replace(/(\d)D$/, '$1d');
}

type Serialized = { className?: string; config?: Record<string, unknown> } | null | undefined;

/** A serialized tfjs initializer as the model language writes it; undefined for tfjs's default or unknown ones. */
function initializerOf(v: Serialized, isKernel: boolean): unknown {
  if (!v?.className) return undefined;
  const c = v.config ?? {};
  if (v.className === 'VarianceScaling') {
    const dist = c.distribution === 'uniform' ? 'Uniform' : 'Normal';
    const scheme = c.scale === 2 && c.mode === 'fanIn' ? 'he' : c.scale === 1 && c.mode === 'fanAvg' ? 'glorot' : c.scale === 1 && c.mode === 'fanIn' ? 'leCun' : undefined;
    if (!scheme || (isKernel && scheme === 'glorot' && dist === 'Normal')) return undefined;
    return `${scheme}${dist}`;
  }
  const name = kindOfClassName(v.className);
  if (!(INITIALIZERS as readonly string[]).includes(name) || (!isKernel && name === 'zeros')) return undefined;
  const opts = Object.fromEntries(Object.entries(c).filter(([k, x]) => typeof x === 'number' && k !== 'seed'));
  return Object.keys(opts).length ? { [name]: opts } : name;
}

function regularizerOf(v: Serialized): unknown {
  if (v?.className !== 'L1L2') return undefined;
  const out = Object.fromEntries(Object.entries(v.config ?? {}).filter(([, x]) => typeof x === 'number' && x > 0));
  return Object.keys(out).length ? out : undefined;
}

/** One layer in the model language: only options the catalogue knows, tfjs defaults left out. */
function layerEntry(layer: TfLayerLike, inputs: string[] | undefined): Record<string, unknown> {
  const kind = kindOfClassName(layer.getClassName());
  const def = LAYERS[kind];
  const config = layer.getConfig();
  const options: Record<string, unknown> = { id: layer.name, ...(inputs ? { inputs } : {}) };
  for (const [key, type] of Object.entries(def?.options ?? {})) {
    const v = config[key];
    if (v === null || v === undefined) continue;
    if (type.type === 'initializer') {
      const init = initializerOf(v as Serialized, key === 'kernelInitializer' || key === 'depthwiseInitializer' || key === 'pointwiseInitializer');
      if (init !== undefined) options[key] = init;
    } else if (type.type === 'regularizer') {
      const reg = regularizerOf(v as Serialized);
      if (reg !== undefined) options[key] = reg;
    } else options[key] = v;
  }
  return { [kind]: options };
}

export interface JsModelText {
  /** The model file in the model language (JSON), for parseModel. */
  json: string;
  /** Kind of each layer in order, for the line mapping. */
  kinds: string[];
}

export function modelLanguageOf(model: TfModelLike, data: unknown, train: unknown, name: string): JsModelText {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const inputNames = new Set(model.layers.filter((l) => l.getClassName() === 'InputLayer').map((l) => l.name));
  const idOf = (n: string): string => (inputNames.has(n) || !layers.some((l) => l.name === n) ? INPUT_ID : n);
  const entries = layers.map((l, i) => {
    const from = (l.inboundNodes?.[0]?.inboundLayers ?? []).map((x) => idOf(x.name));
    const previous = i === 0 ? INPUT_ID : layers[i - 1]?.name;
    const sequential = from.length === 1 && from[0] === previous;
    return layerEntry(l, sequential || from.length === 0 ? undefined : from);
  });
  const input = (model.inputs[0]?.shape ?? []).slice(1).map((d) => d ?? 1);
  const file = { name, ...(data !== undefined ? { data } : {}), model: { input, layers: entries }, ...(train !== undefined ? { train } : {}) };
  return { json: JSON.stringify(file, null, 2), kinds: layers.map((l) => kindOfClassName(l.getClassName())) };
}

const contains = (r: Range, p: Range['start']): boolean =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

/** Moves each diagnostic from the generated JSON to the JS source: the layer's call site, or the export it is about. */
export function mapToJs(diagnostics: SpecDiagnostic[], model: JsModelText, jsText: string): SpecDiagnostic[] {
  const root = parseSource(model.json).root;
  const layersNode = root && entry(entry(root, 'model')?.value ?? root, 'layers')?.value;
  const sites = mapLayersToSites(model.kinds, layerCallSites(jsText));
  const modelRange = exportRange(jsText, 'model') ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const sectionRange = (key: string): Range | undefined => {
    const node = root && entry(root, key);
    return node ? { start: node.keyRange.start, end: node.value.range.end } : undefined;
  };
  return diagnostics.map((d) => {
    let range: Range = modelRange;
    const itemIndex = layersNode?.kind === 'seq' ? layersNode.items.findIndex((item) => contains(item.range, d.range.start)) : -1;
    if (itemIndex >= 0) range = sites[itemIndex] ?? modelRange;
    else {
      for (const key of ['data', 'train']) {
        const r = sectionRange(key);
        if (r && contains(r, d.range.start)) range = exportRange(jsText, key) ?? modelRange;
      }
    }
    // Fixes edit the generated JSON, not the JS file: they do not travel.
    const { fixes: _fixes, ...rest } = d;
    return { ...rest, range };
  });
}

/**
 * Parses a built JS model with the model language's checks; diagnostics on the JS file's lines.
 * The data files it names are not looked at here (the parser never reads the disk): the worker
 * parses with engine/data/dataFiles.ts and hands the result to checkedJsModel.
 */
export function checkJsModel(model: TfModelLike, exports: { data?: unknown; train?: unknown }, jsText: string, options: { name: string }): JsCheck {
  const text = modelLanguageOf(model, exports.data, exports.train, options.name);
  return checkedJsModel(parseModel(text.json, { defaultName: options.name }), text, jsText);
}

/** A parse of a JS model's generated text, its diagnostics moved to the JS file's lines. */
export function checkedJsModel(parsed: ParseResult, text: JsModelText, jsText: string): JsCheck {
  const advice = jsRuleDiagnostics(parsed.diagnostics, parseSource(text.json).root, text.kinds, jsText);
  return { ...parsed, diagnostics: mapToJs(parsed.diagnostics, text, jsText), json: text.json, kinds: text.kinds, advice };
}

export interface JsCheck extends ParseResult {
  /** The generated model text the rules checked. */
  json: string;
  /** Kind of each built layer in model order (model/language/jsAnchors.ts toJsDiagnostics needs them). */
  kinds: string[];
  /** The rule diagnostics for the Problems panel, anchored in the JS text (model/language/jsAnchors.ts). */
  advice: TrainingDiagnostic[];
}
