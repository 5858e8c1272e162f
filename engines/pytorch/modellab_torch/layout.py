"""Channels-last (the model file's and Keras's layout) versus channels-first (torch's, used inside
the network). Inside a Net every tensor of rank 3 is [N, C, steps] and every tensor of rank 4 is
[N, C, H, W]; rank 2 is [N, features] in both. Layers that care about the order of values
(flatten, reshape, axes of concatenate and the normalisations, dense on a non-vector) translate."""
import torch.nn.functional as F


def to_internal(x):
    if x.dim() == 4:
        return x.permute(0, 3, 1, 2).contiguous()
    if x.dim() == 3:
        return x.permute(0, 2, 1).contiguous()
    return x


def to_channels_last(x):
    if x.dim() == 4:
        return x.permute(0, 2, 3, 1)
    if x.dim() == 3:
        return x.permute(0, 2, 1)
    return x


def internal_axis(axis, rank):
    """The internal dimension of a Keras axis (the batch is axis 0; negative counts from the end)."""
    k = axis if axis >= 0 else rank + axis
    if k < 0 or k >= rank:
        raise ValueError(f'axis {axis} is not an axis of a rank-{rank} tensor')
    if rank < 3 or k == 0:
        return k
    return 1 if k == rank - 1 else k + 1


def channel_dim(x):
    """Where the last Keras axis (the channels) lives inside."""
    return 1 if x.dim() >= 3 else x.dim() - 1


def same_pads(size, kernel, stride, dilation=1):
    """TF's 'same' padding along one axis: the output has ceil(size / stride) positions and any odd
    padding goes to the end (bottom/right), where torch's symmetric padding would differ."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def pad_same(x, kernels, strides, dilations, value=0.0):
    """x (channels-first) padded as TF pads for 'same' over its trailing spatial axes."""
    pads = []
    spatial = x.shape[2:]
    for size, k, s, d in reversed(list(zip(spatial, kernels, strides, dilations))):
        pads.extend(same_pads(size, k, s, d))
    if not any(pads):
        return x
    return F.pad(x, pads, value=value)


def conv_same(x, kernels, strides, dilations):
    """(input, padding) for a torch convolution with TF's 'same': symmetric padding goes to the
    convolution itself (no padded copy), the uneven kind is padded explicitly first."""
    pads = [same_pads(size, k, s, d) for size, k, s, d in zip(x.shape[2:], kernels, strides, dilations)]
    if all(a == b for a, b in pads):
        return x, tuple(a for a, _ in pads)
    return pad_same(x, kernels, strides, dilations), 0


def pair(v, fallback):
    if isinstance(v, (list, tuple)):
        return int(v[0]), int(v[1])
    if isinstance(v, (int, float)):
        return int(v), int(v)
    return fallback, fallback


def single(v, fallback):
    if isinstance(v, (list, tuple)):
        return int(v[0])
    if isinstance(v, (int, float)):
        return int(v)
    return fallback
