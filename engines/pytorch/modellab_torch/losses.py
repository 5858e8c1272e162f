"""The losses of engine/train/losses.ts with the same arithmetic: probability outputs, Keras's
clipping at 1e-7, categorical cross-entropy renormalising the prediction first. Each comes with its
per-example form, whose mean is the loss (the validation loss's noise, for the overfitting rule)."""
import torch
import torch.nn.functional as F

EPS = 1e-7
HUBER_DELTA = 1.0
LOSS_NAMES = ('meanSquaredError', 'meanAbsoluteError', 'huber', 'kullbackLeiblerDivergence',
              'binaryCrossentropy', 'categoricalCrossentropy')


def _elementwise(name):
    """The loss of each value of [N, ...] (class sums are kept as a last axis of 1)."""
    if name == 'meanSquaredError':
        return lambda y, p: (y - p) ** 2
    if name == 'meanAbsoluteError':
        return lambda y, p: torch.abs(y - p)
    if name == 'huber':
        def huber(y, p):
            err = torch.abs(y - p)
            quad = torch.clamp(err, max=HUBER_DELTA)
            return 0.5 * quad * quad + HUBER_DELTA * (err - quad)
        return huber
    if name == 'kullbackLeiblerDivergence':
        def kl(y, p):
            yc, pc = torch.clamp(y, EPS, 1.0), torch.clamp(p, EPS, 1.0)
            return torch.sum(yc * torch.log(yc / pc), dim=-1, keepdim=True)
        return kl
    if name == 'binaryCrossentropy':
        def bce(y, p):
            q = torch.clamp(p, EPS, 1 - EPS)
            return -(y * torch.log(q) + (1 - y) * torch.log(1 - q))
        return bce
    if name == 'categoricalCrossentropy':
        def cce(y, p):
            q = torch.clamp(p / torch.sum(p, dim=-1, keepdim=True), EPS, 1 - EPS)
            return -torch.sum(y * torch.log(q), dim=-1, keepdim=True)
        return cce
    raise ValueError(f"Unknown loss '{name}'; known: {', '.join(LOSS_NAMES)}.")


class _CategoricalCrossentropyLoss(torch.autograd.Function):
    """The mean of categoricalCrossentropy's values as one autograd node: the forward pass is the
    same operations (the same float), the backward pass the chain rule through them written out.
    Recorded op by op, the loss's eight small operations and their gradients cost a small MLP's
    step as much as its whole loss in raw PyTorch (a fused log-softmax) and more again."""

    @staticmethod
    def forward(ctx, y, p):
        s = torch.sum(p, dim=-1, keepdim=True)
        q = p / s
        qc = torch.clamp(q, EPS, 1 - EPS)
        loss = -torch.sum(y * torch.log(qc), dim=-1, keepdim=True)
        ctx.save_for_backward(y, s, q, qc)
        ctx.count = loss.numel()
        return loss.mean()

    @staticmethod
    def backward(ctx, grad):
        y, s, q, qc = ctx.saved_tensors
        # d/dqc of -mean(sum(y log qc)), passed by the clamp only where it did not clip (qc == q;
        # at exactly EPS or 1 - EPS too, as torch's clamp passes it there).
        g = y / qc
        g.masked_fill_(qc != q, 0)
        g.mul_(grad / -ctx.count)
        # Through q = p / s with s = sum(p): dL/dp = (g - sum(g q)) / s.
        return None, (g - torch.sum(g * q, dim=-1, keepdim=True)) / s


def loss_name(spec):
    if isinstance(spec, str):
        return spec
    train = spec.get('train', spec)
    return train['loss']


def make_loss(spec):
    """(loss(y_true, y_pred) -> scalar, per_example(y_true, y_pred) -> [N]) for a loss name or a spec."""
    values = _elementwise(loss_name(spec))

    def per_example(y, p):
        v = values(y, p)
        return v.reshape(v.shape[0], -1).mean(dim=1)

    def loss(y, p):
        return values(y, p).mean()

    def one_node_loss(y, p):
        return _CategoricalCrossentropyLoss.apply(y, p)

    return (one_node_loss if loss_name(spec) == 'categoricalCrossentropy' else loss), per_example


def correct_count(y, p):
    """Correct predictions: threshold 0.5 for one output unit, argmax otherwise (as tfjs counts)."""
    if p.shape[-1] == 1:
        return int(((p > 0.5) == (y > 0.5)).sum())
    return int((p.argmax(dim=-1) == y.argmax(dim=-1)).sum())


# -log of Keras's clipped probability's bounds [EPS, 1 - EPS], in float32 as tfjs holds them.
_NLL_LOW = float(-torch.log(torch.tensor(1 - EPS, dtype=torch.float32)))
_NLL_HIGH = float(-torch.log(torch.tensor(EPS, dtype=torch.float32)))


class OutputObjective:
    """The training loss on the model's outputs, as the file names it."""

    def __init__(self, spec):
        self.loss = make_loss(spec)[0]

    def targets(self, split, idx):
        return split.y.index_select(0, idx)

    def outputs(self, model, x):
        return model(x)

    def value(self, y, out):
        return self.loss(y, out)

    def correct(self, y, out):
        return correct_count(y, out.detach())


class LogitsCrossentropy:
    """categoricalCrossentropy of a net ending in a softmax, on one-hot targets, computed from the
    logits before the softmax: -log of the true class's probability clipped to [EPS, 1 - EPS] is the
    log-softmax's negative clipped to [-log(1 - EPS), -log(EPS)], the same value (to float32 rounding)
    and the same gradient, zero where Keras's clip cuts it. Torch's fused cross-entropy makes it two
    native steps where the probabilities' loss took a softmax and eight small operations each way:
    a sixth of an MNIST MLP's step. Targets are class indices."""

    def __init__(self, labels):
        self.labels = labels

    def targets(self, split, idx):
        return self.labels.index_select(0, idx)

    def outputs(self, model, x):
        return model(x, logits=True)

    def value(self, t, z):
        nll = F.cross_entropy(z, t, reduction='none')
        # The clip only where it cuts: within its bounds it passes values and gradients unchanged,
        # and its backward pass alone cost more than the cross-entropy's.
        low, high = torch.aminmax(nll.detach())
        if float(low) < _NLL_LOW or float(high) > _NLL_HIGH:
            nll = nll.clamp(_NLL_LOW, _NLL_HIGH)
        return nll.mean()

    def correct(self, t, z):
        # The softmax keeps the order of the logits, so their argmax is the prediction's.
        return int((z.detach().argmax(dim=-1) == t).sum())


def one_hot_labels(y):
    """The class index of each row of y if every row is one-hot (one 1, the rest 0), else None."""
    if y.dim() != 2 or y.shape[0] == 0 or y.shape[1] < 2:
        return None
    if not bool(((y == 0) | (y == 1)).all()) or not bool((y.sum(dim=1) == 1).all()):
        return None
    return y.argmax(dim=1)


def training_objective(spec, net, train_split):
    """The fastest objective with the file's meaning: LogitsCrossentropy where it applies, else the outputs' loss."""
    if loss_name(spec) == 'categoricalCrossentropy' and getattr(net, 'softmax_tail', None) \
            and len(net.output_shapes[net.ids[-1]]) == 1:
        labels = one_hot_labels(train_split.y)
        if labels is not None:
            return LogitsCrossentropy(labels)
    return OutputObjective(spec)
