"""Learning-rate schedules as pure functions of the step, the same numbers as
engine/train/schedules.ts: `step` is the 0-based optimizer step about to run; lengths in epochs
become steps with the run's batches per epoch; the main curve starts after the warmup.
reduceOnPlateau reacts to metrics and is applied on top by the runner."""
import math


def _round(x):
    """JavaScript's Math.round (halves up), not Python's round (halves to even)."""
    return math.floor(x + 0.5)


def to_steps(length, steps_per_epoch):
    value = length['value']
    return max(1, int(value) if length['unit'] == 'steps' else _round(value * steps_per_epoch))


def _cosine_shape(p, alpha):
    return (1 - alpha) * 0.5 * (1 + math.cos(math.pi * p)) + alpha


def _cosine_from_to(start, end, p):
    return end + (start - end) / 2 * (1 + math.cos(math.pi * p))


def main_rate(s, lr, steps_per_epoch, total_steps, t):
    kind = s['kind']
    steps = lambda length: to_steps(length, steps_per_epoch)  # noqa: E731
    if kind == 'stepDecay':
        return lr * s['factor'] ** math.floor(t / steps(s['every']))
    if kind == 'exponentialDecay':
        p = t / steps(s['every'])
        return lr * s['decayRate'] ** (math.floor(p) if s.get('staircase') else p)
    if kind == 'cosineDecay':
        n = steps(s['length']) if s.get('length') else total_steps
        return lr * _cosine_shape(min(t, n) / n, s.get('alpha', 0))
    if kind == 'cosineDecayRestarts':
        n, start, i = steps(s['first']), 0, 0
        while t >= start + n:
            start += n
            n = max(1, _round(n * s['tMul']))
            i += 1
        return lr * s['mMul'] ** i * _cosine_shape((t - start) / n, s.get('alpha', 0))
    if kind == 'cyclic':
        size = steps(s['stepSize'])
        cycle = math.floor(1 + t / (2 * size))
        x = abs(t / size - 2 * cycle + 1)
        mode = s.get('mode', 'triangular')
        scale = 1 / 2 ** (cycle - 1) if mode == 'triangular2' else s['gamma'] ** t if mode == 'exp_range' else 1
        return lr + (s['maxLearningRate'] - lr) * max(0, 1 - x) * scale
    if kind == 'oneCycle':
        n = steps(s['length']) if s.get('length') else total_steps
        up = max(1, _round(s['pctStart'] * n))
        initial = lr / s['divFactor']
        if t < up:
            return _cosine_from_to(initial, lr, t / up)
        return _cosine_from_to(lr, initial / s['finalDivFactor'], min(1, (t - up) / max(1, n - up)))
    raise ValueError(f"Unknown schedule '{kind}'.")


def planned_rate(schedule, lr, steps_per_epoch, total_steps, step):
    """The planned rate of a step for a ScheduleSpec ({main?, warmup?}); None: constant lr."""
    if not schedule:
        return lr
    warmup = schedule.get('warmup')
    w = to_steps(warmup['length'], steps_per_epoch) if warmup else 0
    s = schedule.get('main')

    def main(t):
        return main_rate(s, lr, steps_per_epoch, max(1, total_steps - w), t) if s else lr

    if step < w:
        # Gradual (Goyal et al. 2017): a linear ramp ending at the curve's first value; constant: a fixed fraction.
        return main(0) * (step + 1) / w if warmup['mode'] == 'gradual' else lr * warmup['factor']
    return main(step - w)


def learning_rate(spec, step, epoch, steps_per_epoch):
    """The planned learning rate of optimizer step `step` (0-based) of a run; `epoch` is the step's
    epoch (the curve depends on the step alone). spec: the whole ModelSpec or its train section."""
    train = spec.get('train', spec)
    total = steps_per_epoch * int(train['epochs'])
    return planned_rate(train.get('schedule'), float(train['learningRate']), steps_per_epoch, total, step)
