// An ES module model file with a functional (non-sequential) model and a skip connection.
// Run only in a trusted workspace, in Model Lab's training worker.

export function model(tf) {
  const input = tf.input({ shape: [2] });
  const hidden = tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: 'heNormal' }).apply(input);
  const deeper = tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: 'heNormal' }).apply(hidden);
  const skip = tf.layers.add().apply([hidden, deeper]);
  const output = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(skip);
  return tf.model({ inputs: input, outputs: output });
}

export const data = { dataset: 'moons', samples: 400 };

export const train = { loss: 'binaryCrossentropy', learningRate: 0.01, epochs: 40, metrics: ['accuracy'], seed: 2 };
