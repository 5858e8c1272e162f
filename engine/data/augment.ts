// Data augmentation for images in HWC order, in plain JavaScript on the batch buffer before it is
// copied to the backend: no tensors, no kernels the wasm backend might lack, and exactly the same
// result for the same seed on every backend. Geometric changes (flip, shift, crop, scale,
// rotation) are one inverse affine map sampled bilinearly with zeros outside; then noise and cutout.
import type { AugmentSpec } from '../../model/language/model';
import { gaussian, makeRng } from '../../common/random';

/** The random draws for one image, exposed so that tests and the preview can show what happened. */
export interface AugmentDraw {
  flipH: boolean;
  flipV: boolean;
  /** Translation in pixels (shift and random crop together). */
  dx: number;
  dy: number;
  scale: number;
  /** Radians. */
  angle: number;
  /** Top-left corner of the cutout square, if any. */
  cutout?: [number, number];
}

export class Augmenter {
  private readonly rng: () => number;
  private readonly scratch: Float32Array;

  constructor(readonly spec: AugmentSpec, readonly shape: [number, number, number], seed: number) {
    this.rng = makeRng(seed);
    this.scratch = new Float32Array(shape[0] * shape[1] * shape[2]);
  }

  /** Augments the first `n` images of `buf` in place, each with its own draw. */
  apply(buf: Float32Array, n: number): void {
    const size = this.scratch.length;
    for (let i = 0; i < n; i++) this.applyOne(buf.subarray(i * size, (i + 1) * size));
  }

  applyOne(img: Float32Array): AugmentDraw {
    const s = this.spec;
    const rng = this.rng;
    const int = (max: number) => Math.floor(rng() * (2 * max + 1)) - max;
    const draw: AugmentDraw = {
      flipH: s.flipHorizontal ? rng() < 0.5 : false,
      flipV: s.flipVertical ? rng() < 0.5 : false,
      dx: (s.shift ? int(s.shift) : 0) + (s.randomCrop ? int(s.randomCrop) : 0),
      dy: (s.shift ? int(s.shift) : 0) + (s.randomCrop ? int(s.randomCrop) : 0),
      scale: s.randomScale ? s.randomScale[0] + rng() * (s.randomScale[1] - s.randomScale[0]) : 1,
      angle: s.rotation ? ((rng() * 2 - 1) * s.rotation * Math.PI) / 180 : 0,
    };
    if (draw.flipH || draw.flipV || draw.dx || draw.dy || draw.scale !== 1 || draw.angle) {
      this.scratch.set(img);
      warp(this.scratch, img, this.shape, draw);
    }
    if (s.gaussianNoise) for (let j = 0; j < img.length; j++) img[j] = (img[j] as number) + s.gaussianNoise * gaussian(rng);
    if (s.cutout) {
      const [h, w] = this.shape;
      // The square's centre is anywhere in the image, so it may hang over the edge (DeVries & Taylor, 2017).
      const top = Math.floor(rng() * h) - Math.floor(s.cutout / 2);
      const left = Math.floor(rng() * w) - Math.floor(s.cutout / 2);
      draw.cutout = [top, left];
      fillSquare(img, this.shape, top, left, s.cutout);
    }
    return draw;
  }
}

/** out(y, x) = src at the point that the draw's transform maps onto (y, x). */
export function warp(src: Float32Array, out: Float32Array, [h, w, c]: [number, number, number], d: AugmentDraw): void {
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const cos = Math.cos(d.angle) / d.scale;
  const sin = Math.sin(d.angle) / d.scale;
  for (let oy = 0; oy < h; oy++) {
    for (let ox = 0; ox < w; ox++) {
      const u = ox - cx - d.dx;
      const v = oy - cy - d.dy;
      let sx = cos * u + sin * v + cx;
      let sy = -sin * u + cos * v + cy;
      if (d.flipH) sx = w - 1 - sx;
      if (d.flipV) sy = h - 1 - sy;
      const o = (oy * w + ox) * c;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let ch = 0; ch < c; ch++) {
        const at = (yy: number, xx: number) => (yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : (src[(yy * w + xx) * c + ch] as number));
        // Integer positions (flips, shifts, crops) take the pixel exactly; the weights of the others are 0.
        out[o + ch] = fx === 0 && fy === 0
          ? at(y0, x0)
          : (at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx) * (1 - fy) + (at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx) * fy;
      }
    }
  }
}

function fillSquare(img: Float32Array, [h, w, c]: [number, number, number], top: number, left: number, side: number): void {
  for (let y = Math.max(0, top); y < Math.min(h, top + side); y++) {
    for (let x = Math.max(0, left); x < Math.min(w, left + side); x++) img.fill(0, (y * w + x) * c, (y * w + x + 1) * c);
  }
}

/** The augmenter a run's training batches use, or undefined when the model file asks for none. */
export function makeAugmenter(augment: AugmentSpec | undefined, inputShape: number[], seed: number): Augmenter | undefined {
  if (!augment || inputShape.length !== 3 || Object.keys(augment).length === 0) return undefined;
  return new Augmenter(augment, inputShape as [number, number, number], seed);
}
