"""The learning-rate range test on PyTorch, step for step the tfjs engine's (engine/train/lrFinder.ts):
from the model file's initial weights, without its schedule or callbacks, the rate grows
exponentially from min to max, one value per step (`sweep_rate`, tfjs's `sweepRate`), and the sweep
stops at `steps`, at a non-finite smoothed loss, or once the smoothed loss is 4 times its minimum
(after step 5). The points go to the host as any run's batches; the panel suggests a rate from them."""
import math

# The loss's exponential moving average, debiased as fastai does, and the blow-up factor: tfjs's BETA, DIVERGED.
BETA = 0.98
DIVERGED = 4


def sweep_rate(req: dict, step: int) -> float:
    lo, hi = float(req['minLearningRate']), float(req['maxLearningRate'])
    return lo * (hi / lo) ** (step / max(1, int(req['steps']) - 1))


def sweep_spec(spec: dict) -> dict:
    """The spec to sweep: no schedule or callbacks, epochs enough for any number of steps."""
    train = {k: v for k, v in spec['train'].items() if k not in ('schedule', 'callbacks')}
    train['epochs'] = 1_000_000
    return {**spec, 'train': train}


class LrSweep:
    """The hook that sets each step's rate and ends the run after the step where the sweep is over."""

    def __init__(self, req: dict):
        self.req = req
        self.avg = 0.0
        self.best = math.inf
        self.done = False

    def begin(self, ctx) -> None: ...
    def after_epoch(self, ctx, point) -> None: ...
    def end(self, ctx) -> None: ...

    def before_batch(self, ctx) -> None:
        ctx.learning_rate = sweep_rate(self.req, ctx.step)

    def after_batch(self, ctx, point: dict) -> None:
        self.avg = BETA * self.avg + (1 - BETA) * point['loss']
        smooth = self.avg / (1 - BETA ** ctx.step)
        self.best = min(self.best, smooth)
        if ctx.step >= int(self.req['steps']) or not math.isfinite(smooth) or (ctx.step > 5 and smooth > DIVERGED * self.best):
            self.done = True
            ctx.stop_after_batch = True
