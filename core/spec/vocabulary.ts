// Names the model file accepts, spelled as TensorFlow.js spells them so the tfjs docs read across.

export const ACTIVATIONS = [
  'linear', 'sigmoid', 'tanh', 'relu', 'relu6', 'elu', 'selu', 'softplus', 'softsign', 'hardSigmoid', 'swish', 'softmax',
] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const INITIALIZERS = [
  'glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'leCunNormal', 'leCunUniform',
  'randomNormal', 'randomUniform', 'truncatedNormal', 'zeros', 'ones', 'constant',
] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

/** Options each initializer takes (tfjs names). */
export const INITIALIZER_OPTIONS: Record<InitializerName, readonly string[]> = {
  glorotNormal: [], glorotUniform: [], heNormal: [], heUniform: [], leCunNormal: [], leCunUniform: [],
  randomNormal: ['mean', 'stddev'], randomUniform: ['minval', 'maxval'], truncatedNormal: ['mean', 'stddev'],
  zeros: [], ones: [], constant: ['value'],
};

export const LOSSES = ['meanSquaredError', 'binaryCrossentropy', 'categoricalCrossentropy'] as const;
export type LossName = (typeof LOSSES)[number];

export const OPTIMIZERS = ['sgd', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const OPTIMIZER_OPTIONS: Record<OptimizerName, readonly string[]> = {
  sgd: ['learningRate', 'momentum', 'nesterov'],
  adam: ['learningRate', 'beta1', 'beta2', 'epsilon'],
};

export const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = { sgd: 0.01, adam: 0.001 };

export const METRICS = ['accuracy'] as const;
export type MetricName = (typeof METRICS)[number];
