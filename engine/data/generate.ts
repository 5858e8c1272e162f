// Seeded toy sets in the spirit of TensorFlow Playground and sklearn.datasets: same seed, same
// points. 2-D classification sets put `noise` on the coordinates; 1-D regression sets put it on y.
import { gaussian, makeRng } from '../../common/random';
import { DATASETS } from '../../model/datasets';
import type { Dataset } from './dataset';

export interface GenerateOptions {
  samples: number;
  noise: number;
  seed: number;
  classes?: number;
  /** blobs: standard deviation of each blob. */
  spread?: number;
  /** linear: false flips 10% of the labels across the line. */
  separable?: boolean;
  /** polynomial: degree of seeded random coefficients (when `coefficients` is not given). */
  degree?: number;
  /** polynomial: c0, c1, ... of y = c0 + c1 x + c2 x² + ... */
  coefficients?: number[];
  /** checkerboard: squares per side. */
  cells?: number;
}

/** x, y, label (2-D sets) or x, target (1-D sets, third value unused). */
type Point = [number, number, number];
type Rng = () => number;

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();

const generators: Record<string, (o: GenerateOptions, rng: Rng) => Point[]> = {
  xor: ({ samples }, rng) =>
    Array.from({ length: samples }, () => {
      // Keep points away from the axes (as TensorFlow Playground does) so that the label is
      // decided by the quadrant, not by the noise.
      const away = (v: number) => (v >= 0 ? v + 0.1 : v - 0.1);
      const a = away(rng() * 1.8 - 0.9);
      const b = away(rng() * 1.8 - 0.9);
      return [a, b, a * b < 0 ? 1 : 0];
    }),
  circles: ({ samples }, rng) =>
    Array.from({ length: samples }, (_, i) => {
      const inner = i % 2 === 0;
      const r = inner ? rng() * 0.45 : 0.65 + rng() * 0.35;
      const t = rng() * 2 * Math.PI;
      return [r * Math.cos(t), r * Math.sin(t), inner ? 1 : 0];
    }),
  moons: ({ samples }, rng) =>
    Array.from({ length: samples }, (_, i) => {
      // sklearn's make_moons (upper moon centred at 0, lower at (1, -0.5)), centred and scaled into [-1, 1]².
      const lower = i % 2 === 1;
      const t = rng() * Math.PI;
      const [a, b] = lower ? [1 - Math.cos(t), 0.5 - Math.sin(t)] : [Math.cos(t), Math.sin(t)];
      return [(a - 0.5) * 0.6, (b - 0.25) * 0.6, lower ? 1 : 0];
    }),
  spirals: ({ samples, classes = 2 }, rng) =>
    Array.from({ length: samples }, (_, i) => {
      const k = i % classes;
      const t = rng();
      const angle = t * 3.5 * Math.PI + (2 * Math.PI * k) / classes;
      return [t * Math.cos(angle), t * Math.sin(angle), k];
    }),
  blobs: ({ samples, classes = 2, spread = 0.2 }, rng) =>
    Array.from({ length: samples }, (_, i) => {
      const k = i % classes;
      const angle = (2 * Math.PI * k) / classes;
      return [0.6 * Math.cos(angle) + spread * gaussian(rng), 0.6 * Math.sin(angle) + spread * gaussian(rng), k];
    }),
  linear: ({ samples, separable = true }, rng) => {
    const angle = rng() * Math.PI;
    const [wx, wy] = [Math.cos(angle), Math.sin(angle)];
    return Array.from({ length: samples }, (_, i): Point => {
      // Half the points on each side, at least 0.1 from the line, so that a separable set stays so
      // under the default noise.
      const side = i % 2 === 0 ? 1 : -1;
      const along = uniform(rng, -1, 1);
      const across = side * uniform(rng, 0.1, 0.9);
      const label = separable || rng() >= 0.1 ? (side > 0 ? 1 : 0) : side > 0 ? 0 : 1;
      return [along * -wy + across * wx, along * wx + across * wy, label];
    });
  },
  checkerboard: ({ samples, cells = 4 }, rng) =>
    Array.from({ length: samples }, () => {
      const a = uniform(rng, -1, 1);
      const b = uniform(rng, -1, 1);
      const col = Math.min(cells - 1, Math.floor(((a + 1) / 2) * cells));
      const row = Math.min(cells - 1, Math.floor(((b + 1) / 2) * cells));
      return [a, b, (col + row) % 2];
    }),
  sine: ({ samples, noise }, rng) =>
    Array.from({ length: samples }, () => {
      const x = uniform(rng, -Math.PI, Math.PI);
      return [x, Math.sin(x) + noise * gaussian(rng), 0];
    }),
  polynomial: ({ samples, noise, degree = 3, coefficients }, rng) => {
    const c = coefficients ?? Array.from({ length: degree + 1 }, () => uniform(rng, -1, 1));
    return Array.from({ length: samples }, () => {
      const x = uniform(rng, -1, 1);
      const y = c.reduceRight((acc, ci) => acc * x + ci, 0);
      return [x, y + noise * gaussian(rng), 0];
    });
  },
};

export const GENERATOR_NAMES = Object.keys(generators);

export function generate(name: string, options: GenerateOptions): Dataset {
  const make = generators[name];
  const def = DATASETS[name];
  if (!make || !def) throw new Error(`No generator for '${name}'.`);
  const rng = makeRng(options.seed);
  const points = make(options, rng);
  const n = points.length;
  if (def.task === 'regression') {
    return {
      name, n, shape: [1], classes: 0, task: 'regression',
      x: Float32Array.from(points, (p) => p[0]), y: Float32Array.from(points, (p) => p[1]),
    };
  }
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  points.forEach(([a, b, label], i) => {
    x[2 * i] = a + options.noise * gaussian(rng);
    x[2 * i + 1] = b + options.noise * gaussian(rng);
    y[i] = label;
  });
  const classes = def.options.includes('classes') ? options.classes ?? 2 : 2;
  return { name, x, y, n, shape: [2], classes, task: classes === 2 ? 'binary' : 'multiclass' };
}
