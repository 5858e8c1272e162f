// The model file's layers as Keras layers: one table row per layer kind (class, renamed options,
// fixed arguments, Python a layer Keras lacks needs). Options not renamed go camelCase -> snake_case
// (kernelSize -> kernel_size). test/unit/kerasExport.test.ts fails for a layer kind without a row.
import type { InitializerSpec, LayerSpec } from '../../model/language/model';
import type { RegularizerSpec } from '../../model/language/vocabulary';
import { activationCode, initializerCode, regularizerCode } from './kerasNames';
import { pyString, pyValue, snakeCase, type PyArg } from './python';
import { MAXOUT_PY } from './kerasPython';

export interface KerasLayerRow {
  cls: string;
  rename?: Record<string, string>;
  fixed?: PyArg[];
  /** Options a model-wide `model.regularizer` fills in when the layer has none (as engine/train/regularization.ts KERNEL_OPTIONS). */
  kernelRegularizers?: readonly string[];
  /** Python the script must define for this layer. */
  needs?: string;
}

const kernel = ['kernelRegularizer'] as const;

export const KERAS_LAYERS: Record<string, KerasLayerRow> = {
  dense: { cls: 'layers.Dense', kernelRegularizers: kernel },
  maxout: { cls: 'Maxout', needs: MAXOUT_PY, kernelRegularizers: kernel },
  conv1d: { cls: 'layers.Conv1D', kernelRegularizers: kernel },
  conv2d: { cls: 'layers.Conv2D', kernelRegularizers: kernel },
  conv2dTranspose: { cls: 'layers.Conv2DTranspose', kernelRegularizers: kernel },
  depthwiseConv2d: { cls: 'layers.DepthwiseConv2D', kernelRegularizers: ['depthwiseRegularizer'] },
  separableConv2d: { cls: 'layers.SeparableConv2D', kernelRegularizers: ['depthwiseRegularizer', 'pointwiseRegularizer'] },
  maxPooling1d: { cls: 'layers.MaxPooling1D' },
  maxPooling2d: { cls: 'layers.MaxPooling2D' },
  averagePooling1d: { cls: 'layers.AveragePooling1D' },
  averagePooling2d: { cls: 'layers.AveragePooling2D' },
  globalAveragePooling1d: { cls: 'layers.GlobalAveragePooling1D' },
  globalAveragePooling2d: { cls: 'layers.GlobalAveragePooling2D' },
  globalMaxPooling1d: { cls: 'layers.GlobalMaxPooling1D' },
  globalMaxPooling2d: { cls: 'layers.GlobalMaxPooling2D' },
  flatten: { cls: 'layers.Flatten' },
  reshape: { cls: 'layers.Reshape' },
  zeroPadding2d: { cls: 'layers.ZeroPadding2D' },
  upSampling2d: { cls: 'layers.UpSampling2D' },
  batchNormalization: { cls: 'layers.BatchNormalization' },
  layerNormalization: { cls: 'layers.LayerNormalization' },
  groupNormalization: { cls: 'layers.GroupNormalization' },
  // Keras's group normalisation with groups=-1 is instance normalisation (one channel per group).
  instanceNormalization: { cls: 'layers.GroupNormalization', fixed: [['groups', '-1']] },
  activation: { cls: 'layers.Activation' },
  reLU: { cls: 'layers.ReLU' },
  // Keras 3 calls LeakyReLU's slope negative_slope (alpha is its deprecated name).
  leakyReLU: { cls: 'layers.LeakyReLU', rename: { alpha: 'negative_slope' } },
  elu: { cls: 'layers.ELU' },
  softmax: { cls: 'layers.Softmax' },
  dropout: { cls: 'layers.Dropout' },
  add: { cls: 'layers.Add' },
  multiply: { cls: 'layers.Multiply' },
  concatenate: { cls: 'layers.Concatenate' },
};

export function kerasRow(kind: string): KerasLayerRow {
  const row = KERAS_LAYERS[kind];
  if (!row) throw new Error(`Layer kind '${kind}' has no Keras equivalent in engine/export/kerasLayers.ts.`);
  return row;
}

/** Layer names as tfjs gets them (engine/train/layerFactory.ts sanitize), so both models name layers alike. */
export const layerName = (id: string): string => {
  // The rule of engine/train/layerFactory.ts sanitize (tfjs weight names start with a letter or digit).
  const safe = id.replace(/[^A-Za-z0-9_.-]/g, '_');
  return safe === '' ? 'layer' : /^[A-Za-z0-9]/.test(safe) ? safe : `L${safe}`;
};

/** `layers.Dense(units=8, activation="tanh", name="dense_1")` for a layer of the file. */
export function kerasLayerCode(layer: LayerSpec, modelRegularizer?: RegularizerSpec): string {
  const row = kerasRow(layer.kind);
  const args: PyArg[] = [...(row.fixed ?? [])];
  for (const [key, value] of Object.entries(layer.config)) {
    if (value === undefined) continue;
    args.push([row.rename?.[key] ?? snakeCase(key), optionCode(key, value)]);
  }
  if (modelRegularizer) {
    for (const key of row.kernelRegularizers ?? []) {
      if (layer.config[key] === undefined) args.push([snakeCase(key), regularizerCode(modelRegularizer)]);
    }
  }
  args.push(['name', pyString(layerName(layer.id))]);
  return `${row.cls}(${args.map(([k, v]) => `${k}=${v}`).join(', ')})`;
}

function optionCode(key: string, value: unknown): string {
  if (key.endsWith('Initializer')) return initializerCode(value as InitializerSpec);
  if (key.endsWith('Regularizer')) return regularizerCode(value as RegularizerSpec);
  if (key === 'activation') return activationCode(String(value));
  return pyValue(value);
}
