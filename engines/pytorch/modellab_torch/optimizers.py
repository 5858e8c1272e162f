"""train.optimizer as a torch optimizer with tfjs's update rules and Keras's defaults (the tfjs
engine's engine/train/optimizer.ts, optimizerRules.ts and fusedSteps.ts), so the same weights and
batches give the same steps: Adam's epsilon is added after the bias correction, RMSProp keeps tfjs's
momentum form with epsilon inside the root (centered: Keras's sign, see _update), Adadelta uses the accumulated gradient from before the
step as tfjs does, AdamW decays the weight by lr * weightDecay before Adam's step. The learning rate
lives in param_groups[0]['lr'] so a schedule can change it between steps."""
import struct

import torch

EPSILON = 1e-7  # tfjs's float32 epsilon, the default of every optimizer that takes one
OPTIMIZER_NAMES = ('sgd', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax', 'adamw')


def _num(o, key, fallback):
    v = o.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else fallback


def rule_of(spec):
    """The optimizer rule (kind and hyper-parameters) of a train section or a whole spec."""
    train = spec.get('train', spec)
    opt = train['optimizer']
    name, o = opt['name'], opt.get('options') or {}
    lr = float(train['learningRate'])
    eps = _num(o, 'epsilon', EPSILON)
    if name == 'sgd':
        momentum = _num(o, 'momentum', 0.0)
        nesterov = o.get('nesterov') is True
        if momentum > 0 or nesterov:
            return dict(kind='momentum', lr=lr, momentum=momentum, nesterov=nesterov)
        return dict(kind='sgd', lr=lr)
    if name in ('adam', 'adamw', 'adamax'):
        rule = dict(kind=name, lr=lr, beta1=_num(o, 'beta1', 0.9), beta2=_num(o, 'beta2', 0.999), epsilon=eps)
        if name == 'adamw':
            rule['weightDecay'] = _num(o, 'weightDecay', 0.004)
        if name == 'adamax':
            rule['decay'] = _num(o, 'decay', 0.0)
        return rule
    if name == 'rmsprop':
        return dict(kind='rmsprop', lr=lr, decay=_num(o, 'decay', 0.9), momentum=_num(o, 'momentum', 0.0),
                    epsilon=eps, centered=o.get('centered') is True)
    if name == 'adagrad':
        return dict(kind='adagrad', lr=lr, initialAccumulatorValue=_num(o, 'initialAccumulatorValue', 0.1))
    if name == 'adadelta':
        return dict(kind='adadelta', lr=lr, rho=_num(o, 'rho', 0.95), epsilon=eps)
    raise ValueError(f"Unknown optimizer '{name}'; known: {', '.join(OPTIMIZER_NAMES)}.")


def _slot(state, name, w, fill=0.0):
    """A per-weight accumulator, made on first use (setdefault would allocate one every step)."""
    t = state.get(name)
    if t is None:
        t = state[name] = torch.full_like(w, fill)
    return t


def f32(x):
    """x rounded to float32, as tfjs holds its scalars."""
    return struct.unpack('f', struct.pack('f', x))[0]


class TfjsOptimizer(torch.optim.Optimizer):
    def __init__(self, params, rule):
        super().__init__(params, dict(lr=rule['lr']))
        self.rule = rule
        self.iterations = 0
        # Adam's and Adamax's beta^t as tfjs keeps them: float32 accumulators multiplied by the
        # float32 beta every step. 1 - beta2^t then carries float32's rounding of 0.999 (1 - f32(0.999)
        # is 0.000999987, 1.3e-5 below 0.001), so exact powers made every step 6.4e-6 longer than
        # tfjs's: a steady push that parted the engines' runs within a few dozen steps.
        self.acc_beta = [f32(rule.get('beta1', 0.0)), f32(rule.get('beta2', 0.0))]
        # Adam and AdamW step every weight with one call per operation (torch._foreach_*): the same
        # operations in the same order as _update's, so the same floats, without a Python round per
        # weight and operation (a third of a small MLP's optimizer time). False: _update's loop.
        self.foreach = all(hasattr(torch, f'_foreach_{op}') for op in ('mul_', 'add_', 'addcmul_', 'div', 'sqrt_', 'addcdiv_'))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        r = self.rule
        t = self.iterations + 1
        corrections = (f32(1 - self.acc_beta[0]), f32(1 - self.acc_beta[1]))
        for group in self.param_groups:
            lr = group['lr']
            params = [p for p in group['params'] if p.grad is not None]
            if r['kind'] in ('adam', 'adamw') and self.foreach:
                self._adam_foreach(params, r, lr, corrections)
                continue
            for p in params:
                self._update(p, p.grad, self.state[p], r, lr, t, corrections)
        self.iterations = t
        self.acc_beta = [f32(self.acc_beta[0] * f32(r.get('beta1', 0.0))), f32(self.acc_beta[1] * f32(r.get('beta2', 0.0)))]
        return loss

    def _adam_foreach(self, ws, r, lr, corrections):
        """Adam's (AdamW's) update of _update on the list of weights ws at once."""
        if not ws:
            return
        b1, b2 = r['beta1'], r['beta2']
        gs = [w.grad for w in ws]
        ms = [_slot(self.state[w], 'm', w) for w in ws]
        vs = [_slot(self.state[w], 'v', w) for w in ws]
        torch._foreach_mul_(ms, b1)
        torch._foreach_add_(ms, gs, alpha=1 - b1)
        torch._foreach_mul_(vs, b2)
        torch._foreach_addcmul_(vs, gs, gs, value=1 - b2)
        if r['kind'] == 'adamw':
            torch._foreach_mul_(ws, 1 - lr * r['weightDecay'])
        c1, c2 = corrections
        denoms = torch._foreach_div(vs, c2)
        torch._foreach_sqrt_(denoms)
        torch._foreach_add_(denoms, r['epsilon'])
        torch._foreach_addcdiv_(ws, ms, denoms, value=-lr / c1)

    def _update(self, w, g, s, r, lr, t, corrections):
        """corrections: tfjs's float32 1 - beta1^t and 1 - beta2^t (Adam's bias corrections)."""
        # In-place ops with as few temporaries as possible: the same arithmetic as tfjs's, but a
        # step of Adam on 100k weights costs a third of the naive expression's time.
        kind = r['kind']
        if kind == 'sgd':
            w.add_(g, alpha=-lr)
        elif kind == 'momentum':
            mu = r['momentum']
            acc = _slot(s, 'accumulation', w)
            acc.mul_(mu).add_(g)
            if r['nesterov']:
                w.add_(g, alpha=-lr).add_(acc, alpha=-lr * mu)
            else:
                w.add_(acc, alpha=-lr)
        elif kind in ('adam', 'adamw'):
            b1, b2 = r['beta1'], r['beta2']
            m = _slot(s, 'm', w)
            v = _slot(s, 'v', w)
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).addcmul_(g, g, value=1 - b2)
            if kind == 'adamw':
                w.mul_(1 - lr * r['weightDecay'])
            c1, c2 = corrections
            denom = v.div(c2).sqrt_().add_(r['epsilon'])
            w.addcdiv_(m, denom, value=-lr / c1)
        elif kind == 'adamax':
            b1 = r['beta1']
            m = _slot(s, 'm', w)
            u = _slot(s, 'u', w)
            m.mul_(b1).add_(g, alpha=1 - b1)
            torch.maximum(u.mul_(r['beta2']), g.abs(), out=u)
            rate = -lr / ((t - 1) * r['decay'] + 1) / corrections[0]
            w.addcdiv_(m, u.add(r['epsilon']), value=rate)
        elif kind == 'rmsprop':
            decay = r['decay']
            ms = _slot(s, 'ms', w)
            mom = _slot(s, 'mom', w)
            ms.mul_(decay).addcmul_(g, g, value=1 - decay)
            if r['centered']:
                mg = _slot(s, 'mg', w)
                mg.mul_(decay).add_(g, alpha=1 - decay)
                # Keras's denominator sqrt(ms - mg² + eps). tfjs 4.22 subtracts epsilon instead
                # (sqrt(ms - (mg² + eps))), a NaN whenever a first gradient is below ~1e-3.
                denom = ms.addcmul(mg, mg, value=-1).add_(r['epsilon']).sqrt_()
            else:
                denom = ms.add(r['epsilon']).sqrt_()
            mom.mul_(r['momentum']).addcdiv_(g, denom, value=lr)
            w.sub_(mom)
        elif kind == 'adagrad':
            acc = _slot(s, 'accumulator', w, r['initialAccumulatorValue'])
            acc.addcmul_(g, g)
            w.addcdiv_(g, acc.add(EPSILON).sqrt_(), value=-lr)
        elif kind == 'adadelta':
            rho, eps = r['rho'], r['epsilon']
            ag = _slot(s, 'accumGrad', w)
            au = _slot(s, 'accumUpdate', w)
            update = au.add(eps).sqrt_().div_(ag.add(eps).sqrt_()).mul_(g)
            ag.mul_(rho).addcmul_(g, g, value=1 - rho)
            au.mul_(rho).addcmul_(update, update, value=1 - rho)
            w.add_(update, alpha=-lr)


def make_optimizer(spec, params):
    return TfjsOptimizer([p for p in params if p.requires_grad], rule_of(spec))


def set_learning_rate(optimizer, lr):
    for group in optimizer.param_groups:
        group['lr'] = lr


def clip(spec, params):
    """Keras's clipvalue then clipnorm on each gradient in place (clipnorm per variable, not global)."""
    train = spec.get('train', spec)
    o = train['optimizer'].get('options') or {}
    value, norm = o.get('clipValue'), o.get('clipNorm')
    if value is None and norm is None:
        return
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            if value is not None:
                p.grad.clamp_(-float(value), float(value))
            if norm is not None:
                n = torch.sqrt(torch.sum(p.grad * p.grad))
                p.grad.mul_(float(norm) / torch.clamp(n, min=float(norm)))
