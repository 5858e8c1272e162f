// Feature maps of every conv layer for one example the user picks from the data (Filters panel),
// and their guards, used on every hop. The panel asks (protocol/inside.ts 'pickExample'), the host
// forwards the pick to the run's worker or, once the run has ended, asks a worker that loads the
// run's saved model (protocol/worker.ts 'pickMaps' as a channel request to a 'serveMaps' worker,
// answered by 'pickedMaps'), and the answer travels back the same way.
import { isConsistent, type FeatureMaps } from './stats';
import { arrayOf, isBoolean, isNumber, isNumeric, isObject, isString, oneOf, shape } from './guards';

export type ExampleSplit = 'train' | 'validation';

export interface ExamplePick {
  split: ExampleSplit;
  /** 0-based row in that split, in the order the run's data were split (the data seed's order). */
  index: number;
}

/** One conv layer's maps for the picked example, cut to fit the message budget. */
export interface PickedLayerMaps {
  id: string;
  /** [height, width, channels] of the values sent (after `stride` and the channel cut). */
  shape: [number, number, number];
  /** The values in (h, w, c) order as signed bytes with one scale per channel, one example
   *  (common/stats/mapCodec.ts): a quarter of the size of JSON numbers, the same picture. */
  quantized: NonNullable<FeatureMaps['quantized']>;
  /** Channels the layer has (shape[2] may be fewer: the first ones are sent). */
  totalChannels: number;
  /** Every stride-th row and column is sent (1: all). */
  stride: number;
}

export interface PickedMaps {
  pick: ExamplePick;
  /** Examples in each split, so that the panel bounds its picker. */
  counts: Record<ExampleSplit, number>;
  /** The weights used: after `step` optimizer steps, in `epoch` (0 before the first epoch ends). */
  step: number;
  epoch: number;
  /** The example as the model sees it ([h, w, c], maybe strided like the maps), as bytes like the maps. */
  input: { shape: [number, number, number]; quantized: PickedLayerMaps['quantized']; stride: number };
  /** Class index (classification) or target value (regression). */
  label: number;
  /** The model's output for it: the arg-max class (classification) or the value (regression). */
  predicted: number;
  classification: boolean;
  layers: PickedLayerMaps[];
}

/** What answers a pick: the maps, or why there are none (index out of range, no saved model...). */
export type PickedMapsReply = { pick: ExamplePick; maps: PickedMaps } | { pick: ExamplePick; error: string };

// Guards.

/** Far above any real data set, far below what would make an index unsafe. */
const MAX_INDEX = 1e9;
const isIndex = (v: unknown): v is number => isNumber(v) && Number.isInteger(v) && v >= 0 && v < MAX_INDEX;
const isCount = isIndex;

export const isExamplePick = shape<ExamplePick>({ split: oneOf('train', 'validation'), index: isIndex });

const numbers = (max: number) => arrayOf(isNumeric, max);
const isQuantized = shape<PickedLayerMaps['quantized']>({ scales: arrayOf(numbers(100_000), 1), bytes: arrayOf(isString, 1) });
const isLayerFields = shape<PickedLayerMaps>({ id: isString, shape: arrayOf(isCount, 3), quantized: isQuantized, totalChannels: isCount, stride: isCount });
const isInputFields = shape<PickedMaps['input']>({ shape: arrayOf(isCount, 3), quantized: isQuantized, stride: isCount });
/** One example's bytes that decode to the stated (h, w, c) shape. */
const isEncoded = (v: Pick<PickedLayerMaps, 'shape' | 'quantized'>): boolean => v.shape.length === 3 && v.quantized.bytes.length === 1 && isConsistent(v.quantized, v.shape);
const isLayerMaps = (v: unknown): v is PickedLayerMaps => isLayerFields(v) && isEncoded(v);

export const isPickedMaps = shape<PickedMaps>({
  pick: isExamplePick,
  counts: shape<PickedMaps['counts']>({ train: isCount, validation: isCount }),
  step: isNumber, epoch: isNumber,
  input: (v: unknown) => isInputFields(v) && isEncoded(v),
  label: isNumeric, predicted: isNumeric, classification: isBoolean,
  layers: arrayOf(isLayerMaps, 1000),
});

export const isPickedMapsReply = (v: unknown): v is PickedMapsReply =>
  isObject(v) && isExamplePick(v.pick) && (isString(v.error) ? v.maps === undefined : isPickedMaps(v.maps));
