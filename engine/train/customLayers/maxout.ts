// Maxout (Goodfellow et al. 2013): `units` outputs, each the max of `pieces` affine functions of the
// input. tfjs has no maxout layer; this one trains (gradients through matMul and max), saves and
// loads (registered with tfjs serialization).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { revive, serializeObject, type Initializer, type Regularizer } from './serialize';
import { inputOf, inputShapeOf, type BaseLayerArgs, type Weight } from './singleInput';

export interface MaxoutArgs extends BaseLayerArgs {
  units: number;
  pieces: number;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
  kernelRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
}

export class Maxout extends tfl.layers.Layer {
  static className = 'Maxout';
  readonly units: number;
  readonly pieces: number;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly kernelRegularizer?: Regularizer;
  private readonly biasRegularizer?: Regularizer;
  private kernel?: Weight;
  private bias?: Weight;

  constructor(args: MaxoutArgs) {
    super(args);
    this.units = args.units;
    this.pieces = args.pieces;
    this.useBias = args.useBias !== false;
    this.kernelInitializer = revive<Initializer>(args.kernelInitializer) ?? tfl.initializers.glorotUniform({});
    this.biasInitializer = revive<Initializer>(args.biasInitializer) ?? tfl.initializers.zeros();
    this.kernelRegularizer = revive<Regularizer>(args.kernelRegularizer);
    this.biasRegularizer = revive<Regularizer>(args.biasRegularizer);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = inputShapeOf(inputShape);
    const inDim = shape[shape.length - 1] as number;
    const outs = this.units * this.pieces;
    this.kernel = this.addWeight('kernel', [inDim, outs], 'float32', this.kernelInitializer, this.kernelRegularizer, true);
    if (this.useBias) this.bias = this.addWeight('bias', [outs], 'float32', this.biasInitializer, this.biasRegularizer, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = inputShapeOf(inputShape);
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = inputOf(inputs);
      const lead = x.shape.slice(0, -1);
      const inDim = x.shape[x.shape.length - 1] as number;
      // [n, in] · [in, units*pieces], then the max over each unit's pieces.
      let z = tf.matMul(tf.reshape(x, [-1, inDim]), (this.kernel as Weight).read());
      if (this.bias) z = tf.add(z, this.bias.read());
      const pieces = tf.reshape(z, [-1, this.units, this.pieces]);
      return tf.reshape(tf.max(pieces, -1), [...lead, this.units]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(), units: this.units, pieces: this.pieces, useBias: this.useBias,
      kernelInitializer: serializeObject(this.kernelInitializer), biasInitializer: serializeObject(this.biasInitializer),
      kernelRegularizer: serializeObject(this.kernelRegularizer), biasRegularizer: serializeObject(this.biasRegularizer),
    };
  }
}
tf.serialization.registerClass(Maxout);
