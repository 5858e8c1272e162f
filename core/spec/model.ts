// The validated model file. Every part keeps the range of the text it came from.
import type { Range } from './diagnostic';
import type { LayerConfig } from './layers';
import type { Activation, InitializerName, LossName, MetricName, OptimizerName } from './vocabulary';
import type { SrcNode } from './source';

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

export interface DataSpec {
  dataset: string;
  samples: number;
  noise: number;
  validationSplit: number;
  seed: number;
  classes: number;
}

export interface OptimizerSpec {
  name: OptimizerName;
  options: Record<string, number | boolean>;
}

export interface TrainSpec {
  loss: LossName;
  optimizer: OptimizerSpec;
  learningRate: number;
  batchSize: number;
  epochs: number;
  metrics: MetricName[];
  seed: number;
}

export interface ModelSpec {
  name: string;
  data: DataSpec;
  model: { input: number[]; layers: LayerSpec[]; outputActivation?: Activation };
  train: TrainSpec;
  /** The source tree, to place diagnostics found later (during training) on the right line. */
  source: SrcNode;
}
