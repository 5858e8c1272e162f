"""Weight penalties with tfjs's l1l2 arithmetic (l1 * sum|w| + l2 * sum w², no 1/2): a layer's own
*Regularizer options, and model.regularizer for every kernel without one of its own. The reported
loss includes the penalty, as Keras reports it."""
import torch

# Which weight each regularizer option of a layer applies to.
OPTION_WEIGHT = {
    'kernelRegularizer': 'kernel', 'biasRegularizer': 'bias', 'depthwiseRegularizer': 'depthwiseKernel',
    'pointwiseRegularizer': 'pointwiseKernel', 'gammaRegularizer': 'gamma', 'betaRegularizer': 'beta',
}
# The kernel options model.regularizer fills in (engine/train/regularization.ts KERNEL_OPTIONS).
KERNEL_OPTIONS = {
    'dense': ('kernelRegularizer',), 'maxout': ('kernelRegularizer',), 'conv1d': ('kernelRegularizer',),
    'conv2d': ('kernelRegularizer',), 'conv2dTranspose': ('kernelRegularizer',),
    'depthwiseConv2d': ('depthwiseRegularizer',), 'separableConv2d': ('depthwiseRegularizer', 'pointwiseRegularizer'),
}


def terms(net, spec):
    """(tensor, l1, l2) for each regularised weight of the net built from `spec`."""
    model = spec['model'] if isinstance(spec.get('model'), dict) else spec
    default = model.get('regularizer')
    by_name = {(layer_id, name): t for layer_id, name, t, _, _ in net.keras_weights()}
    out = []
    for layer in model['layers']:
        cfg = layer.get('config') or {}
        options = {k: v for k, v in cfg.items() if k in OPTION_WEIGHT}
        if default:
            for k in KERNEL_OPTIONS.get(layer['kind'], ()):
                options.setdefault(k, default)
        for key, reg in options.items():
            t = by_name.get((layer['id'], OPTION_WEIGHT[key]))
            l1, l2 = float((reg or {}).get('l1') or 0), float((reg or {}).get('l2') or 0)
            if t is not None and (l1 or l2):
                out.append((t, l1, l2))
    return out


def penalty(net, spec, weighted=None):
    """The sum of every penalty as a scalar tensor (0 without regularizers); differentiable.
    `weighted`: terms(net, spec) computed before (the loop keeps them: finding them every step cost
    ~10% of a small MLP's step)."""
    total = None
    for t, l1, l2 in (terms(net, spec) if weighted is None else weighted):
        term = l1 * torch.sum(torch.abs(t)) + l2 * torch.sum(t * t)
        total = term if total is None else total + term
    if total is None:
        first = next(net.parameters(), None)
        return torch.zeros((), device=first.device if first is not None else 'cpu')
    return total
