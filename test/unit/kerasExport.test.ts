import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ExportError, readExportSource } from '../../engine/export/exportSource';
import { KERAS_LAYERS, layerName } from '../../engine/export/kerasLayers';
import { kerasScript } from '../../engine/export/kerasScript';
import { LAYER_NAMES } from '../../model/language/layers';
import type { LayerSpec } from '../../model/language/model';
import { sanitize } from '../../engine/train/layerFactory';
import { KERNEL_OPTIONS } from '../../engine/train/regularization';
import { repo, XOR } from './helpers';

const PYTHON = '/usr/bin/python3';
const hasPython = spawnSync(PYTHON, ['-c', 'import ast'], { encoding: 'utf8' }).status === 0;

function assertPythonSyntax(script: string, what: string): void {
  if (!hasPython) return;
  const r = spawnSync(PYTHON, ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 0, `${what}: not valid Python:\n${r.stderr}`);
}

function modelFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return modelFiles(p);
    return /\.model\.(ya?ml|json)$/.test(f) ? [p] : [];
  });
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

test('every layer kind of the catalogue has a Keras row, and no row is for a kind that does not exist', () => {
  const missing = LAYER_NAMES.filter((k) => !KERAS_LAYERS[k]);
  assert.deepEqual(missing, [], `add these layer kinds to engine/export/kerasLayers.ts: ${missing.join(', ')}`);
  assert.deepEqual(Object.keys(KERAS_LAYERS).filter((k) => !LAYER_NAMES.includes(k)), []);
  for (const [kind, options] of Object.entries(KERNEL_OPTIONS)) assert.deepEqual(KERAS_LAYERS[kind]?.kernelRegularizers, options, `${kind}: model.regularizer applies to the same options`);
  for (const id of ['dense_1', 'a b/c', 'ünï', '']) assert.equal(layerName(id), sanitize(id));
});

test('a layer kind without a Keras row is an error that names it', () => {
  const src = readExportSource(XOR, 'xor');
  const bogus: LayerSpec = { ...(src.layers[0] as LayerSpec), kind: 'fancyLayer', id: 'fancy' };
  assert.throws(() => kerasScript({ ...src, layers: [...src.layers, bogus] }), /Layer kind 'fancyLayer' has no Keras equivalent/);
});

test('xor becomes the Keras script its file describes', () => {
  const script = kerasScript(readExportSource(XOR, 'xor'));
  const lines = script.split('\n');
  assert.ok(lines.includes('inputs = keras.Input(shape=(2,), name="input")'));
  assert.ok(lines.includes('dense_1 = layers.Dense(units=8, activation="tanh", name="dense_1")(inputs)'), script);
  assert.ok(lines.includes('dense_2 = layers.Dense(units=1, activation="sigmoid", name="dense_2")(dense_1)'));
  assert.ok(lines.includes('learning_rate = 0.05'));
  assert.ok(lines.includes('optimizer = keras.optimizers.Adam(learning_rate=learning_rate)'));
  assert.ok(lines.includes('model.compile(optimizer=optimizer, loss=keras.losses.BinaryCrossentropy(), metrics=["accuracy"])'));
  assert.ok(lines.includes('batch_size = 32') && lines.includes('epochs = 60') && lines.includes('validation_split = 0.2'));
  assert.ok(lines.includes('keras.utils.set_random_seed(1)'));
  assertPythonSyntax(script, 'xor');
});

test('every example model file exports to valid Python with each layer on its line, in order, with its options', () => {
  const files = modelFiles(join(repo, 'examples'));
  assert.ok(files.length >= 20, `examples found: ${files.length}`);
  for (const file of files) {
    const src = readExportSource(readFileSync(file, 'utf8'), basename(file).replace(/\.model\.\w+$/, ''));
    const script = kerasScript(src);
    const lines = script.split('\n');
    let previous = -1;
    for (const layer of src.layers) {
      const at = lines.findIndex((l) => l.includes(`name="${layerName(layer.id)}")(`));
      assert.ok(at > previous, `${file}: the line of layer '${layer.id}' comes after the one before it`);
      previous = at;
      const line = lines[at] as string;
      const row = KERAS_LAYERS[layer.kind];
      assert.ok(row);
      assert.match(line, new RegExp(`^\\w+ = ${row.cls.replace('.', '\\.')}\\(`), `${file}: ${line}`);
      for (const [key, value] of Object.entries(layer.config)) {
        const name = row.rename?.[key] ?? snake(key);
        if (typeof value === 'number') assert.ok(line.includes(`${name}=${value}`), `${file}: ${line} has ${name}=${value}`);
        else if (typeof value === 'boolean') assert.ok(line.includes(`${name}=${value ? 'True' : 'False'}`), `${file}: ${line}`);
        else if (Array.isArray(value)) assert.ok(line.includes(`${name}=(${value.join(', ')}${value.length === 1 ? ',' : ''})`), `${file}: ${line}`);
        else if (key === 'activation') assert.ok(line.includes(`activation="${String(value).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}"`), `${file}: ${line}`);
        else assert.ok(line.includes(`${name}=`), `${file}: ${line} has ${name}`);
      }
      const takes = layer.inputs.length ? layer.inputs : ['input'];
      if (takes.length > 1) assert.ok(line.endsWith(`(${'['}${takes.map((id) => (id === 'input' ? 'inputs' : id.replace(/\W/g, '_'))).join(', ')}])`), `${file}: ${line}`);
    }
    assert.equal(script.includes('model.fit('), src.spec !== undefined, `${file}: trains exactly when the file has a train section`);
    assertPythonSyntax(script, file);
  }
});

const withTrain = (extra: string): string => `${XOR.trimEnd()}\n${extra}\n`;

test('schedules, callbacks, optimizers and regularizers map to their Keras forms', () => {
  const cases: [string, RegExp[]][] = [
    ['  schedule:\n    stepDecay: {factor: 0.5, epochs: 10}', [/ExponentialDecay\(initial_learning_rate=0\.05, decay_steps=max\(1, round\(10 \* steps_per_epoch\)\), decay_rate=0\.5, staircase=True\)/]],
    ['  schedule:\n    exponentialDecay: {decayRate: 0.9, steps: 100}', [/ExponentialDecay\(initial_learning_rate=0\.05, decay_steps=100, decay_rate=0\.9, staircase=False\)/]],
    ['  schedule:\n    cosineDecayRestarts: {epochs: 5, tMul: 2}', [/CosineDecayRestarts\(initial_learning_rate=0\.05, first_decay_steps=max\(1, round\(5 \* steps_per_epoch\)\), t_mul=2/]],
    ['  schedule:\n    cyclic: {maxLearningRate: 0.5, epochs: 1, mode: triangular2}', [/^class Cyclic\(keras\.optimizers\.schedules\.LearningRateSchedule\):/m, /learning_rate = Cyclic\(learning_rate=0\.05, max_learning_rate=0\.5, step_size=max\(1, round\(1 \* steps_per_epoch\)\), mode="triangular2"/]],
    ['  schedule:\n    oneCycle: {}', [/^class OneCycle\(/m, /learning_rate = OneCycle\(learning_rate=0\.05, total_steps=total_steps, pct_start=/]],
    ['  schedule:\n    warmup: {steps: 50, mode: constant, factor: 0.1}\n    cosineDecay: {alpha: 0.1}', [/^class Warmup\(/m, /Warmup\(main=keras\.optimizers\.schedules\.CosineDecay\(initial_learning_rate=0\.05, decay_steps=max\(1, total_steps - 50\), alpha=0\.1\), steps=50, mode="constant", learning_rate=0\.05, factor=0\.1\)/]],
    ['  schedule:\n    reduceOnPlateau: {factor: 0.5, patience: 3}', [/keras\.callbacks\.ReduceLROnPlateau\(monitor="val_loss", factor=0\.5, patience=3/]],
    ['  callbacks:\n    earlyStopping: {patience: 4, restoreBestWeights: true}\n    checkpoint: {save: both}', [/keras\.callbacks\.EarlyStopping\(monitor="val_loss", patience=4, min_delta=0, restore_best_weights=True\)/, /ModelCheckpoint\(filepath="best\.keras", monitor="val_loss", save_best_only=True\)/, /ModelCheckpoint\(filepath="last\.keras"\)/]],
  ];
  for (const [extra, expected] of cases) {
    const script = kerasScript(readExportSource(withTrain(extra), 'xor'));
    for (const re of expected) assert.match(script, re, extra);
    assertPythonSyntax(script, extra);
  }
  const sgd = kerasScript(readExportSource(XOR.replace('optimizer: adam', 'optimizer: {rmsprop: {decay: 0.95, momentum: 0.5, clipNorm: 1}}'), 'xor'));
  assert.match(sgd, /keras\.optimizers\.RMSprop\(learning_rate=learning_rate, rho=0\.95, momentum=0\.5, clipnorm=1\)/);
  const reg = kerasScript(readExportSource(XOR.replace('  input: [2]', '  input: [2]\n  regularizer: {l2: 0.001}').replace('{units: 8, activation: tanh}', '{units: 8, activation: tanh, kernelInitializer: {randomNormal: {stddev: 0.1}}, biasRegularizer: {l1: 0.01, l2: 0.02}}'), 'xor'));
  assert.match(reg, /layers\.Dense\(units=8, activation="tanh", kernel_initializer=keras\.initializers\.RandomNormal\(stddev=0\.1\), bias_regularizer=keras\.regularizers\.L1L2\(l1=0\.01, l2=0\.02\), kernel_regularizer=keras\.regularizers\.L2\(l2=0\.001\), name="dense_1"\)/);
  assertPythonSyntax(reg, 'regularizers');
});

test('layer ids that are not Python names, or are keywords, become valid distinct variables', () => {
  const text = XOR.replace('- dense: {units: 8, activation: tanh}', '- dense: {id: class, units: 8, activation: tanh}\n    - dense: {id: "2-b", units: 8}\n    - add: {id: sum, inputs: [class, 2-b]}');
  const script = kerasScript(readExportSource(text, 'xor'));
  assert.ok(script.includes('class_ = layers.Dense(units=8, activation="tanh", name="class")(inputs)'), script);
  assert.ok(script.includes('_2_b = layers.Dense(units=8, name="2-b")(class_)'));
  assert.ok(script.includes('sum = layers.Add(name="sum")([class_, _2_b])'));
  assertPythonSyntax(script, 'ids');
});

test('a file with errors is not exported: the message names the line', () => {
  assert.throws(() => readExportSource(XOR.replace('units: 8', 'units: -8'), 'xor'), (e: unknown) => e instanceof ExportError && /^line \d+: /.test(e.message));
  assert.throws(() => readExportSource('model:\n  layers:\n    - dense: {units: 2}\n', 'arch'), ExportError);
  assert.ok(existsSync(PYTHON) ? hasPython : true, '/usr/bin/python3 can import ast');
});

test('layers Keras lacks or names differently: maxout gets its class, instance norm is group norm with groups=-1', () => {
  const text = XOR.replace('  input: [2]', '  input: [4, 4, 2]').replace(
    /layers:\n(\s+- dense:.*\n)+/,
    'layers:\n    - instanceNormalization: {epsilon: 0.001}\n    - groupNormalization: {groups: 2}\n    - leakyReLU: {alpha: 0.1}\n    - flatten\n    - maxout: {units: 4, pieces: 3}\n    - dense: {units: 1, activation: sigmoid}\n',
  );
  const script = kerasScript(readExportSource(text, 'odd'));
  assert.match(script, /^class Maxout\(layers\.Layer\):/m);
  assert.match(script, /def get_config\(self\):/);
  assert.ok(script.includes('layers.GroupNormalization(groups=-1, epsilon=0.001, name="instanceNormalization_1")(inputs)'), script);
  assert.ok(script.includes('layers.GroupNormalization(groups=2, name="groupNormalization_2")'));
  assert.ok(script.includes('layers.LeakyReLU(negative_slope=0.1, name="leakyReLU_3")'));
  assert.ok(script.includes('maxout_5 = Maxout(units=4, pieces=3, name="maxout_5")(flatten_4)'));
  assert.equal(script.match(/^class Maxout/gm)?.length, 1, 'the class is defined once');
  assertPythonSyntax(script, 'maxout');
});
