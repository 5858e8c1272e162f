// The xor example written in JavaScript: model(tf) builds the network with the TensorFlow.js layers
// API (anything tfjs can build), while `data` and `train` use the same keys as xor.model.yaml.
// Model Lab runs this file only in a trusted workspace, in its training worker.

function model(tf) {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
}

const data = { dataset: 'xor', samples: 400, noise: 0.05, validationSplit: 0.2 };

const train = {
  loss: 'binaryCrossentropy',
  optimizer: 'adam',
  learningRate: 0.05,
  batchSize: 32,
  epochs: 60,
  metrics: ['accuracy'],
  seed: 1,
};

module.exports = { model, data, train };
