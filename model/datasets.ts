// What each built-in data set is, so the model file can be checked against it before any data is made.

export type Task = 'binary' | 'multiclass' | 'regression';

export interface DatasetDef {
  doc: string;
  /** Shape of one example. */
  shape: number[];
  /** Number of classes; 0 for regression. */
  classes: number;
  task: Task;
  generated: boolean;
  defaultSamples: number;
  defaultNoise: number;
  /** Extra keys this data set takes under `data:` (rules in GENERATOR_OPTIONS). */
  options: readonly GeneratorOption[];
}

/** Options of the generated sets, each checked by one rule in model/language/readData.ts. */
export type GeneratorOption = 'classes' | 'spread' | 'separable' | 'degree' | 'coefficients' | 'cells';

const gen2d = (doc: string, options: readonly GeneratorOption[] = [], task: Task = 'binary'): DatasetDef => ({
  doc, shape: [2], classes: 2, task, generated: true, defaultSamples: 400, defaultNoise: 0.05, options,
});
const gen1d = (doc: string, options: readonly GeneratorOption[] = []): DatasetDef => ({
  doc, shape: [1], classes: 0, task: 'regression', generated: true, defaultSamples: 400, defaultNoise: 0.05, options,
});

export const DATASETS: Record<string, DatasetDef> = {
  xor: gen2d('Points in [-1, 1]²; the label is 1 where x and y have different signs. Not linearly separable.'),
  circles: gen2d('A disc inside a ring (2-D); two classes, separable only by a curved boundary.'),
  moons: gen2d('Two interleaved half-moons (2-D); two classes with a curved boundary.'),
  spirals: gen2d('Interleaved 2-D spirals, one per class: the classic hard case for a small network.', ['classes']),
  blobs: gen2d('Gaussian blobs, one per class, centres on a circle; `spread` is their standard deviation (default 0.2).', ['classes', 'spread']),
  linear: gen2d('Two classes on either side of a line through the origin; `separable: false` lets 10% of the labels cross it (no line classifies all).', ['separable']),
  checkerboard: gen2d('A checkerboard of `cells` x `cells` squares (default 4) over [-1, 1]²; the label is the square\'s colour.', ['cells']),
  sine: gen1d('Regression: y = sin(x) for x in [-π, π], plus noise on y. One input, one target.'),
  polynomial: gen1d('Regression: y = c0 + c1·x + c2·x² + ... for x in [-1, 1], plus noise; `coefficients: [c0, c1, ...]` or `degree` (seeded coefficients).', ['degree', 'coefficients']),
  digits: {
    doc: '1,797 handwritten digits, 8x8 pixels in 0..1 (UCI optical digits, CC BY 4.0); 10 classes.',
    shape: [64], classes: 10, task: 'multiclass', generated: false, defaultSamples: 1797, defaultNoise: 0, options: [],
  },
  iris: {
    doc: '150 iris flowers: 4 measurements in cm (standardised), 3 species (UCI Iris, CC BY 4.0).',
    shape: [4], classes: 3, task: 'multiclass', generated: false, defaultSamples: 150, defaultNoise: 0, options: [],
  },
  mnist: {
    doc: '5,000 MNIST handwritten digits (500 per class), 28x28x1 pixels in 0..1 (LeCun, Cortes, Burges; CC BY-SA 3.0); 10 classes.',
    shape: [28, 28, 1], classes: 10, task: 'multiclass', generated: false, defaultSamples: 5000, defaultNoise: 0, options: [],
  },
};

export const DATASET_NAMES = Object.keys(DATASETS);
