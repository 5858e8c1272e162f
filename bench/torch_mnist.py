"""PyTorch's side of `npm run bench -- --cli`: the bench MLP or CNN trained on the MNIST subset
Model Lab ships (media/datasets/mnist-*.idx*.gz: the same 5,000 digits, 4,000 to train and 1,000 to
validate), as a PyTorch user would write it: Adam, a shuffled epoch of batches assembled by index,
the batch loss and accuracy each step, a validation pass (loss and accuracy) after each epoch.
Prints one JSON line: each epoch's training samples/s (steps only) and seconds (with validation)."""
import gzip, json, sys, time
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(1)
model_name, batch, epochs, datasets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)

images = torch.from_numpy(idx(f"{datasets}/mnist-images.idx3-ubyte.gz").astype(np.float32) / 255).unsqueeze(1)
labels = torch.from_numpy(idx(f"{datasets}/mnist-labels.idx1-ubyte.gz").astype(np.int64))
order = torch.randperm(len(labels))
n_val = int(len(labels) * 0.2)
train_x, train_y = images[order[n_val:]], labels[order[n_val:]]
val_x, val_y = images[order[:n_val]], labels[order[:n_val]]

if model_name == "mlp":
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
else:
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 10))
    # Channels-last (NHWC) weights and images: PyTorch's fastest convolutions on this CPU (1.6-1.8x
    # its default NCHW here), so the reference is PyTorch at its best.
    model = model.to(memory_format=torch.channels_last)
    train_x = train_x.contiguous(memory_format=torch.channels_last)
    val_x = val_x.contiguous(memory_format=torch.channels_last)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
rates, seconds, final = [], [], {}
for epoch in range(epochs):
    t0 = time.perf_counter()
    perm = torch.randperm(len(train_y))
    loss_sum = correct = 0.0
    for s in range(0, len(perm), batch):
        i = perm[s:s + batch]
        xb, yb = train_x[i], train_y[i]
        opt.zero_grad()
        out = model(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        opt.step()
        loss_sum += loss.item() * len(i)
        correct += (out.argmax(1) == yb).sum().item()
    t1 = time.perf_counter()
    model.eval()
    with torch.no_grad():
        v_loss = v_correct = 0.0
        for s in range(0, len(val_y), 1024):
            out = model(val_x[s:s + 1024])
            v_loss += loss_fn(out, val_y[s:s + 1024]).item() * len(out)
            v_correct += (out.argmax(1) == val_y[s:s + 1024]).sum().item()
    model.train()
    rates.append(len(perm) / (t1 - t0))
    seconds.append(time.perf_counter() - t0)
    final = {"loss": loss_sum / len(perm), "accuracy": correct / len(perm), "valLoss": v_loss / len(val_y), "valAccuracy": v_correct / len(val_y)}
print(json.dumps({"rates": rates, "seconds": seconds, "final": final}))
