// Checks of the data section against the model that need no disk: augmentation needs images, image
// folders need an image input. The checks that do need the disk (does the file exist? does the CSV
// have the target column?) run after the parse, asynchronously (engine/data/dataFiles.ts), on what
// dataToCheckOf keeps of the data section: the parser never reads a file.
import type { Checker } from './check';
import type { Range } from './diagnostic';
import type { DataSpec, ModelSpec } from './model';

/** What the data-file checks need: the data section (its sources and key ranges) and where to report when a key has no range. */
export interface DataToCheck {
  data: DataSpec;
  fallback: Range;
  /** The loss and the output activation, for the check that the activation can reach the targets. */
  output?: { loss: string; activation: string; range: Range };
}

/** The range of a key of the data section, else of the section, else `fallback`. */
export function dataKeyRange(data: DataSpec, fallback: Range, key: string): Range {
  return data.ranges?.[key] ?? data.ranges?.data ?? fallback;
}

export function checkDataShape(c: Checker, spec: ModelSpec): void {
  const data = spec.data;
  const at = (key: string): Range => dataKeyRange(data, spec.source.range, key);
  const input = spec.model.input;
  const imageInput = input.length === 3;
  if (data.augment && !imageInput) {
    c.report(at('augment'), `data.augment changes images: model.input must be [height, width, channels]; it is [${input.join(', ')}].`, 'augment-needs-images');
  }
  if (data.testTimeAugmentation && !imageInput) {
    c.report(at('testTimeAugmentation'), `testTimeAugmentation averages over views of images: model.input must be [height, width, channels]; it is [${input.join(', ')}].`, 'augment-needs-images');
  }
  if (data.source?.kind === 'images' && !imageInput) {
    c.report(at('images'), `Images need model.input [height, width, channels] (channels 1 for grey, 3 for colour); it is [${input.join(', ')}].`, 'input-shape');
  }
  if (data.source?.kind === 'images' && imageInput && input[2] !== 1 && input[2] !== 3) {
    c.report(at('images'), `Images are read with 1 (grey) or 3 (RGB) channels; model.input has ${input[2]}.`, 'input-shape');
  }
}

/** The activation that produces a layer's output, whether a layer option or a layer of its own. */
export function outputActivation(layer: { kind: string; config: Record<string, unknown> }): string {
  return layer.kind === 'softmax' ? 'softmax' : String(layer.config.activation ?? 'linear');
}

/** The part of a parsed model the data-file checks read; undefined when it names no files. */
export function dataToCheckOf(spec: ModelSpec): DataToCheck | undefined {
  if (!spec.data.source) return undefined;
  const last = spec.model.layers[spec.model.layers.length - 1];
  const activation = last && outputActivation(last);
  const output = last && activation ? { loss: spec.train.loss, activation, range: last.optionRanges.activation ?? last.range } : undefined;
  return { data: spec.data, fallback: spec.source.range, ...(output ? { output } : {}) };
}
