// Layers the model file offers that tfjs-layers 4.22 does not have, as real tfjs layers (trainable,
// serialisable). Importing this module registers them with tfjs serialization.
export { Maxout, type MaxoutArgs } from './maxout';
export { GroupNormalization, InstanceNormalization, type GroupNormalizationArgs } from './groupNormalization';
export { FreshMaskDropout } from './freshMaskDropout';
export { FastLayerNormalization } from './fastLayerNormalization';
export { Elu, type EluArgs } from './elu';
