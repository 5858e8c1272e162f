// Dropout that draws a new mask on every training call, reproducibly, and the same masks as the
// PyTorch runner. tfjs's own dropout layer passes its fixed `seed` to every draw, so with a seed it
// drops the same units on every step: a run would train one fixed sub-network per batch position
// instead of a fresh random one per pass, the opposite of dropout's "ensemble of thinned networks".
// So each training call here takes the next seed of a sequence that starts at the layer's seed.
// The mask comes from our own generator (common/random.ts), not tfjs's alea stream: mulberry32 is a
// hashed counter, so the runner (engines/pytorch/modellab_torch/elementwise.py) computes the same
// values as tensors, and the two engines run the same random experiment from the same file and seed.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Dropout as DropoutClass, DropoutLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/core';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { makeRng } from '../../../common/random';

// The class from the instance, not a deep import: Node loads tfjs-layers as one bundle, and a deep
// import would load a second copy whose layers the first copy's models do not recognise.
const Dropout = Object.getPrototypeOf(tfl.layers.dropout({ rate: 0.5 })).constructor as typeof DropoutClass;

/** Seeds stay within 31 bits; the odd step visits every value before repeating. */
const SEED_STEP = 0x9e3779b1;
const SEED_MOD = 2 ** 31;

/** The seed of a layer's mask number `draws` (the runner computes the same). */
export function maskSeed(baseSeed: number, draws: number): number {
  return Number((BigInt(baseSeed) + BigInt(draws) * BigInt(SEED_STEP)) % BigInt(SEED_MOD));
}

/**
 * The values x is multiplied by: one per element in row-major (channels-last) order, with tfjs's
 * dropout arithmetic in float32 (tfjs-core ops/dropout: floor(u + keepProb) / keepProb, u drawn as
 * float32), so the result is what tf.dropout would give for these u, bit for bit.
 */
export function keepMultiplier(seed: number, size: number, rate: number): Float32Array {
  const rng = makeRng(seed);
  const keep = Math.fround(1 - rate);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(Math.fround(Math.fround(rng()) + keep)) / keep;
  return out;
}

export class FreshMaskDropout extends Dropout {
  /** Saved and loaded as a plain Keras/tfjs Dropout: the per-step seeds only matter while training. */
  static override className = 'Dropout';
  private readonly baseSeed: number;
  private draws = 0;

  constructor(args: DropoutLayerArgs & { seed: number }) {
    super(args);
    this.baseSeed = args.seed;
  }

  /** How many training masks this layer has drawn (for tests and run logs). */
  get masksDrawn(): number {
    return this.draws;
  }

  /** Back to an earlier point of the mask sequence (a probe's masks are not training's). */
  rewindTo(draws: number): void {
    this.draws = draws;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    // tfjs declares rate private; the catalogue has no noiseShape, so the mask covers every element.
    const { rate } = this as unknown as { rate: number };
    if (kwargs['training'] !== true || !(rate > 0 && rate < 1)) return super.call(inputs, kwargs);
    const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
    const seed = maskSeed(this.baseSeed, this.draws);
    this.draws++;
    // One multiply: its gradient is the same multiply, and the mask tensor is the op's own input.
    return tf.tidy(() => tf.mul(x, tf.tensor(keepMultiplier(seed, x.size, rate), x.shape, 'float32')));
  }
}
