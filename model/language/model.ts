// The validated model file. Every part keeps the range of the text it came from.
import type { Range } from './diagnostic';
import type { LayerConfig } from './layers';
import type { Activation, InitializerName, LossName, MetricName, OptimizerName, RegularizerSpec, WorkersChoice } from './vocabulary';
import type { SrcNode } from './source';
import type { CallbacksSpec, ScheduleSpec } from './scheduleSpec';
import type { StatsSchedule } from './statsSchedule';
import type { EngineChoice } from './readEngine';

export interface InitializerSpec {
  name: InitializerName;
  options: Record<string, number>;
}

export interface LayerSpec {
  /** tfjs factory name, e.g. "dense". */
  kind: string;
  /** Unique id: the user's `id`, or "<kind>_<index>". */
  id: string;
  /** Ids of the layers feeding this one (the previous layer unless `inputs` says otherwise). */
  inputs: string[];
  /** tfjs options with initializers normalised to InitializerSpec. */
  config: LayerConfig;
  index: number;
  /** Range of the layer's name key (`dense`), where layer-level messages go. */
  range: Range;
  /** Range of each option's value, for messages about one option. */
  optionRanges: Record<string, Range>;
}

/** The user's own data, paths as written (relative to the model file). */
export type DataSource =
  | { kind: 'csv'; path: string; target: string }
  | { kind: 'idx'; images: string; labels: string }
  | { kind: 'images'; folder: string };

/** Random changes to each training image, drawn per batch from the run's seed (engine/data/augment.ts). */
export interface AugmentSpec {
  /** Pad by this many pixels (zeros) and crop back at a random offset. */
  randomCrop?: number;
  /** Zoom by a factor drawn from [min, max]. */
  randomScale?: [number, number];
  flipHorizontal?: boolean;
  flipVertical?: boolean;
  /** Move by up to this many pixels in each direction. */
  shift?: number;
  /** Rotate by up to this many degrees either way. */
  rotation?: number;
  /** Standard deviation of noise added to every pixel. */
  gaussianNoise?: number;
  /** Side of a square of zeros put at a random place. */
  cutout?: number;
}

/** Evaluation averaged over fixed views of each validation image (the ResNet recipe: crops and flips). */
export interface TtaSpec {
  flipHorizontal: boolean;
  flipVertical: boolean;
  /** 1: the image itself; 5: centre and the four corners of the image padded by `padding`. */
  crops: 1 | 5;
  padding: number;
  /** The image is also resized by each factor above 1 and cropped back at the same places (the
   *  course's ResNet test: 5 scales x 10 crops); [1] is the image's own size only. */
  scales: number[];
}

export interface DataSpec {
  /** A built-in set's name, or "csv: <path>" etc. for the user's own data. */
  dataset: string;
  samples: number;
  noise: number;
  validationSplit: number;
  seed: number;
  classes: number;
  /** Options of a generated set beyond samples, noise and classes (engine/data/generate.ts). */
  generator?: { spread?: number; separable?: boolean; degree?: number; coefficients?: number[]; cells?: number };
  source?: DataSource;
  /** Explicit validation data of the same kind as `source` (then validationSplit is not used). */
  validation?: DataSource;
  /** csv: scale each feature to mean 0, deviation 1 with the training split's statistics (default true). */
  standardize?: boolean;
  /** images: resize every image to model.input's height and width. */
  resize?: boolean;
  augment?: AugmentSpec;
  testTimeAugmentation?: TtaSpec;
  /** Ranges of `data` (key "data") and of each key's value, so errors found at load time land on the line. */
  ranges?: Record<string, Range>;
}

export interface OptimizerSpec {
  name: OptimizerName;
  options: Record<string, number | boolean>;
}

export interface TrainSpec extends EngineChoice {
  loss: LossName;
  optimizer: OptimizerSpec;
  learningRate: number;
  batchSize: number;
  epochs: number;
  metrics: MetricName[];
  seed: number;
  /** When statistics of the inside of the network are collected (model/language/statsSchedule.ts). */
  statistics?: StatsSchedule;
  /** Worker threads training data-parallel: 1, 2, or auto (chosen by model and batch size). */
  workers?: WorkersChoice;
  /** Learning-rate schedule (engine/train/schedules.ts); absent: the rate stays constant. */
  schedule?: ScheduleSpec;
  /** Early stopping, checkpoints, snapshot ensembles (engine/train/callbacks/). */
  callbacks?: CallbacksSpec;
}

export interface ModelSpec {
  name: string;
  data: DataSpec;
  model: {
    input: number[]; layers: LayerSpec[]; outputActivation?: Activation;
    /** Penalty for every kernel without its own kernelRegularizer (`model.regularizer: {l2: 1e-4}`). */
    regularizer?: RegularizerSpec;
  };
  train: TrainSpec;
  /** The source tree, to place diagnostics found later (during training) on the right line. */
  source: SrcNode;
}
