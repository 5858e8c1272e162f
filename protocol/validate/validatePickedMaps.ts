// Guards for picked-example feature maps (protocol/pickedMaps.ts), used on the panel -> host,
// host -> worker, worker -> host and host -> panel boundaries.
import type { ExamplePick, PickedLayerMaps, PickedMaps, PickedMapsReply } from '../pickedMaps';
import { isConsistent } from '../../common/stats/mapCodec';
import { arrayOf, isBoolean, isNumber, isNumeric, isObject, isString, oneOf, shape } from './guards';

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
