"""The training loop with the tfjs engine's meaning (engine/train/loop.ts): batches in the order of
makeRng(deriveSeed(seed, 7)) shuffled again each epoch, one optimizer step per batch, Keras-style
running means, a validation pass per epoch, a stop between batches, and the same summary. What
watches or steers training (statistics, schedules, callbacks, picked maps) comes in as hooks with
the tfjs hooks' points: begin, before_batch, after_batch, after_epoch, end.
"""
import math
import time
from datetime import datetime, timezone
from typing import Callable, List, Optional

import torch

from . import build, losses, optimizers, regularizers
from .data import RunData, Split
from .metrics import EpochSums, ValidationNoise, correct_count
from .rng import derive_seed, make_rng, shuffle_in_place

# Validation examples per forward pass: bounds the memory one pass takes (trainStep.ts VAL_CHUNK).
VAL_CHUNK = 1024


def iso_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


class Context:
    """What a hook sees of the run; step, epoch, learning_rate and stop_reason are the loop's state."""

    def __init__(self, spec: dict, net, optimizer, info: dict, sink, data: RunData, device: torch.device, dist):
        self.spec = spec
        self.net = net
        self.optimizer = optimizer
        self.info = info
        self.sink = sink
        self.train = data.train
        self.val: Optional[Split] = data.val
        self.data = data
        self.device = device
        self.dist = dist  # distributed.Ranks or None
        self.step = 0
        self.epoch = 0
        self.learning_rate = float(spec['train']['learningRate'])
        self.stop_reason: Optional[str] = None
        # A hook that ends the run after this batch (the learning-rate sweep); every rank's hooks decide alike.
        self.stop_after_batch = False
        self.non_finite: Optional[dict] = None
        # Set by a hook before a batch: called with the net after the backward pass, before the step.
        self.tap_gradients: Optional[Callable] = None
        # Set by a hook before an epoch's last batch: sees each validation chunk (targets, predictions).
        self.tap_validation: Optional[Callable] = None
        # Augments a training batch in place (augment.py), if the file asks for it.
        self.augment: Optional[Callable] = None


class Hook:
    def begin(self, ctx: Context) -> None: ...
    def before_batch(self, ctx: Context) -> None: ...
    def after_batch(self, ctx: Context, point: dict) -> None: ...
    def after_epoch(self, ctx: Context, point: dict) -> None: ...
    def end(self, ctx: Context) -> None: ...


class Trainer:
    def __init__(self, spec: dict, data: RunData, device: torch.device, sink, stop: Callable[[], bool],
                 hooks: List[Hook], info_extra: dict, dist=None, net=None):
        self.spec = spec
        self.sink = sink
        self.stop = stop
        self.hooks = hooks
        self.dist = dist
        # The pick the Filters panel sent last, if one came since the previous call (maps.py).
        self.take_pick: Callable[[], Optional[dict]] = lambda: None
        train = spec['train']
        self.t0 = time.time()
        self.net = (net if net is not None else build.build_model(spec, int(train['seed']))).to(device)
        self.model = dist.wrap(self.net) if dist else self.net  # DistributedDataParallel over the same module
        self.loss, self.per_example = losses.make_loss(spec)
        # What a training step minimises: the same loss, from the logits where the file's meaning allows it.
        self.objective = losses.training_objective(spec, self.net, data.train)
        self.optimizer = optimizers.make_optimizer(spec, [p for p in self.net.parameters() if p.requires_grad])
        # The weight penalties' terms, found once: without any, the step adds no zero to its loss.
        self.penalty_terms = regularizers.terms(self.net, spec)
        self.want_acc = 'accuracy' in train.get('metrics', [])
        self.batch_size = int(train['batchSize'])
        self.batches_per_epoch = math.ceil(data.train.n / self.batch_size)
        self.device = device
        self.applied_lr = float(train['learningRate'])
        self.noise = ValidationNoise()
        info = {
            'id': info_extra.pop('runId'), 'name': spec.get('name', ''), 'startedAt': iso_now(),
            'epochs': int(train['epochs']), 'batchSize': self.batch_size, 'batchesPerEpoch': self.batches_per_epoch,
            'trainSamples': data.train.n, 'valSamples': data.val.n if data.val else 0,
            'metrics': ['loss', *train.get('metrics', [])], 'dataset': spec.get('data', {}).get('dataset', ''),
            'seed': train['seed'], 'engine': 'pytorch',
            # Every Keras weight, batch normalization's moving statistics too, as tfjs's countParams counts.
            'totalParams': sum(int(t.numel()) for _, _, t, _, _ in self.net.keras_weights()),
            **info_extra,
        }
        self.ctx = Context(spec, self.net, self.optimizer, info, sink, data, device, dist)

    def run(self) -> dict:
        """Trains and returns the RunSummary."""
        ctx = self.ctx
        self.sink.started(ctx.info)
        spec = self.spec
        epochs = int(spec['train']['epochs'])
        shuffle_rng = make_rng(derive_seed(spec['train']['seed'], 7))
        order = list(range(ctx.train.n))
        epochs_done, last, failure, stopped = 0, None, None, False
        try:
            for h in self.hooks:
                h.begin(ctx)
            for epoch in range(1, epochs + 1):
                if stopped or failure or ctx.stop_reason:
                    break
                ctx.epoch = epoch
                shuffle_in_place(order, shuffle_rng)
                epoch_start = time.time()
                sums, failure, stopped = self.run_batches(epoch, order)
                if failure or sums.seen < ctx.train.n:
                    break  # stopped mid-epoch: no point for a partial epoch
                last = self.end_epoch(epoch, sums, time.time() - epoch_start)
                epochs_done = epoch
                # A stop that came during the validation pass ends the run here.
                stopped = stopped or self.stop_now()
        finally:
            for h in self.hooks:
                h.end(ctx)
        status = 'failed' if failure else 'stopped' if stopped and epochs_done < epochs else 'completed'
        summary = {'status': status, 'endedAt': iso_now(), 'durationMs': (time.time() - self.t0) * 1000, 'epochsDone': epochs_done}
        if last:
            summary['final'] = last
        if failure:
            summary['error'] = failure
        if ctx.non_finite:
            # For the host's non-finite-loss diagnostic (diagnose.ts); JSON has no NaN, so the loss is text.
            summary['nonFiniteLoss'] = {**ctx.non_finite, 'loss': _js_number(ctx.non_finite['loss'])}
        return summary

    def stop_now(self) -> bool:
        """Whether to stop; with several processes, whether any rank was asked (only the lead hears the host)."""
        return self.dist.agree_stop(self.stop()) if self.dist else self.stop()

    def run_batches(self, epoch: int, order: List[int]):
        ctx = self.ctx
        sums = EpochSums()
        order_t = torch.tensor(order, dtype=torch.long)
        n = ctx.train.n
        for b in range(self.batches_per_epoch):
            idx = order_t[b * self.batch_size:min((b + 1) * self.batch_size, n)]
            for h in self.hooks:
                h.before_batch(ctx)
            if ctx.learning_rate != self.applied_lr:
                self.applied_lr = ctx.learning_rate
                for group in self.optimizer.param_groups:
                    group['lr'] = ctx.learning_rate
            loss, acc, stop = self.train_step(idx)
            ctx.tap_gradients = None
            ctx.step += 1
            if not math.isfinite(loss):
                ctx.non_finite = {'epoch': epoch, 'batch': b + 1, 'loss': loss}
                return sums, (f'The loss became {_js_number(loss)} at epoch {epoch}, batch {b + 1}: the learning rate '
                              f'({_js_number(ctx.learning_rate)}) is probably too high for this model.'), False
            sums.add(loss, acc, len(idx))
            point = {'step': ctx.step, 'epoch': epoch, 'x': epoch - 1 + (b + 1) / self.batches_per_epoch, 'loss': loss,
                     'learningRate': ctx.learning_rate}
            if self.want_acc:
                point['accuracy'] = acc
            for h in self.hooks:
                h.after_batch(ctx, point)
            self.sink.batch(point)
            if stop or ctx.stop_after_batch:
                return sums, None, True
        return sums, None, False

    def train_step(self, idx: torch.Tensor):
        """One optimizer step on the examples idx: (loss with the weight penalties, accuracy, stop)."""
        ctx = self.ctx
        if self.dist:
            return self.dist.train_step(self, idx)
        x, y = self.batch(idx)
        if not self.model.training:  # hooks that look inside (statistics, maps) leave the net in eval mode
            self.model.train()
        out = self.objective.outputs(self.model, x)
        cost = self.objective.value(y, out)
        if self.penalty_terms:  # reported with the penalties, as Keras does
            cost = cost + regularizers.penalty(self.net, self.spec, self.penalty_terms)
        self.optimizer.zero_grad(set_to_none=True)
        cost.backward()
        if ctx.tap_gradients:
            ctx.tap_gradients(self.net)
        optimizers.clip(self.spec, self.net.parameters())
        self.optimizer.step()
        acc = self.objective.correct(y, out) / len(idx) if self.want_acc else None
        return float(cost.detach()), acc, self.stop_now()

    def batch(self, idx: torch.Tensor):
        """The batch's inputs (augmented if the file asks) and its targets as the objective takes them, on the device."""
        # Each batch's rows gathered when it comes, into a buffer small enough to stay in cache for
        # the forward pass. Gathering the whole epoch at once copied the set a second time every
        # epoch (fresh pages: 32 MB took 22 ms, a quarter of an epoch of the bench MLP at batch 256).
        x, y = self.ctx.train.x.index_select(0, idx), self.objective.targets(self.ctx.train, idx)
        if self.ctx.augment:
            x = self.ctx.augment(x, self.ctx.step)
        return x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)

    def end_epoch(self, epoch: int, sums: EpochSums, train_s: float) -> dict:
        ctx = self.ctx
        point = {'epoch': epoch, 'loss': sums.loss, 'learningRate': ctx.learning_rate,
                 'samplesPerSec': sums.seen / max(1e-3, train_s), 'elapsedMs': (time.time() - self.t0) * 1000}
        if self.want_acc:
            point['accuracy'] = sums.accuracy
        if ctx.val is not None:
            v = self.evaluate(ctx.val, ctx.tap_validation)
            point['valLoss'] = v['loss']
            se = self.noise.change_se(v['loss'], v['exampleLosses'])
            if se is not None:
                point['valLossChangeSE'] = se
            if self.want_acc:
                point['valAccuracy'] = v['accuracy']
        ctx.tap_validation = None
        for h in self.hooks:
            h.after_epoch(ctx, point)
        self.sink.epoch(point)
        if ctx.stop_reason:
            self.sink.log('info', ctx.stop_reason)
        return point

    def evaluate(self, split: Split, tap=None) -> dict:
        """The validation pass in inference mode, in chunks; its loss includes the weight penalties."""
        self.net.eval()
        loss_sum, correct, per = 0.0, 0, []
        with torch.no_grad():
            for start in range(0, split.n, VAL_CHUNK):
                x = split.x[start:start + VAL_CHUNK].to(self.device)
                y = split.y[start:start + VAL_CHUNK].to(self.device)
                p = self.net(x)
                if tap:
                    tap(y, p)
                loss_sum += float(self.loss(y, p)) * len(x)
                if self.want_acc:
                    correct += correct_count(y, p)
                per.extend(self.per_example(y, p).reshape(-1).tolist())
            penalty = float(regularizers.penalty(self.net, self.spec))
        return {'loss': loss_sum / split.n + penalty, 'accuracy': correct / split.n, 'exampleLosses': per}


def _js_number(v: float) -> str:
    """A number as JavaScript's String() writes it, so that messages read the same from both engines."""
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return str(int(v)) if v == int(v) and abs(v) < 1e21 else repr(v)
