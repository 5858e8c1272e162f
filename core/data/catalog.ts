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
  /** Extra keys this data set takes under `data:`. */
  options: readonly string[];
}

export const DATASETS: Record<string, DatasetDef> = {
  xor: {
    doc: 'Points in [-1, 1]²; the label is 1 where x and y have different signs. Not linearly separable.',
    shape: [2], classes: 2, task: 'binary', generated: true, defaultSamples: 400, defaultNoise: 0.05, options: [],
  },
  circles: {
    doc: 'A disc inside a ring (2-D); two classes, separable only by a curved boundary.',
    shape: [2], classes: 2, task: 'binary', generated: true, defaultSamples: 400, defaultNoise: 0.05, options: [],
  },
  spirals: {
    doc: 'Interleaved 2-D spirals, one per class: the classic hard case for a small network.',
    shape: [2], classes: 2, task: 'binary', generated: true, defaultSamples: 400, defaultNoise: 0.05, options: ['classes'],
  },
  digits: {
    doc: '1,797 handwritten digits, 8x8 pixels in 0..1 (UCI optical digits, CC BY 4.0); 10 classes.',
    shape: [64], classes: 10, task: 'multiclass', generated: false, defaultSamples: 1797, defaultNoise: 0, options: [],
  },
};

export const DATASET_NAMES = Object.keys(DATASETS);
