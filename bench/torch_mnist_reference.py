"""Raw PyTorch on the data a PyTorch-engine run handed its runner (`npm run bench:mnist`): the same
784-128-10 MLP, Adam, batch size, epochs and thread count, the loop anyone would write (logits with
CrossEntropyLoss, a fresh permutation per epoch gathered once, no statistics, no messages), with the engine's
thread count and OpenMP wait policy. Prints JSON: the
samples/s of the training steps of each epoch (epochRates, measured as the engine measures its
epochs' samplesPerSec) and their mean, and the final validation accuracy.
Usage: torch_mnist_reference.py DATA_JSON BATCH EPOCHS LEARNING_RATE"""
import json
import os
import sys
import time

# The engine's settings (modellab_torch/__main__.py, device.py): passive OpenMP waits, every core.
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def split(meta, blob, name):
    part = meta[name]
    x = blob[part['x'][0]:part['x'][0] + part['x'][1]].reshape(part['n'], -1)
    y = blob[part['y'][0]:part['y'][0] + part['y'][1]].reshape(part['n'], -1).argmax(1)
    return x, y


def main():
    data_json, batch, epochs, lr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    meta = json.load(open(data_json))
    with open(os.path.splitext(data_json)[0] + '.bin', 'rb') as f:
        blob = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
    x, y = split(meta, blob, 'train')
    vx, vy = split(meta, blob, 'val')
    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(x.shape[1], 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    rates = []
    for _ in range(epochs):
        start = time.perf_counter()
        # One gather per epoch, then contiguous slices: the quickest plain loop (no per-batch gather).
        order = torch.randperm(len(x))
        xs, ys = x.index_select(0, order), y.index_select(0, order)
        for s in range(0, len(x), batch):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[s:s + batch]), ys[s:s + batch])
            loss.backward()
            opt.step()
        rates.append(len(x) / (time.perf_counter() - start))
    with torch.no_grad():
        accuracy = (model(vx).argmax(1) == vy).float().mean().item()
    print(json.dumps({'samplesPerSec': sum(rates) / len(rates), 'epochRates': rates, 'valAccuracy': accuracy, 'threads': torch.get_num_threads()}))


main()
