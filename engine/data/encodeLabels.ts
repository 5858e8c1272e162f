// Labels as the model's output takes them: one 0/1 (or target) column for a single output unit or a
// regression, one-hot rows for one unit per class. Free of tfjs so the host can write the same
// arrays for the PyTorch engine (host/engines/engineData.ts) as the tfjs loop trains on.
import type { Dataset } from './dataset';

export function encodeLabels(ds: Dataset, outputUnits: number): { y: Float32Array; yWidth: number } {
  const yWidth = ds.task === 'regression' || outputUnits === 1 ? 1 : outputUnits;
  if (yWidth === 1) return { y: ds.y, yWidth };
  const y = new Float32Array(ds.n * yWidth);
  ds.y.forEach((label, i) => {
    y[i * yWidth + label] = 1;
  });
  return { y, yWidth };
}
