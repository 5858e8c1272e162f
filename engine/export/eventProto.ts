// The few TensorFlow protobuf messages a TensorBoard event file needs, declared with protobufjs
// from the field numbers of tensorflow/common/event.proto and tensorflow/core/framework/summary.proto
// (proto3: repeated doubles are packed). Only what Model Lab writes is declared: an Event carries a
// file version or a Summary; a Summary value is a scalar (simple_value) or a histogram (histo).
import * as protobuf from 'protobufjs/light';

type Fields = Record<string, { type: string; id: number }>;

/** A message whose `always` fields are followed by `alternatives`, at most one of which is set (a proto3 oneof). */
function withOneof(name: string, always: Fields, alternatives: Fields): { oneofs: Record<string, { oneof: string[] }>; fields: Fields } {
  return { oneofs: { [name]: { oneof: Object.keys(alternatives) } }, fields: { ...always, ...alternatives } };
}

const root = protobuf.Root.fromJSON({
  nested: {
    tensorflow: {
      nested: {
        HistogramProto: {
          fields: {
            min: { type: 'double', id: 1 },
            max: { type: 'double', id: 2 },
            num: { type: 'double', id: 3 },
            sum: { type: 'double', id: 4 },
            sum_squares: { type: 'double', id: 5 },
            bucket_limit: { rule: 'repeated', type: 'double', id: 6, options: { packed: true } },
            bucket: { rule: 'repeated', type: 'double', id: 7, options: { packed: true } },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: withOneof('value', { tag: { type: 'string', id: 1 } }, {
              simple_value: { type: 'float', id: 2 },
              histo: { type: 'HistogramProto', id: 5 },
            }),
          },
        },
        Event: withOneof('what', { wall_time: { type: 'double', id: 1 }, step: { type: 'int64', id: 2 } }, {
          file_version: { type: 'string', id: 3 },
          summary: { type: 'Summary', id: 5 },
        }),
      },
    },
  },
});

export const EventType = root.lookupType('tensorflow.Event');

export interface HistogramMessage {
  min: number;
  max: number;
  num: number;
  sum: number;
  sum_squares: number;
  /** Right edge of each bucket; bucket i holds values in (bucket_limit[i-1], bucket_limit[i]]. */
  bucket_limit: number[];
  bucket: number[];
}

export interface SummaryValueMessage {
  tag: string;
  simple_value?: number;
  histo?: HistogramMessage;
}

export interface EventMessage {
  /** Seconds since the epoch (fractional). */
  wall_time: number;
  step: number;
  file_version?: string;
  summary?: { value: SummaryValueMessage[] };
}

export function encodeEvent(event: EventMessage): Uint8Array {
  const err = EventType.verify(event);
  if (err) throw new Error(`Invalid TensorBoard event: ${err}`);
  return EventType.encode(EventType.fromObject(event)).finish();
}
