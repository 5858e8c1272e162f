"""The statistics of the inside of the network, the same records as the tfjs engine's
(protocol/stats.ts; engine/stats/collect.ts, insideHook.ts, predictions.ts, common/stats/budget.ts)
on the same schedule (train.statistics: at init, then every epoch or every N steps) with the same
probe batch (the first `probe` training examples) and the same budgets, so every inside panel draws
a PyTorch run as it draws a tfjs one. Training diagnostics are drawn from these records by the host.
"""
import json
import math
from typing import Dict, Optional

import torch

from . import losses, regularizers
from .loop import Context, Hook
from .elementwise import dropout_layers
from .summaries import dead_fraction, init_target, l2_norm, quantize_maps, round4, round4_all, saturated_fraction, summarize

RELU_FAMILY = {'relu', 'relu6'}
# Probe examples whose conv feature maps are sent, and the value budgets of maps and filters (collect.ts).
MAP_EXAMPLES = 6
MAP_BUDGET = 6000
FILTER_BUDGET = 4096
GRID, CURVE, POINTS, CHUNK = 40, 100, 200, 1024
MAX_MESSAGE_CHARS = 60_000


def _size(v) -> int:
    return len(json.dumps(v, separators=(',', ':')))


def split_record(record: dict, max_chars: int = MAX_MESSAGE_CHARS):
    """One collection in parts under the message budget, each with disjoint layers (budget.ts splitRecord)."""
    head = {k: v for k, v in record.items() if k != 'layers'}
    if _size(head) > max_chars / 2:
        head.pop('probeInputs', None)
    base = {'step': record['step'], 'epoch': record['epoch'], 'when': record['when']}
    empty = _size({**base, 'layers': []})
    parts, current = [], {**head, 'layers': []}
    used = _size(current)
    for raw in record['layers']:
        layer, chars = raw, _size(raw)
        for drop in ('maps', 'filters'):  # a layer too big alone loses its maps, then its filters
            if chars > max_chars - empty - 16:
                layer = {k: v for k, v in layer.items() if k != drop}
                chars = _size(layer)
        if current['layers'] and used + chars + 1 > max_chars:
            parts.append(current)
            current, used = {**base, 'layers': []}, empty
        current['layers'].append(layer)
        used += chars + 1
    parts.append(current)
    return parts


def wants_confusion(spec: dict) -> bool:
    return spec['train']['loss'] != 'meanSquaredError'


class ConfusionCounter:
    def __init__(self, units: int):
        self.units = units
        k = 2 if units == 1 else units
        self.matrix = torch.zeros(k, k, dtype=torch.long)
        self.rows = 0

    def add(self, y: torch.Tensor, p: torch.Tensor) -> None:
        if self.units == 1:
            t, q = (y.reshape(-1) > 0.5).long(), (p.reshape(-1) > 0.5).long()
        else:
            t, q = y.argmax(-1), p.argmax(-1)
        k = self.matrix.shape[0]
        self.matrix += torch.bincount((t * k + q).cpu(), minlength=k * k).reshape(k, k)
        self.rows += len(t)


def _pad_range(v):
    lo, hi = min(v), max(v)
    if hi - lo < 1e-6:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.1
    return lo - pad, hi + pad


class StatsCollector:
    def __init__(self, ctx: Context, probe_n: int):
        self.ctx = ctx
        self.spec = ctx.spec
        self.net = ctx.net
        self.probe_x = ctx.train.x[:probe_n].to(ctx.device)
        self.probe_y = ctx.train.y[:probe_n].to(ctx.device)
        self.loss = losses.make_loss(self.spec)[0]
        self.kernels = {}
        self.biases = {}
        for layer_id, name, t, to_keras, _ in self.net.keras_weights():
            if 'kernel' in name.lower() and layer_id not in self.kernels:
                self.kernels[layer_id] = (t, to_keras)
            elif 'bias' in name.lower() and layer_id not in self.biases:
                self.biases[layer_id] = (t, to_keras)
        self.previous: Dict[str, tuple] = {}
        self.probe_inputs_sent = False

    def grad_norms(self) -> Dict[str, float]:
        """L2 norm of each kernel's gradient, as the last backward pass left it."""
        return {lid: l2_norm(t.grad) if t.grad is not None else 0.0 for lid, (t, _) in self.kernels.items()}

    def probe_grad_norms(self) -> Dict[str, float]:
        """Gradients of the loss (without penalties) on the probe batch, leaving weights, moving statistics,
        grads and the dropout masks' sequence as they were (as the tfjs engine's withoutSideEffects)."""
        saved_buffers = [b.detach().clone() for b in self.net.buffers()]
        saved_draws = [(d, d.draws) for d in dropout_layers(self.net)]
        saved_grads = [p.grad for p in self.net.parameters()]
        for p in self.net.parameters():
            p.grad = None
        self.net.train()
        self.loss(self.probe_y, self.net(self.probe_x)).backward()
        norms = self.grad_norms()
        for p, g in zip(self.net.parameters(), saved_grads):
            p.grad = g
        with torch.no_grad():
            for b, s in zip(self.net.buffers(), saved_buffers):
                b.copy_(s)
        for d, draws in saved_draws:
            d.draws = draws
        return norms

    def collect(self, step: int, epoch: int, when: str, grads: Optional[Dict[str, float]], confusion=None) -> dict:
        grads = grads if grads is not None else self.probe_grad_norms()
        self.net.eval()
        with torch.no_grad():
            probe_out, acts = self.net.forward_with_outputs(self.probe_x)
        layers = [self.layer_stats(ls, acts.get(ls['id']), step, grads) for ls in self.spec['model']['layers']]
        record = {'step': step, 'epoch': epoch, 'when': when, 'layers': layers}
        # The probe's predictions are the pass just made (the same net, mode and input) when they fit one chunk.
        predictions = self.predictions(confusion, probe_out.cpu() if len(self.probe_x) <= CHUNK else None)
        if predictions:
            record['predictions'] = predictions
        if len(self.spec['model']['input']) == 3 and not self.probe_inputs_sent:
            self.probe_inputs_sent = True
            per = self.probe_x[0].numel()
            count = min(len(self.probe_x), MAP_EXAMPLES, MAP_BUDGET // per)
            if count >= 1:
                record['probeInputs'] = {'shape': list(self.probe_x.shape[1:]),
                                         'examples': [round4_all(self.probe_x[e].reshape(-1)) for e in range(count)]}
        return record

    def layer_stats(self, ls: dict, act, step: int, grads: Dict[str, float]) -> dict:
        config = ls.get('config') or {}
        activation = config.get('activation') if isinstance(config.get('activation'), str) else None
        out = {'id': ls['id'], 'kind': ls['kind'], 'index': ls['index']}
        if activation:
            out['activation'] = activation
        if ls['id'] in self.biases:
            t, to_keras = self.biases[ls['id']]
            out['bias'] = summarize(to_keras(t.detach()))
        if ls['id'] in self.kernels:
            self.kernel_stats(ls, out, step, grads, activation)
        if act is not None:
            out['act'] = summarize(act)
            if activation in RELU_FAMILY:
                out['dead'] = round4(dead_fraction(act))
            if activation in ('sigmoid', 'tanh'):
                out['saturated'] = round4(saturated_fraction(act, activation))
            if ls['kind'] == 'conv2d' and act.dim() == 4:
                n, h, w, c = act.shape
                count = min(n, MAP_EXAMPLES, MAP_BUDGET // (h * w * c))
                if count >= 1:
                    out['maps'] = {'shape': [h, w, c], 'quantized': quantize_maps(act, [h, w, c], count)}
        return out

    def kernel_stats(self, ls: dict, out: dict, step: int, grads: Dict[str, float], activation) -> None:
        t, to_keras = self.kernels[ls['id']]
        kernel = to_keras(t.detach()).to('cpu', torch.float32)
        shape = list(kernel.shape)
        target = init_target(shape, activation, (ls.get('config') or {}).get('kernelInitializer'))
        out['fanIn'], out['fanOut'], out['target'] = target['fanIn'], target['fanOut'], target['target']
        out['kernel'] = summarize(kernel)
        flat = kernel.reshape(-1).to(torch.float64, copy=True)  # kept as the next collection's previous values
        w_norm = math.sqrt(float(torch.dot(flat, flat)))  # l2_norm's arithmetic on the copy in hand
        out['weightNorm'] = round4(w_norm)
        g = grads.get(ls['id'])
        if g is not None:
            out['gradNorm'] = round4(g)
            out['gradRms'] = round4(g / max(1, flat.numel()) ** 0.5)
        prev = self.previous.get(ls['id'])  # (values, step, norm) of the last collection
        if prev and step > prev[1] and prev[2] > 0:
            diff = flat - prev[0]
            out['updateRatio'] = round4(math.sqrt(float(torch.dot(diff, diff))) / prev[2] / (step - prev[1]))
        self.previous[ls['id']] = (flat, step, w_norm)  # flat is this collection's own copy
        if ls['kind'] == 'conv2d' and len(shape) == 4:
            kh, kw, cin, cout = shape
            keep = max(1, min(cout, FILTER_BUDGET // (kh * kw * cin)))
            values = kernel[..., :keep].contiguous()
            out['filters'] = {'shape': [kh, kw, cin, keep], 'quantized': quantize_maps(values, [kh * kw, 1, cin * keep], 1), 'totalFilters': cout}

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        self.net.eval()
        with torch.no_grad():
            return torch.cat([self.net(x[s:s + CHUNK].to(self.ctx.device)) for s in range(0, len(x), CHUNK)]).cpu()

    def predictions(self, counted, probe_predictions: Optional[torch.Tensor] = None) -> Optional[dict]:
        """Decision boundary (2-D inputs), prediction curve (1-D regression), confusion matrix (predictions.ts).
        probe_predictions: the net's output on the probe batch, if at hand."""
        spec = self.spec
        inp = spec['model']['input']
        flat = inp[0] if len(inp) == 1 else None
        classify = wants_confusion(spec)
        val = self.ctx.val
        x, y = (val.x, val.y) if val is not None and val.n > 0 else (self.probe_x.cpu(), self.probe_y.cpu())
        out = {}
        if flat in (1, 2):
            n = min(POINTS, len(x))
            pts = [round4_all(x[i].reshape(-1)) for i in range(n)]
            labels = [int(y[i].argmax()) if y.shape[-1] > 1 else round4(y[i].reshape(-1)[0]) for i in range(n)]
            out['points'] = {'x': pts, 'label': labels}
            if flat == 2:
                out['grid'] = self.grid(pts)
            elif not classify:
                lo, hi = _pad_range([p[0] for p in pts])
                xs = [lo + i / (CURVE - 1) * (hi - lo) for i in range(CURVE)]
                out['curve'] = {'x': round4_all(xs), 'y': round4_all(self.predict(torch.tensor(xs).reshape(-1, 1)).reshape(-1))}
        if classify:
            if counted is None:
                counter = ConfusionCounter(y.shape[-1])
                on_probe = val is None or val.n == 0
                counter.add(y, probe_predictions if on_probe and probe_predictions is not None else self.predict(x))
                counted = counter.matrix
            out['confusion'] = counted.tolist()
        return out if 'points' in out or 'confusion' in out else None

    def grid(self, pts) -> dict:
        x0, x1 = _pad_range([p[0] for p in pts])
        y0, y1 = _pad_range([p[1] for p in pts])
        cols = torch.tensor([x0 + (c + 0.5) / GRID * (x1 - x0) for c in range(GRID)], dtype=torch.float64)
        rows = torch.tensor([y0 + (r + 0.5) / GRID * (y1 - y0) for r in range(GRID)], dtype=torch.float64)
        cells = torch.stack([cols.repeat(GRID), rows.repeat_interleave(GRID)], 1).to(torch.float32)
        p = self.predict(cells)
        classes = p.shape[1]
        if classes == 1:
            values = round4_all(p.reshape(-1))
        else:
            best, k = p.max(1)
            # The winning class plus its probability as the fraction (class 2 at 0.8 -> 2.8).
            values = [int(ki) + min(0.999, round4(bi)) for ki, bi in zip(k.tolist(), best.tolist())]
        return {'x0': round4(x0), 'x1': round4(x1), 'y0': round4(y0), 'y1': round4(y1), 'n': GRID, 'classes': classes, 'values': values}


class StatsHook(Hook):
    """insideHook.ts: collects at init and on the schedule; reuses the step's gradients and the
    epoch's validation pass (through the loop's taps) instead of computing them twice."""

    def __init__(self, spec: dict, trainer):
        self.spec = spec
        schedule = spec['train'].get('statistics') or {'every': 'epoch', 'probe': 32}
        self.every = schedule.get('every', 'epoch')
        self.probe = int(schedule.get('probe', 32))
        self.collector: Optional[StatsCollector] = None
        self.reuse = False
        self.tapped = None
        self.counted = None

    def due(self, ctx: Context, step_after: int) -> bool:
        if self.every == 'epoch':
            return step_after % ctx.info['batchesPerEpoch'] == 0
        return isinstance(self.every, int) and step_after % self.every == 0

    def begin(self, ctx: Context) -> None:
        if self.every == 'off':
            return
        self.collector = StatsCollector(ctx, min(self.probe, ctx.train.n))
        with torch.no_grad():
            self.reuse = float(regularizers.penalty(ctx.net, ctx.spec)) == 0
        self.measure(ctx, 'init')

    def measure(self, ctx: Context, when: str) -> None:
        grads = self.tapped[1] if self.tapped and self.tapped[0] == ctx.step else None
        confusion = None
        if when == 'epoch' and self.counted and self.counted[0] == ctx.epoch and ctx.val is not None and self.counted[1].rows == ctx.val.n:
            confusion = self.counted[1].matrix
        self.tapped = self.counted = None
        record = self.collector.collect(ctx.step, ctx.epoch, when, grads, confusion)
        for part in split_record(record):
            ctx.sink.stats(part)

    def before_batch(self, ctx: Context) -> None:
        if not self.collector or not self.due(ctx, ctx.step + 1):
            return
        step = ctx.step + 1
        if self.reuse:
            ctx.tap_gradients = lambda net: setattr(self, 'tapped', (step, self.collector.grad_norms()))
        if self.every == 'epoch' and ctx.val is not None and wants_confusion(ctx.spec):
            counter = ConfusionCounter(ctx.val.y.shape[-1])
            ctx.tap_validation = counter.add
            self.counted = (ctx.epoch, counter)

    def after_batch(self, ctx: Context, point: dict) -> None:
        if self.collector and isinstance(self.every, int) and ctx.step % self.every == 0:
            self.measure(ctx, 'step')

    def after_epoch(self, ctx: Context, point: dict) -> None:
        if self.collector and self.every == 'epoch':
            self.measure(ctx, 'epoch')

    def end(self, ctx: Context) -> None:
        self.collector = None
