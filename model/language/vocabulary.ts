// Names the model file accepts, spelled as TensorFlow.js spells them so the tfjs docs read across.

export const ACTIVATIONS = [
  'linear', 'sigmoid', 'tanh', 'relu', 'relu6', 'elu', 'selu', 'softplus', 'softsign', 'hardSigmoid', 'swish', 'softmax',
] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const INITIALIZERS = [
  'glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'lecunNormal', 'lecunUniform', 'leCunNormal', 'leCunUniform',
  'randomNormal', 'randomUniform', 'truncatedNormal', 'zeros', 'ones', 'constant', 'orthogonal',
] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

/** Options each initializer takes (tfjs names). lecun* is Keras's spelling of tfjs's leCun*. */
export const INITIALIZER_OPTIONS: Record<InitializerName, readonly string[]> = {
  glorotNormal: [], glorotUniform: [], heNormal: [], heUniform: [], lecunNormal: [], lecunUniform: [], leCunNormal: [], leCunUniform: [],
  randomNormal: ['mean', 'stddev'], randomUniform: ['minval', 'maxval'], truncatedNormal: ['mean', 'stddev'],
  zeros: [], ones: [], constant: ['value'], orthogonal: ['gain'],
};

/** A weight penalty: `{l1: 0.001}`, `{l2: 0.0001}`, or both (the elastic net), added to the loss. */
export const REGULARIZER_KEYS = ['l1', 'l2'] as const;
export type RegularizerSpec = Partial<Record<(typeof REGULARIZER_KEYS)[number], number>>;

export const LOSSES = [
  'meanSquaredError', 'binaryCrossentropy', 'categoricalCrossentropy', 'meanAbsoluteError', 'huber', 'kullbackLeiblerDivergence',
] as const;
export type LossName = (typeof LOSSES)[number];

export const OPTIMIZERS = ['sgd', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Gradient clipping (Keras' clipnorm / clipvalue), accepted by every optimizer. */
export const CLIP_OPTIONS = ['clipNorm', 'clipValue'] as const;

export const OPTIMIZER_OPTIONS: Record<OptimizerName, readonly string[]> = {
  sgd: ['learningRate', 'momentum', 'nesterov', ...CLIP_OPTIONS],
  adagrad: ['learningRate', 'initialAccumulatorValue', ...CLIP_OPTIONS],
  adadelta: ['learningRate', 'rho', 'epsilon', ...CLIP_OPTIONS],
  rmsprop: ['learningRate', 'decay', 'momentum', 'epsilon', 'centered', ...CLIP_OPTIONS],
  adam: ['learningRate', 'beta1', 'beta2', 'epsilon', ...CLIP_OPTIONS],
  adamax: ['learningRate', 'beta1', 'beta2', 'epsilon', 'decay', ...CLIP_OPTIONS],
  adamw: ['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay', ...CLIP_OPTIONS],
};

/** Keras' defaults. */
export const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = {
  sgd: 0.01, adagrad: 0.001, adadelta: 0.001, rmsprop: 0.001, adam: 0.001, adamax: 0.001, adamw: 0.001,
};

export const METRICS = ['accuracy'] as const;
export type MetricName = (typeof METRICS)[number];

/** train.workers: how many worker threads train one model data-parallel (engine/train/parallel). */
export const WORKER_CHOICES = ['auto', 1, 2] as const;
export type WorkersChoice = (typeof WORKER_CHOICES)[number];

/** train.engine: what trains the model (docs/engines.md). */
export const ENGINES = ['tfjs', 'pytorch'] as const;
export type EngineName = (typeof ENGINES)[number];

/** train.device: where the PyTorch engine trains (auto: cuda, then mps, then cpu). */
export const DEVICES = ['auto', 'cpu', 'cuda', 'mps'] as const;
export type DeviceName = (typeof DEVICES)[number];
