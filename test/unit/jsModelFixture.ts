// The JavaScript model file the jsModel and jsAnchors tests read, with advice to give (a dense
// layer without activation before another, dropout 0.9, a sigmoid output, learning rate 3), and
// the tfjs model it builds.
import * as tfl from '@tensorflow/tfjs-layers';

/** The file, with its own comment line (what is not a layer call) and `train` export. */
export const jsModelFile = (comment: string, train: string): string => `// A model with advice to give.
const data = { dataset: 'digits' };
// ${comment}
function model(tf) {
  return tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [64], units: 32 }),
    tf.layers.dropout({ rate: 0.9 }),
    tf.layers.dense({ units: 10, activation: 'sigmoid' }),
  ] });
}
const train = ${train};
module.exports = { model, data, train };
`;

/** The model the file's `model(tf)` builds. */
export function buildJsModel(): tfl.LayersModel {
  return tfl.sequential({ layers: [
    tfl.layers.dense({ inputShape: [64], units: 32 }),
    tfl.layers.dropout({ rate: 0.9 }),
    tfl.layers.dense({ units: 10, activation: 'sigmoid' }),
  ] });
}
