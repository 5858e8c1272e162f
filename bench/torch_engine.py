"""The PyTorch engine's side of `npm run bench:torch` (bench/torchEngine.ts writes the spec and data
files and prints the table). For one model and batch size, in fresh processes, training steps on
random MNIST-shaped data with one thread, median of `repeats`:
  quiet     the engine's loop in this process, messages dropped, statistics off;
  streamed  `python3 -m modellab_torch` speaking the protocol on stdout, statistics off;
  stats     the same with the statistics the inside panels draw (every epoch: the default).
Each rate is the samples of epochs 2..E over their wall time (epoch points' elapsedMs), so the first
epoch warms up and the statistics collected at each epoch's end are inside the measured time.
Prints one JSON object."""
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, 'engines', 'pytorch')
sys.path.insert(0, PACKAGE)


def rate(epochs, per_epoch):
    return per_epoch * (len(epochs) - 1) / ((epochs[-1]['elapsedMs'] - epochs[0]['elapsedMs']) / 1000)


def quiet(spec, data_file):
    code = f'''
import json, sys
sys.path.insert(0, {PACKAGE!r})
import torch
from modellab_torch import data, device
from modellab_torch.loop import Trainer
from modellab_torch.callbacks import standard_hooks
spec = json.load(open({spec!r}))
dev, label = device.choose('cpu', 1)
d = data.load({data_file!r})
class Sink:
    def __init__(self): self.epochs = []
    def started(self, info): pass
    def batch(self, p): pass
    def epoch(self, p): self.epochs.append(p)
    def log(self, *a): pass
    def stats(self, r): pass
    def picked_maps(self, r): pass
sink = Sink()
t = Trainer(spec, d, dev, sink, lambda: False, [], {{'runId': 'bench', 'backend': label}})
t.hooks.extend(standard_hooks(spec, {{}}, t))
t.run()
print(json.dumps(sink.epochs))
'''
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, check=True, text=True)
    return json.loads(out.stdout)


def streamed(spec_obj, data_file):
    p = subprocess.Popen([sys.executable, '-m', 'modellab_torch'], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         env={**os.environ, 'PYTHONPATH': PACKAGE}, cwd=PACKAGE)
    p.stdin.write((json.dumps({'type': 'start', 'runId': 'bench', 'spec': spec_obj, 'dataFile': data_file, 'device': 'cpu', 'threads': 1}) + '\n').encode())
    p.stdin.flush()
    epochs, messages = [], 0
    for line in p.stdout:
        messages += 1
        m = json.loads(line)
        if m['type'] == 'progress':
            epochs += m['epochs']
        elif m['type'] in ('done', 'error'):
            if m['type'] == 'error':
                raise RuntimeError(m['message'])
            break
    p.stdin.close()
    p.wait()
    return epochs, messages


def main():
    spec_file, data_file, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(spec_file) as f:
        spec = json.load(f)
    with open(data_file) as f:
        n = json.load(f)['train']['n']
    off = {**spec, 'train': {**spec['train'], 'statistics': {'every': 'off', 'probe': 32}}}
    off_file = spec_file + '.off.json'
    with open(off_file, 'w') as f:
        json.dump(off, f)
    result = {'quiet': [], 'streamed': [], 'stats': [], 'messages': 0}
    for _ in range(repeats):
        result['quiet'].append(rate(quiet(off_file, data_file), n))
        epochs, _ = streamed(off, data_file)
        result['streamed'].append(rate(epochs, n))
        epochs, result['messages'] = streamed(spec, data_file)
        result['stats'].append(rate(epochs, n))
    print(json.dumps({k: statistics.median(v) if isinstance(v, list) else v for k, v in result.items()}))


if __name__ == '__main__':
    t0 = time.time()
    main()
