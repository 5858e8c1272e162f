// Whether the output activation can reach a CSV's regression targets: relu never goes below zero,
// sigmoid stays inside (0, 1), tanh inside (-1, 1). Read off the target column asynchronously, as
// part of the data-file checks (engine/data/dataFiles.ts), and remembered per file version, so
// typing in the model file reads the data once.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { splitCsvLine } from './csv';

/** The values each activation can output (closed or open ends alike). */
export const ACTIVATION_RANGE: Record<string, [number, number]> = {
  relu: [0, Infinity], relu6: [0, 6], softplus: [0, Infinity], sigmoid: [0, 1], hardSigmoid: [0, 1],
  tanh: [-1, 1], softsign: [-1, 1], elu: [-1, Infinity], selu: [-1.7581, Infinity], swish: [-0.2785, Infinity],
};

/** Files above this are left to the training-time checks: the scan runs while the user types. */
export const MAX_SCANNED_BYTES = 64 * 2 ** 20;

const cache = new Map<string, { min: number; max: number } | undefined>();

/** The smallest and largest numeric value of the column `target`, or undefined (no such column, no numbers, too large). */
export async function csvTargetRange(path: string, target: string): Promise<{ min: number; max: number } | undefined> {
  let key: string;
  try {
    const s = await stat(path);
    if (!s.isFile() || s.size > MAX_SCANNED_BYTES) return undefined;
    key = `${path}\0${target}\0${s.size}\0${s.mtimeMs}`;
  } catch {
    return undefined;
  }
  if (cache.has(key)) return cache.get(key);
  const range = await scan(path, target);
  if (cache.size > 64) cache.clear();
  cache.set(key, range);
  return range;
}

async function scan(path: string, target: string): Promise<{ min: number; max: number } | undefined> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let column = -1;
  let min = Infinity;
  let max = -Infinity;
  try {
    for await (const raw of lines) {
      const line = raw.replace(/^\uFEFF/, '');
      if (column < 0) {
        column = splitCsvLine(line).map((h) => h.trim()).indexOf(target);
        if (column < 0) return undefined;
        continue;
      }
      const cell = splitCsvLine(line)[column]?.trim();
      if (!cell) continue;
      const v = Number(cell);
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } catch {
    return undefined;
  } finally {
    lines.close();
  }
  return min <= max ? { min, max } : undefined;
}

/** The message when `activation` cannot output every target, else undefined. */
export function unreachableTargets(activation: string, range: { min: number; max: number }): string | undefined {
  const reach = ACTIVATION_RANGE[activation];
  if (!reach) return undefined;
  const [lo, hi] = reach;
  if (range.min >= lo && range.max <= hi) return undefined;
  const fmt = (v: number): string => String(Number(v.toPrecision(4)));
  const span = hi === Infinity ? `${fmt(lo)} or more` : `between ${fmt(lo)} and ${fmt(hi)}`;
  return `The targets run from ${fmt(range.min)} to ${fmt(range.max)}, but ${activation} only outputs values ${span}: those targets can never be predicted. End with no activation (activation: linear)${lo === 0 && range.min >= 0 ? '' : ', or rescale the target'}.`;
}
