"""What steers training beside the loop, as the tfjs engine's hooks do (engine/train/callbacks/):
the learning-rate schedule with reduce-on-plateau, early stopping, checkpoints and snapshot
ensembles, the initial and final weights files, and the list every run gets (standard_hooks)."""
import math
import os
from typing import List, Optional

import torch

from . import schedules, weights
from .augment import augment_hooks
from .loop import Context, Hook
from .maps import PickedMapsHook
from .metrics import correct_count
from .stats import StatsHook

CHECKPOINTS_DIR = 'checkpoints'
SNAPSHOTS_DIR = 'snapshots'


def higher_is_better(monitor: str) -> bool:
    return monitor in ('valAccuracy', 'accuracy')


class MetricWatch:
    """The best value so far of a monitored epoch metric, with Keras' minDelta rule (metricWatch.ts)."""

    def __init__(self, monitor: str, min_delta: float, who: str):
        self.monitor = monitor
        self.min_delta = min_delta
        self.who = who
        self.best = -math.inf if higher_is_better(monitor) else math.inf
        self.best_epoch = 0
        self.warned = False

    def update(self, ctx: Context, point: dict) -> Optional[bool]:
        v = point.get(self.monitor)
        if v is None or not math.isfinite(v):
            if not self.warned:
                extra = ' (no validation split)' if self.monitor.startswith('val') else ''
                ctx.sink.log('warn', f'{self.who} monitors {self.monitor}, which this run does not have{extra}; it does nothing.')
            self.warned = True
            return None
        better = v > self.best + self.min_delta if higher_is_better(self.monitor) else v < self.best - self.min_delta
        if better:
            self.best, self.best_epoch = v, point['epoch']
        return better


class ScheduleHook(Hook):
    """Sets each step's learning rate from train.schedule, times reduce-on-plateau's factor (scheduleHook.ts)."""

    def __init__(self, spec: dict):
        self.spec = spec
        plateau = (spec['train'].get('schedule') or {}).get('reduceOnPlateau')
        self.plateau = plateau
        self.watch = MetricWatch(plateau['monitor'], plateau['minDelta'], 'reduceOnPlateau') if plateau else None
        self.multiplier, self.cooldown, self.wait, self.planned = 1.0, 0, 0, 0.0

    def _apply(self, planned: float) -> float:
        if self.multiplier < 1:
            return max(planned * self.multiplier, self.plateau['minLearningRate'])
        return planned

    def before_batch(self, ctx: Context) -> None:
        self.planned = schedules.learning_rate(ctx.spec, ctx.step, ctx.epoch, ctx.info['batchesPerEpoch'])
        ctx.learning_rate = self._apply(self.planned)

    def after_epoch(self, ctx: Context, point: dict) -> None:
        if not self.watch:
            return
        improved = self.watch.update(ctx, point)
        if improved is None:
            return
        if self.cooldown > 0:
            self.cooldown -= 1
            self.wait = 0
        if improved:
            self.wait = 0
        elif self.cooldown == 0:
            self.wait += 1
            if self.wait >= self.plateau['patience']:
                p = self.plateau
                self.multiplier *= p['factor']
                self.cooldown, self.wait = p['cooldown'], 0
                ctx.sink.log('info', f"reduceOnPlateau: {p['monitor']} has not improved for {p['patience']} epochs; "
                                     f"learning rate × {_js_number(p['factor'])} (now {self._apply(self.planned):.3g}).")


class EarlyStopping(Hook):
    """Keras' EarlyStopping, restoring the best epoch's weights if asked (earlyStopping.ts)."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.watch = MetricWatch(spec['monitor'], spec['minDelta'], 'earlyStopping')
        self.wait = 0
        self.best: Optional[dict] = None

    def after_epoch(self, ctx: Context, point: dict) -> None:
        improved = self.watch.update(ctx, point)
        if improved is None:
            return
        if improved:
            self.wait = 0
            if self.spec.get('restoreBestWeights'):
                self.best = {k: v.detach().clone() for k, v in ctx.net.state_dict().items()}
            return
        self.wait += 1
        if self.wait < self.spec['patience']:
            return
        w = self.wait
        ctx.stop_reason = (f"earlyStopping: {self.spec['monitor']} has not improved for {w} epoch{'' if w == 1 else 's'} "
                           f'(best {self.watch.best:.4g} at epoch {self.watch.best_epoch}).')
        if self.best is not None:
            ctx.net.load_state_dict(self.best)
            ctx.stop_reason += f' Restored the weights of epoch {self.watch.best_epoch}.'

    def end(self, ctx: Context) -> None:
        self.best = None


class Checkpoint(Hook):
    """<run>/checkpoints/best and/or last as weights.json + weights.bin (Keras layout, docs/engines.md)."""

    def __init__(self, spec: dict, run_dir: str):
        self.spec = spec
        self.run_dir = run_dir
        self.watch = MetricWatch(spec['monitor'], 0, 'checkpoint')
        self.failed = False

    def _save(self, ctx: Context, name: str) -> None:
        folder = os.path.join(self.run_dir, CHECKPOINTS_DIR, name)
        try:
            os.makedirs(folder, exist_ok=True)
            weights.save(ctx.net, os.path.join(folder, 'weights.json'))
        except OSError as e:
            if not self.failed:
                ctx.sink.log('warn', f'checkpoint: could not save the {name} model in {self.run_dir}: {e.strerror}. Training goes on.')
            self.failed = True

    def after_epoch(self, ctx: Context, point: dict) -> None:
        save = self.spec.get('save', 'best')
        if save != 'last' and self.watch.update(ctx, point):
            self._save(ctx, 'best')
        if save != 'best':
            self._save(ctx, 'last')


def cycle_ends(schedule: dict, steps_per_epoch: int, total_steps: int) -> List[int]:
    """The steps after which a cyclic or warm-restart schedule's cycles end (schedules.ts cycleEnds)."""
    warmup = schedule.get('warmup')
    w = schedules.to_steps(warmup['length'], steps_per_epoch) if warmup else 0
    s = schedule.get('main') or {}
    ends = []
    if s.get('kind') == 'cyclic':
        cycle = 2 * schedules.to_steps(s['stepSize'], steps_per_epoch)
        t = cycle
        while w + t <= total_steps:
            ends.append(w + t)
            t += cycle
    elif s.get('kind') == 'cosineDecayRestarts':
        length = schedules.to_steps(s['first'], steps_per_epoch)
        t = length
        while w + t <= total_steps:
            ends.append(w + t)
            length = max(1, math.floor(length * s['tMul'] + 0.5))
            t += length
    return ends


class SnapshotEnsemble(Hook):
    """At each cycle's end keeps the model's validation predictions; each epoch reports the accuracy
    of the mean of the last `keep` (snapshotEnsemble.ts)."""

    def __init__(self, spec: dict, run_dir: Optional[str]):
        self.keep = spec['keep']
        self.run_dir = run_dir
        self.ends = set()
        self.snapshots: List[torch.Tensor] = []
        self.taken = 0
        self.warned = False

    def begin(self, ctx: Context) -> None:
        self.ends = set(cycle_ends(ctx.spec['train']['schedule'], ctx.info['batchesPerEpoch'], ctx.info['batchesPerEpoch'] * ctx.info['epochs']))

    def after_batch(self, ctx: Context, point: dict) -> None:
        if ctx.step not in self.ends:
            return
        if ctx.val is None:
            if not self.warned:
                ctx.sink.log('warn', 'snapshotEnsemble needs a validation split (data.validationSplit) to report on; it does nothing.')
            self.warned = True
            return
        ctx.net.eval()
        with torch.no_grad():
            self.snapshots.append(torch.cat([ctx.net(ctx.val.x[s:s + 1024].to(ctx.device)) for s in range(0, ctx.val.n, 1024)]))
        self.taken += 1
        if self.run_dir:
            folder = os.path.join(self.run_dir, SNAPSHOTS_DIR, f'cycle-{self.taken}')
            try:
                os.makedirs(folder, exist_ok=True)
                weights.save(ctx.net, os.path.join(folder, 'weights.json'))
            except OSError:
                pass
        ctx.sink.log('info', f'snapshotEnsemble: snapshot {self.taken} at the end of cycle {self.taken} (step {ctx.step}).')
        del self.snapshots[:-self.keep]

    def after_epoch(self, ctx: Context, point: dict) -> None:
        if ctx.val is None or not self.snapshots:
            return
        mean = torch.stack(self.snapshots).mean(0)
        point['ensembleValAccuracy'] = correct_count(ctx.val.y.to(mean.device), mean) / ctx.val.n
        point['ensembleSize'] = len(self.snapshots)

    def end(self, ctx: Context) -> None:
        self.snapshots.clear()


class WeightsFiles(Hook):
    """The start message's initialWeightsFile is loaded before the first step; the trained weights are
    written at the end to saveWeightsFile, else to <runDir>/weights.json (as the tfjs engine saves its
    trained model in the run's folder: for export and for a finished run's feature maps)."""

    def __init__(self, start: dict, main: bool):
        self.initial = start.get('initialWeightsFile')
        final = start.get('saveWeightsFile') or (os.path.join(start['runDir'], 'weights.json') if start.get('runDir') else None)
        self.final = final if main else None
        self.ok = False

    def begin(self, ctx: Context) -> None:
        if self.initial:
            weights.load(ctx.net, self.initial)
        self.ok = True

    def end(self, ctx: Context) -> None:
        if self.final and self.ok:
            os.makedirs(os.path.dirname(os.path.abspath(self.final)), exist_ok=True)
            weights.save(ctx.net, self.final)


def _js_number(v: float) -> str:
    return str(int(v)) if v == int(v) else repr(v)


def standard_hooks(spec: dict, start: dict, trainer) -> List[Hook]:
    """The hooks every run gets from its model file, in the tfjs engine's order (standardHooks.ts):
    the schedule, then what watches (statistics, picked maps), then the callbacks, then the final weights."""
    train = spec['train']
    cb = train.get('callbacks') or {}
    # With several processes every rank runs the same hooks (so they decide alike); only the lead writes files.
    main = trainer.dist is None or trainer.dist.is_lead
    run_dir = start.get('runDir') if main else None
    hooks: List[Hook] = [WeightsFiles(start, main)]
    if train.get('schedule'):
        hooks.append(ScheduleHook(spec))
    hooks += augment_hooks(spec)
    hooks += [StatsHook(spec, trainer), PickedMapsHook(trainer)]
    if cb.get('earlyStopping'):
        hooks.append(EarlyStopping(cb['earlyStopping']))
    if cb.get('checkpoint') and run_dir:
        hooks.append(Checkpoint(cb['checkpoint'], run_dir))
    if cb.get('snapshotEnsemble') and train.get('schedule'):
        hooks.append(SnapshotEnsemble(cb['snapshotEnsemble'], run_dir))
    return hooks
