"""The layer catalogue (model/language/layers/) as torch modules: one builder per layer kind, each
taking the layer's options, the Keras shapes of its inputs (without the batch) and its seeds."""
from .base import Seeds
from .conv import Conv, Conv2dTranspose, DepthwiseConv2d
from .dense import Dense, Maxout
from .elementwise import Activation, Dropout, Merge
from .normalization import BatchNormalization, GroupNormalization, LayerNormalization
from .shaping import Flatten, GlobalPool, Pool, Reshape, UpSampling2d, ZeroPadding2d

BUILDERS = {
    'dense': Dense,
    'maxout': Maxout,
    'conv1d': lambda c, s, r: Conv(c, s, r, 1),
    'conv2d': lambda c, s, r: Conv(c, s, r, 2),
    'conv2dTranspose': Conv2dTranspose,
    'depthwiseConv2d': DepthwiseConv2d,
    'separableConv2d': lambda c, s, r: DepthwiseConv2d(c, s, r, separable=True),
    'maxPooling1d': lambda c, s, r: Pool(c, s, r, 1, 'max'),
    'maxPooling2d': lambda c, s, r: Pool(c, s, r, 2, 'max'),
    'averagePooling1d': lambda c, s, r: Pool(c, s, r, 1, 'avg'),
    'averagePooling2d': lambda c, s, r: Pool(c, s, r, 2, 'avg'),
    'globalAveragePooling1d': lambda c, s, r: GlobalPool(c, s, r, 'avg'),
    'globalAveragePooling2d': lambda c, s, r: GlobalPool(c, s, r, 'avg'),
    'globalMaxPooling1d': lambda c, s, r: GlobalPool(c, s, r, 'max'),
    'globalMaxPooling2d': lambda c, s, r: GlobalPool(c, s, r, 'max'),
    'flatten': Flatten,
    'reshape': Reshape,
    'zeroPadding2d': ZeroPadding2d,
    'upSampling2d': UpSampling2d,
    'batchNormalization': BatchNormalization,
    'layerNormalization': LayerNormalization,
    'groupNormalization': GroupNormalization,
    'instanceNormalization': lambda c, s, r: GroupNormalization(c, s, r, instance=True),
    'activation': lambda c, s, r: Activation(c, s, r, 'activation'),
    'reLU': lambda c, s, r: Activation(c, s, r, 'reLU'),
    'leakyReLU': lambda c, s, r: Activation(c, s, r, 'leakyReLU'),
    'elu': lambda c, s, r: Activation(c, s, r, 'elu'),
    'softmax': lambda c, s, r: Activation(c, s, r, 'softmax'),
    'dropout': Dropout,
    'add': lambda c, s, r: Merge(c, s, r, 'add'),
    'multiply': lambda c, s, r: Merge(c, s, r, 'multiply'),
    'concatenate': lambda c, s, r: Merge(c, s, r, 'concatenate'),
}

LAYER_KINDS = tuple(BUILDERS)


def make_layer(kind, cfg, input_shapes, seed, keras_seed=None):
    """The module of one layer; `input_shapes` are Keras shapes without the batch dimension."""
    builder = BUILDERS.get(kind)
    if builder is None:
        raise ValueError(f"Layer kind '{kind}' has no PyTorch builder (known: {', '.join(LAYER_KINDS)}).")
    return builder(cfg, [list(s) for s in input_shapes], Seeds(seed, keras_seed))
