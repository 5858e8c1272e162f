// Extension points of the training loop. Statistics, schedules and callbacks, and data-parallel
// training each plug in here as a hook in a file of their own, so the
// loop itself stays one small readable function.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BatchPoint, EpochPoint, RunInfo } from '../../protocol/run';
import type { ModelSpec } from '../../model/language/model';
import type { EncodedSet, TensorPair } from './tensors';
import type { TrainingSink } from './loop';

/** What a hook sees of the run. Mutable fields are the loop's state; hooks may change those marked so. */
export interface LoopContext {
  readonly spec: ModelSpec;
  readonly model: tfl.LayersModel;
  readonly optimizer: tf.Optimizer;
  readonly info: RunInfo;
  readonly sink: TrainingSink;
  /** Validation tensors, when the run has a validation split. */
  readonly val?: TensorPair;
  /** The encoded training set (host memory), e.g. for a fixed probe batch of statistics. */
  readonly trainData?: EncodedSet;
  /** Optimizer steps done so far (1-based after the first batch). */
  step: number;
  epoch: number;
  /** The learning rate the next step uses; a schedule hook sets it in beforeBatch. */
  learningRate: number;
  /** Set by a hook to end training after the current epoch (early stopping); the reason is logged. */
  stopReason?: string;
  /** Set by the loop when a step's loss was not finite (the run then fails); for diagnostics in end(). */
  nonFiniteLoss?: { epoch: number; batch: number; loss: number };
  /**
   * Set by a hook (before a batch) to see the gradients of the next optimizer step, by variable name:
   * those of the loss the optimizer minimises, before any clipping. Called inside the step's tidy
   * (read what you need; the tensors are disposed after the step). The loop clears it after that
   * step. Not called in data-parallel training. Lets statistics reuse a step's backward pass.
   */
  tapGradients?: (grads: tf.NamedTensorMap) => void;
  /** Set by a hook to see this epoch's validation pass chunk by chunk (targets, predictions), inside its
   *  tidy; the loop clears it after the pass. Lets statistics reuse the validation predictions. */
  tapValidation?: (y: tf.Tensor, p: tf.Tensor) => void;
}

export interface TrainingHook {
  /** After the model is built, before the first step. */
  begin?(ctx: LoopContext): void | Promise<void>;
  /** Before each optimizer step (ctx.step is the number of steps already done). */
  beforeBatch?(ctx: LoopContext): void;
  afterBatch?(ctx: LoopContext, point: BatchPoint): void;
  /** After the validation pass. A hook may add fields to the point before it is sent. */
  afterEpoch?(ctx: LoopContext, point: EpochPoint): void | Promise<void>;
  /** Once, when training ends for any reason (also on failure); release what begin() took. */
  end?(ctx: LoopContext): void | Promise<void>;
}
