// Group normalisation (Wu & He 2018) and instance normalisation (Ulyanov et al. 2016, the case of
// one channel per group), which tfjs lacks. Statistics are per example, over all positions and the
// channels of a group, so they do not depend on the batch; gamma and beta are per channel.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { inputOf, inputShapeOf, type BaseLayerArgs, type Weight } from './singleInput';

export interface GroupNormalizationArgs extends BaseLayerArgs {
  /** Channel groups; 0 means one group per channel (instance normalisation). */
  groups?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}

export class GroupNormalization extends tfl.layers.Layer {
  static className = 'GroupNormalization';
  readonly groups: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private gamma?: Weight;
  private beta?: Weight;

  constructor(args: GroupNormalizationArgs) {
    super(args);
    this.groups = args.groups ?? 32;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center !== false;
    this.scale = args.scale !== false;
  }

  protected groupsFor(channels: number): number {
    return this.groups === 0 ? channels : this.groups;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = inputShapeOf(inputShape);
    const channels = shape[shape.length - 1] as number;
    if (channels % this.groupsFor(channels) !== 0) throw new Error(`${this.name}: ${channels} channels do not split into ${this.groupsFor(channels)} groups.`);
    if (this.scale) this.gamma = this.addWeight('gamma', [channels], 'float32', tfl.initializers.ones(), undefined, true);
    if (this.center) this.beta = this.addWeight('beta', [channels], 'float32', tfl.initializers.zeros(), undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return inputShapeOf(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = inputOf(inputs);
      const shape = x.shape;
      const channels = shape[shape.length - 1] as number;
      const groups = this.groupsFor(channels);
      // [batch, positions, groups, channels per group]: moments over positions and the group's channels.
      const grouped = tf.reshape(x, [shape[0] as number, -1, groups, channels / groups]);
      const { mean, variance } = tf.moments(grouped, [1, 3], true);
      const normed = tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, this.epsilon)));
      let y = tf.reshape(normed, shape);
      if (this.gamma) y = tf.mul(y, this.gamma.read());
      if (this.beta) y = tf.add(y, this.beta.read());
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}
tf.serialization.registerClass(GroupNormalization);

export class InstanceNormalization extends GroupNormalization {
  static override className = 'InstanceNormalization';
  constructor(args: Omit<GroupNormalizationArgs, 'groups'>) {
    super({ ...args, groups: 0 });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { groups: _groups, ...rest } = super.getConfig();
    return rest;
  }
}
tf.serialization.registerClass(InstanceNormalization);
