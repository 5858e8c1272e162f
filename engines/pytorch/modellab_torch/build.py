"""A model spec (the host's validated ModelSpec as JSON) -> a torch Net with the tfjs model's
meaning: it takes a float32 batch in the file's channels-last layout and returns what the tfjs model
returns (after the last layer's activation), and names its weights as Keras does."""
import torch
import torch.nn as nn

from .base import activation
from .layers import make_layer
from .layout import to_channels_last, to_internal
from .rng import derive_seed

INPUT_ID = 'input'
_SEED_MOD = 2 ** 31


def layer_seed(seed, index):
    """A seed per layer from the run's seed: distinct layers draw independent initial weights."""
    h = (int(seed) * 0x9E3779B1 + (index + 1) * 0x85EBCA6B) % _SEED_MOD
    return h ^ (h >> 15)


def _model_section(spec):
    return spec['model'] if 'model' in spec and isinstance(spec['model'], dict) else spec


class Net(nn.Module):
    def __init__(self, spec, seed):
        super().__init__()
        m = _model_section(spec)
        self.input_shape = [int(d) for d in m['input']]
        self.layer_specs = m['layers']
        self.ids = [layer['id'] for layer in self.layer_specs]
        self.layer_kinds = {layer['id']: layer['kind'] for layer in self.layer_specs}
        self.sources = {}
        self.blocks = nn.ModuleList()
        self.output_shapes = {}
        shapes = {INPUT_ID: self.input_shape}
        probe = {INPUT_ID: to_internal(torch.zeros([2, *self.input_shape]))}
        # The last layer's softmax, if it ends in one, is the net's own step: training can then take the
        # logits before it (losses.LogitsCrossentropy) and skip computing probabilities it does not need.
        last = self.layer_specs[-1] if self.layer_specs else {}
        last_cfg = last.get('config') or {}
        self.softmax_tail = None
        if last.get('kind') == 'softmax' or (last.get('kind') == 'activation' and last_cfg.get('activation') == 'softmax'):
            self.softmax_tail = 'layer'  # a softmax layer of its own: skipped for the logits
        elif last_cfg.get('activation') == 'softmax':
            self.softmax_tail = 'activation'  # built linear; the net applies the softmax
        for i, layer in enumerate(self.layer_specs):
            sources = layer.get('inputs') or [INPUT_ID]
            for s in sources:
                if s not in shapes:
                    raise ValueError(f"Layer '{layer['id']}' takes '{s}', which does not exist.")
            self.sources[layer['id']] = sources
            cfg = layer.get('config') or {}
            tail = self.softmax_tail == 'activation' and i == len(self.layer_specs) - 1
            try:
                module = make_layer(layer['kind'], {**cfg, 'activation': 'linear'} if tail else cfg, [shapes[s] for s in sources], layer_seed(seed, i),
                                    derive_seed(seed, 1000 + i))
                # One pass of two zero examples in inference mode gives each layer's output shape.
                module.eval()
                with torch.no_grad():
                    out = module(*[probe[s] for s in sources])
                module.train()
            except (ValueError, RuntimeError, KeyError, TypeError) as e:
                shown = ', '.join(str(shapes[s]) for s in sources)
                raise ValueError(f"Layer '{layer['id']}' ({layer['kind']}) cannot take {shown}: {e}") from e
            self.blocks.append(module)
            probe[layer['id']] = out
            shapes[layer['id']] = list(to_channels_last(out).shape[1:])
            self.output_shapes[layer['id']] = shapes[layer['id']]

    def _run(self, x, keep, logits=False):
        x = x.to(torch.float32)
        if list(x.shape[1:]) != self.input_shape:
            raise ValueError(f'The model takes examples of shape {self.input_shape}; it got {list(x.shape[1:])}.')
        outs = {INPUT_ID: to_internal(x)}
        last_id = self.ids[-1]
        for layer_id, module in zip(self.ids, self.blocks):
            if logits and layer_id == last_id and self.softmax_tail == 'layer':
                outs[layer_id] = outs[self.sources[layer_id][0]]
            else:
                outs[layer_id] = module(*[outs[s] for s in self.sources[layer_id]])
        if self.softmax_tail == 'activation' and not logits:
            outs[last_id] = activation('softmax', outs[last_id])
        last = to_channels_last(outs[last_id])
        if not keep:
            return last, None
        return last, {i: to_channels_last(outs[i]) for i in self.ids}

    def forward(self, x, logits=False):
        """The model's output; with logits=True, what its final softmax takes (only for a net with softmax_tail)."""
        if logits and not self.softmax_tail:
            raise ValueError('This model does not end in a softmax: it has no logits.')
        return self._run(x, False, logits)[0]

    def forward_with_outputs(self, x):
        """(output, {layer id: that layer's output, channels-last}) for statistics and feature maps."""
        return self._run(x, True)

    def keras_weights(self):
        """(layer_id, keras_name, tensor, to_keras, from_keras) for every weight and moving statistic."""
        return [(layer_id, name, t, to_k, from_k)
                for layer_id, module in zip(self.ids, self.blocks)
                for name, t, to_k, from_k in module.keras_entries()]

    def layer(self, layer_id):
        return self.blocks[self.ids.index(layer_id)]


def build_model(spec, seed):
    """The Net of a ModelSpec (or of its `model` section); `seed` is train.seed."""
    return Net(spec, seed)
