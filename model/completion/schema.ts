// The JSON Schema of the model file, generated from the same tables the parser reads (the layer
// catalogue, the vocabulary, the data sets), so editor completion never drifts from what parses.
// The build writes it to dist/model.schema.json; package.json points *.model.json at it.
import { DATASETS, DATASET_NAMES } from '../datasets';
import { LAYERS, type OptionType } from '../language/layers';
import { TOP_KEYS } from '../language/parse';
import { MODEL_KEYS, TRAIN_KEYS } from '../language/parseSections';
import { COMMON_KEYS, SOURCE_KEYS, USER_KEYS } from '../language/readData';
import { INITIALIZERS, INITIALIZER_OPTIONS, LOSSES, METRICS, OPTIMIZERS, OPTIMIZER_OPTIONS, REGULARIZER_KEYS, WORKER_CHOICES, ENGINES, DEVICES } from '../language/vocabulary';
import { ENGINE_KEY_DOCS } from '../language/readEngine';
import { OPTIMIZER_ADVICE } from './completion';

export type JsonSchema = Record<string, unknown>;

const initializerSchema: JsonSchema = {
  description: 'An initializer name, or a one-key map of its options, e.g. {"randomNormal": {"stddev": 0.05}}.',
  anyOf: [
    { enum: [...INITIALIZERS] },
    {
      type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: false,
      properties: Object.fromEntries(INITIALIZERS.map((name) => [name, {
        type: ['object', 'null'], additionalProperties: false,
        properties: Object.fromEntries(INITIALIZER_OPTIONS[name].map((o) => [o, { type: 'number' }])),
      }])),
    },
  ],
};

const regularizerSchema: JsonSchema = {
  description: 'A weight penalty added to the loss: l1 (lasso), l2 (ridge, weight decay), or both (elastic net).',
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: Object.fromEntries(REGULARIZER_KEYS.map((k) => [k, { type: 'number', minimum: 0 }])),
};

export function optionSchema(type: OptionType): JsonSchema {
  switch (type.type) {
    case 'int': return { type: 'integer', minimum: type.min, ...(type.max !== undefined ? { maximum: type.max } : {}) };
    case 'number': return { type: 'number', ...(type.min !== undefined ? { minimum: type.min } : {}), ...(type.below !== undefined ? { exclusiveMaximum: type.below } : {}) };
    case 'bool': return { type: 'boolean' };
    case 'enum': return { enum: [...type.values] };
    case 'intPair': return { anyOf: [{ type: 'integer', minimum: type.min }, { type: 'array', items: { type: 'integer', minimum: type.min }, minItems: 2, maxItems: 2 }] };
    case 'intList': return { type: 'array', items: { type: 'integer', ...(type.allowInfer ? {} : { minimum: type.min }) } };
    case 'initializer': return { $ref: '#/definitions/initializer' };
    case 'regularizer': return { $ref: '#/definitions/regularizer' };
    default: return {};
  }
}

function layerSchema(kind: string): JsonSchema {
  const def = LAYERS[kind];
  if (!def) return {};
  const options: JsonSchema = {
    type: def.required.length ? 'object' : ['object', 'null'], additionalProperties: false,
    properties: {
      ...Object.fromEntries(Object.entries(def.options).map(([k, t]) => [k, optionSchema(t)])),
      id: { type: 'string', description: 'A name other layers use in `inputs`.' },
      inputs: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'Ids of the layers feeding this one (default: the layer above).' },
      trainable: { type: 'boolean' },
    },
    ...(def.required.length ? { required: [...def.required] } : {}),
  };
  return { type: 'object', description: def.doc, additionalProperties: false, required: [kind], properties: { [kind]: options } };
}

export function buildModelSchema(): JsonSchema {
  const kinds = Object.keys(LAYERS);
  const bare = kinds.filter((k) => LAYERS[k]?.required.length === 0);
  const optimizer: JsonSchema = {
    description: 'If unsure, use adam (its default rate 0.001 works on most problems); a name, or a one-key map of its options.',
    anyOf: [
      { enum: [...OPTIMIZERS], enumDescriptions: OPTIMIZERS.map((o) => OPTIMIZER_ADVICE[o]) },
      {
        type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: false,
        properties: Object.fromEntries(OPTIMIZERS.map((o) => [o, { type: ['object', 'null'], additionalProperties: false, properties: Object.fromEntries(OPTIMIZER_OPTIONS[o].map((k) => [k, k === 'nesterov' || k === 'centered' ? { type: 'boolean' } : { type: 'number' }])) }])),
      },
    ],
  };
  const generatorKeys = [...new Set(Object.values(DATASETS).flatMap((d) => [...d.options, ...(d.generated ? ['noise'] : [])]))];
  const userKeys = [...new Set(Object.values(USER_KEYS).flat())];
  const trainProps: Record<string, JsonSchema> = {
    loss: { enum: [...LOSSES] },
    optimizer,
    learningRate: { type: 'number', exclusiveMinimum: 0 },
    batchSize: { type: 'integer', minimum: 1 },
    epochs: { type: 'integer', minimum: 1 },
    metrics: { type: 'array', items: { enum: [...METRICS] } },
    seed: { type: 'integer', minimum: 0 },
    workers: { enum: [...WORKER_CHOICES] },
    engine: { enum: [...ENGINES], description: ENGINE_KEY_DOCS.engine },
    device: { enum: [...DEVICES], description: ENGINE_KEY_DOCS.device },
    processes: { anyOf: [{ type: 'integer', minimum: 1 }, { const: 'auto' }], description: ENGINE_KEY_DOCS.processes },
    nodes: { type: 'integer', minimum: 1, description: ENGINE_KEY_DOCS.nodes },
    rendezvous: { type: 'string', pattern: '^.+:[0-9]{1,5}$', description: ENGINE_KEY_DOCS.rendezvous },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Model Lab model file (version 1)',
    type: 'object',
    additionalProperties: false,
    required: ['data', 'model', 'train'],
    // Shared by every layer option of these types; inlined they would repeat in every layer.
    definitions: { initializer: initializerSchema, regularizer: regularizerSchema },
    properties: {
      ...Object.fromEntries(TOP_KEYS.map((k) => [k, {}])),
      name: { type: 'string' },
      description: { type: 'string' },
      version: { const: 1 },
      data: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ...Object.fromEntries([...SOURCE_KEYS, ...COMMON_KEYS, ...userKeys, ...generatorKeys].map((k) => [k, {}])),
          dataset: { enum: DATASET_NAMES, description: DATASET_NAMES.map((n) => `${n}: ${DATASETS[n]?.doc}`).join('\n') },
          validationSplit: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
          seed: { type: 'integer', minimum: 0 },
          samples: { type: 'integer', minimum: 4 },
        },
      },
      model: {
        type: 'object',
        additionalProperties: false,
        required: ['layers'],
        properties: {
          ...Object.fromEntries(MODEL_KEYS.map((k) => [k, {}])),
          input: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, description: 'Shape of one example, e.g. [2] or [28, 28, 1].' },
          layers: { type: 'array', minItems: 1, items: { anyOf: [{ enum: bare, description: 'A layer with no options.' }, ...kinds.map(layerSchema)] } },
          regularizer: { $ref: '#/definitions/regularizer' },
        },
      },
      train: {
        type: 'object',
        additionalProperties: false,
        required: ['loss'],
        properties: { ...Object.fromEntries(TRAIN_KEYS.map((k) => [k, {}])), ...trainProps },
      },
    },
  };
}
