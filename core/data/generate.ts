// Seeded 2-D toy sets in the spirit of TensorFlow Playground: same seed, same points.
import { gaussian, makeRng } from '../util/random';
import type { Dataset } from './dataset';

export interface GenerateOptions {
  samples: number;
  noise: number;
  seed: number;
  classes?: number;
}

type Point = [number, number, number];

const generators: Record<string, (o: GenerateOptions, rng: () => number) => Point[]> = {
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
  spirals: ({ samples, classes = 2 }, rng) =>
    Array.from({ length: samples }, (_, i) => {
      const k = i % classes;
      const t = rng();
      const angle = t * 3.5 * Math.PI + (2 * Math.PI * k) / classes;
      return [t * Math.cos(angle), t * Math.sin(angle), k];
    }),
};

export function generate(name: string, options: GenerateOptions): Dataset {
  const make = generators[name];
  if (!make) throw new Error(`No generator for '${name}'.`);
  const rng = makeRng(options.seed);
  const points = make(options, rng);
  const x = new Float32Array(points.length * 2);
  const y = new Float32Array(points.length);
  points.forEach(([a, b, label], i) => {
    x[2 * i] = a + options.noise * gaussian(rng);
    x[2 * i + 1] = b + options.noise * gaussian(rng);
    y[i] = label;
  });
  const classes = name === 'spirals' ? options.classes ?? 2 : 2;
  return { name, x, y, n: points.length, shape: [2], classes, task: classes === 2 ? 'binary' : 'multiclass' };
}
