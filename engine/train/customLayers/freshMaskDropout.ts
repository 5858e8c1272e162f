// Dropout that draws a new mask on every training call, reproducibly. tfjs's own dropout layer
// passes its fixed `seed` to every draw, so with a seed it drops the same units on every step: a
// run would train one fixed sub-network per batch position instead of a fresh random one per pass,
// which is the opposite of dropout's "ensemble of thinned networks". Without a seed the masks
// differ but a run can no longer be repeated from `train.seed`. So each training call here takes
// the next seed of a sequence that starts at the layer's seed: the same file and seed give the same
// masks in the same order, and no two steps share one.
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Dropout as DropoutClass, DropoutLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/core';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';

// The class from the instance, not a deep import: Node loads tfjs-layers as one bundle, and a deep
// import would load a second copy whose layers the first copy's models do not recognise.
const Dropout = Object.getPrototypeOf(tfl.layers.dropout({ rate: 0.5 })).constructor as typeof DropoutClass;

/** Seeds stay within 31 bits; the odd step visits every value before repeating. */
const SEED_STEP = 0x9e3779b1;
const SEED_MOD = 2 ** 31;

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
    // tfjs declares these private; the parent's call reads them when it draws the mask.
    const own = this as unknown as { rate: number; seed: number };
    if (kwargs['training'] === true && own.rate > 0) {
      own.seed = Number((BigInt(this.baseSeed) + BigInt(this.draws) * BigInt(SEED_STEP)) % BigInt(SEED_MOD));
      this.draws++;
    }
    return super.call(inputs, kwargs);
  }
}
