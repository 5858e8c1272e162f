// A model file as an equivalent Keras 3 Python script: the network through the functional API
// (so ids and `inputs` wire any graph), then, for a file with a train section, the loss, optimizer,
// learning rate or schedule, callbacks and model.fit on a data stub with the right shapes.
import type { DataSpec, ModelSpec } from '../../model/language/model';
import { INPUT_ID } from '../../model/analysis/shapes';
import { LAYERS } from '../../model/language/layers';
import type { ExportSource } from './exportSource';
import { kerasLayerCode, kerasRow, layerName } from './kerasLayers';
import { KERAS_LOSSES } from './kerasNames';
import { trainingCode } from './kerasTraining';
import { Identifiers, pyNumber, pyString, pyValue } from './python';

export function kerasScript(src: ExportSource): string {
  const ids = new Identifiers();
  for (const reserved of ['Maxout', 'Warmup', 'Cyclic', 'OneCycle', 'rng', 'batch_size', 'epochs', 'validation_split', 'steps_per_epoch', 'total_steps', 'learning_rate', 'optimizer', 'callbacks', 'samples']) ids.make(reserved);
  const train = src.spec ? trainingCode(src.spec.train) : undefined;
  const needs = new Set<string>();
  for (const l of src.layers) {
    const n = kerasRow(l.kind).needs;
    if (n) needs.add(n);
  }
  for (const n of train?.needs ?? []) needs.add(n);

  const vars = new Map<string, string>([[INPUT_ID, 'inputs']]);
  const modelLines = [`inputs = keras.Input(shape=${pyValue(src.input)}, name="input")`];
  for (const layer of src.layers) {
    const sources = (layer.inputs.length ? layer.inputs : [INPUT_ID]).map((id) => {
      const v = vars.get(id);
      if (!v) throw new Error(`Layer '${layer.id}' takes '${id}', which does not exist.`);
      return v;
    });
    const v = ids.make(layer.id);
    vars.set(layer.id, v);
    const arg = LAYERS[layer.kind]?.arity === 'many' || sources.length > 1 ? `[${sources.join(', ')}]` : sources[0];
    modelLines.push(`${v} = ${kerasLayerCode(layer, src.regularizer)}(${arg})`);
  }
  const last = src.layers[src.layers.length - 1];
  modelLines.push(`model = keras.Model(inputs=inputs, outputs=${last ? vars.get(last.id) : 'inputs'}, name=${pyString(layerName(src.name))})`);
  modelLines.push('model.summary()');

  const out = [
    `# Keras equivalent of the Model Lab model file ${pyString(src.name)}, written by Model Lab (Export as Keras Script).`,
    '# Layers and their options, the loss, the optimizer and the learning rate are the file\'s. Model Lab trains',
    '# with TensorFlow.js: initial weights here come from other random numbers, so curves differ a little.',
    '# Needs Keras 3 and a backend, e.g. `pip install keras tensorflow`.',
    'import math',
    '',
    'import keras',
    'import numpy as np',
    'from keras import layers',
    '',
  ];
  if (src.spec) out.push(`keras.utils.set_random_seed(${pyNumber(src.spec.train.seed)})`, '');
  for (const n of needs) out.push('', n);
  out.push('', '# The network (functional API: each layer is called on the layers it takes).', ...modelLines);
  if (!src.spec || !train) {
    out.push('', '# This file has no train section: an architecture to count and inspect, not to train.');
    return out.join('\n') + '\n';
  }
  const t = src.spec.train;
  out.push('', ...dataLines(src.spec, src.summary.outputShape), '');
  out.push(
    '# Training',
    `batch_size = ${pyNumber(t.batchSize)}`,
    `epochs = ${pyNumber(t.epochs)}`,
    `validation_split = ${pyNumber(src.spec.data.validationSplit)}`,
    'steps_per_epoch = math.ceil(len(x_train) * (1 - validation_split) / batch_size)',
    'total_steps = epochs * steps_per_epoch',
    ...train.lines,
    `model.compile(optimizer=optimizer, loss=${KERAS_LOSSES[t.loss]}, metrics=${pyList(t.metrics.map((m) => pyString(m)))})`,
    `callbacks = ${pyList(train.callbacks)}`,
    'model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=validation_split, callbacks=callbacks)',
  );
  return out.join('\n') + '\n';
}

const pyList = (items: string[]): string => `[${items.join(', ')}]`;

function describeData(d: DataSpec): string[] {
  const s = d.source;
  if (s?.kind === 'csv') return [`# The model file reads the CSV file ${pyString(s.path)} (target column ${pyString(s.target)}), e.g.:`, `#   data = np.genfromtxt(${pyString(s.path)}, delimiter=",", names=True)`];
  if (s?.kind === 'idx') return [`# The model file reads IDX files: images ${pyString(s.images)}, labels ${pyString(s.labels)}.`];
  if (s?.kind === 'images') return [`# The model file reads the images in ${pyString(s.folder)} (one sub-folder per class), e.g.:`, `#   keras.utils.image_dataset_from_directory(${pyString(s.folder)})`];
  return [`# The model file trains on Model Lab's ${pyString(d.dataset)} data set (${d.samples || 'all'} samples${d.noise ? `, noise ${d.noise}` : ''}).`];
}

/** A stub with the shapes the model takes and gives, so the script runs as written; replace it with real data. */
function dataLines(spec: ModelSpec, outputShape: number[]): string[] {
  const n = spec.data.samples > 0 ? spec.data.samples : 1000;
  const out = pyValue(outputShape).replace(/^\(|,?\)$/g, '');
  const classes = outputShape[outputShape.length - 1] ?? 1;
  const y =
    spec.train.loss === 'categoricalCrossentropy' && outputShape.length === 1 ? `keras.utils.to_categorical(rng.integers(0, ${classes}, samples), ${classes})`
      : spec.train.loss === 'binaryCrossentropy' ? `rng.integers(0, 2, (samples, ${out})).astype("float32")`
        : `rng.standard_normal((samples, ${out})).astype("float32")`;
  return [
    '# Data',
    ...describeData(spec.data),
    '# Load it here as numpy arrays. The random stub below only has the right shapes, so that the script runs.',
    `samples = ${n}`,
    `rng = np.random.default_rng(${pyNumber(spec.data.seed)})`,
    `x_train = rng.random((samples, ${pyValue(spec.model.input).replace(/^\(|,?\)$/g, '')})).astype("float32")`,
    `y_train = ${y}`,
  ];
}
