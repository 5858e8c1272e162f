"""Helper of torchParity.test.ts: trains the PyTorch engine's Net on exactly the batches the tfjs
engine trained on, from the same initial weights, and prints the loss of every step as JSON.

    python3 torchParitySteps.py DIR          # DIR: spec.json, weights.json/.bin, data.json/.bin, batches.json
    python3 torchParitySteps.py DIR --save   # the same, and the trained weights to DIR/trained.json/.bin
    python3 torchParitySteps.py --shapes DIR # each layer's output shape and parameter count
    python3 torchParitySteps.py --outputs DIR # every layer's inference output on the train set's x
    python3 torchParitySteps.py --rates DIR  # the planned learning rate of every step (rates.json: stepsPerEpoch, steps)
"""
from array import array
import json
import os
import sys

import torch

from modellab_torch import build, losses, optimizers, regularizers, schedules, weights


def read_json(d, name):
    with open(os.path.join(d, name), encoding='utf-8') as f:
        return json.load(f)


def read_train_set(d):
    meta = read_json(d, 'data.json')['train']
    with open(os.path.join(d, 'data.bin'), 'rb') as f:
        raw = f.read()

    def part(key, shape):
        offset, length = meta[key]
        values = array('f', raw[offset * 4:(offset + length) * 4])
        if sys.byteorder != 'little':
            values.byteswap()
        return torch.tensor(values, dtype=torch.float32).reshape(meta['n'], *shape)

    return part('x', meta['xShape']), part('y', meta['yShape'])


def shapes(d):
    spec = read_json(d, 'spec.json')
    net = build.build_model(spec, spec['train']['seed'])
    counts = {}
    for layer_id, _, t, _, _ in net.keras_weights():
        counts[layer_id] = counts.get(layer_id, 0) + t.numel()
    print(json.dumps({'shapes': net.output_shapes, 'params': counts}))


def outputs(d):
    spec = read_json(d, 'spec.json')
    net = build.build_model(spec, spec['train']['seed'])
    weights.load(net, os.path.join(d, 'weights.json'))
    net.eval()
    x, _ = read_train_set(d)
    with torch.no_grad():
        _, outs = net.forward_with_outputs(x)
    print(json.dumps({k: v.reshape(-1).tolist() for k, v in outs.items()}))


def rates(d):
    spec = read_json(d, 'spec.json')
    plan = read_json(d, 'rates.json')
    per = plan['stepsPerEpoch']
    print(json.dumps({'rates': [schedules.learning_rate(spec, s, s // per, per) for s in range(plan['steps'])]}))


def train(d, save=False):
    spec = read_json(d, 'spec.json')
    net = build.build_model(spec, spec['train']['seed'])
    weights.load(net, os.path.join(d, 'weights.json'))
    x, y = read_train_set(d)
    steps = read_json(d, 'batches.json')['steps']
    loss_fn, _ = losses.make_loss(spec)
    params = [p for p in net.parameters() if p.requires_grad]
    opt = optimizers.make_optimizer(spec, params)
    steps_per_epoch = -(-x.shape[0] // spec['train']['batchSize'])
    net.train()
    out = []
    for step, idx in enumerate(steps):
        optimizers.set_learning_rate(opt, schedules.learning_rate(spec, step, step // steps_per_epoch, steps_per_epoch))
        rows = torch.tensor(idx, dtype=torch.long)
        opt.zero_grad()
        loss = loss_fn(y[rows], net(x[rows])) + regularizers.penalty(net, spec)
        loss.backward()
        optimizers.clip(spec, params)
        opt.step()
        out.append(float(loss))
    if save:
        weights.save(net, os.path.join(d, 'trained.json'))
    print(json.dumps({'losses': out}))


if __name__ == '__main__':
    torch.set_num_threads(1)
    if sys.argv[1] == '--shapes':
        shapes(sys.argv[2])
    elif sys.argv[1] == '--outputs':
        outputs(sys.argv[2])
    elif sys.argv[1] == '--rates':
        rates(sys.argv[2])
    else:
        train(sys.argv[1], '--save' in sys.argv[2:])
