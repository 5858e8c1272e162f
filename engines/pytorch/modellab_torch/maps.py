"""Feature maps of every conv layer for the example the user picks in the Filters panel, with the
current weights (engine/stats/pickedMaps.ts, pickedMapsHook.ts): answered at the first batch
boundary after the pick arrives and again after every epoch, cut to fit one message."""
import json
import re
from typing import Optional

import torch

from .loop import Context, Hook
from .stats import MAX_MESSAGE_CHARS
from .summaries import quantize_maps, round4


def is_classification(spec: dict) -> bool:
    return re.search(r'crossentropy|kullback|hinge', spec['train']['loss'], re.I) is not None


def _hwc(shape):
    shape = list(shape)
    if len(shape) == 3:
        return shape
    if len(shape) == 2:
        return [shape[0], shape[1], 1]
    return [1, shape[0] if shape else 1, 1]


def _encoded(values: torch.Tensor, shape, stride: int, channels: int) -> dict:
    """Every stride-th row and column and the first `channels` channels of an (h, w, c) array, as bytes."""
    h, w, c = _hwc(shape)
    a = values.reshape(h, w, c)[::stride, ::stride, :channels].contiguous()
    s = list(a.shape)
    return {'shape': s, 'quantized': quantize_maps(a, s, 1)}


def fit_maps(head: dict, x: torch.Tensor, layers, max_chars: int = MAX_MESSAGE_CHARS) -> dict:
    """Halves the biggest layer's channels, then its resolution, then the input's, until the JSON fits (fitMaps)."""
    keep = [_hwc(l['values'].shape)[2] for l in layers]
    strides = [1] * len(layers)
    input_stride = 1
    while True:
        maps = {**head,
                'input': {**_encoded(x, x.shape, input_stride, _hwc(x.shape)[2]), 'stride': input_stride},
                'layers': [{'id': l['id'], **_encoded(l['values'], l['values'].shape, strides[i], keep[i]),
                            'totalChannels': _hwc(l['values'].shape)[2], 'stride': strides[i]} for i, l in enumerate(layers)]}
        if len(json.dumps(maps, separators=(',', ':'))) <= max_chars:
            return maps
        size = lambda s: s[0] * s[1] * s[2]  # noqa: E731
        sizes = [size(l['shape']) for l in maps['layers']]
        input_size = size(maps['input']['shape'])
        big = sizes.index(max(sizes)) if sizes else -1
        if big >= 0 and sizes[big] >= input_size and keep[big] > 1:
            keep[big] = (keep[big] + 1) // 2
        elif big >= 0 and sizes[big] >= input_size and sizes[big] > 1:
            strides[big] *= 2
        elif input_size > 1:
            input_stride *= 2
        else:
            raise RuntimeError('feature maps cannot fit a message')


def compute(ctx: Context, conv_ids, pick: dict) -> dict:
    split = ctx.train if pick['split'] == 'train' else ctx.val
    word = 'training' if pick['split'] == 'train' else 'validation'
    n = split.n if split is not None else 0
    if n == 0:
        return {'pick': pick, 'error': f'This run has no {word} examples.'}
    i = pick['index']
    if i >= n:
        return {'pick': pick, 'error': f'Example {i} is out of range: the {word} set has {n} (0 to {n - 1}).'}
    x, y = split.x[i], split.y[i]
    label = int(y.argmax()) if y.numel() > 1 else float(y.reshape(-1)[0])
    ctx.net.eval()
    with torch.no_grad():
        out, acts = ctx.net.forward_with_outputs(x.unsqueeze(0).to(ctx.device))
    out = out.reshape(-1).cpu()
    classification = is_classification(ctx.spec)
    if out.numel() > 1:
        predicted = int(out.argmax())
    else:
        predicted = int(float(out[0]) > 0.5) if classification else round4(out[0])
    layers = [{'id': cid, 'values': acts[cid][0].cpu()} for cid in conv_ids]
    counts = {'train': ctx.train.n, 'validation': ctx.val.n if ctx.val is not None else 0}
    head = {'pick': pick, 'counts': counts, 'step': ctx.step, 'epoch': ctx.epoch, 'label': round4(label),
            'predicted': predicted, 'classification': classification}
    return {'pick': pick, 'maps': fit_maps(head, x, layers)}


class PickedMapsHook(Hook):
    def __init__(self, trainer):
        self.take_pick = lambda: trainer.take_pick()
        self.pick: Optional[dict] = None
        self.ctx: Optional[Context] = None
        self.unavailable: Optional[str] = None
        self.conv_ids = []

    def answer(self, ctx: Context) -> None:
        if not self.pick:
            return
        if self.unavailable:
            reply = {'pick': self.pick, 'error': self.unavailable}
        else:
            # A picture the panel asked for must never stop training: a failure is the answer instead.
            try:
                reply = compute(ctx, self.conv_ids, self.pick)
            except Exception as e:
                reply = {'pick': self.pick, 'error': f'Feature maps could not be computed: {e}'}
        ctx.sink.picked_maps(reply)

    def begin(self, ctx: Context) -> None:
        self.conv_ids = [l['id'] for l in ctx.spec['model']['layers'] if l['kind'] == 'conv2d']
        if not self.conv_ids:
            self.unavailable = 'No feature maps: this model has no conv2d layer.'
        self.pick = self.take_pick() or self.pick
        self.answer(ctx)

    def after_batch(self, ctx: Context, point: dict) -> None:
        pick = self.take_pick()
        if pick:
            self.pick = pick
            self.answer(ctx)

    def after_epoch(self, ctx: Context, point: dict) -> None:
        self.answer(ctx)


def serve(trainer, start: dict, channel) -> None:
    """Answers picks with a finished run's weights (start.serveMaps) until stop or the host closes the
    input: the Filters panel's maps after the run has ended, as the tfjs engine's serveMaps worker does."""
    from . import weights
    ctx = trainer.ctx
    weights.load(ctx.net, start['initialWeightsFile'])
    ctx.step, ctx.epoch = start.get('step', 0), start.get('epoch', 0)
    hook = PickedMapsHook(trainer)
    hook.take_pick = lambda: None
    hook.begin(ctx)
    while not channel.stop_requested():
        pick = channel.wait_pick(0.5)
        if pick:
            hook.pick = pick
            hook.answer(ctx)
