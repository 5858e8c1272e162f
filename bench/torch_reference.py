"""PyTorch reference for `npm run bench`: the same two models, Adam, random data, one thread,
training steps only. Prints samples/s; with a fourth argument `cpu`, samples per CPU second of this
process (`npm run bench -- --cpu`). Run with Debian's python3 (python3-torch)."""
import sys, time
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)
model_name, batch, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
clock = time.process_time if sys.argv[4:5] == ["cpu"] else time.perf_counter
if model_name == "mlp":
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    x = torch.rand(batch * 8, 784)
else:
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 10))
    # Channels-last (NHWC) weights and images: PyTorch's fastest convolutions on this CPU, 1.6-1.8x
    # its default NCHW here (12k -> 20k samples/s at batch 64), so the reference is PyTorch at its best.
    model = model.to(memory_format=torch.channels_last)
    x = torch.rand(batch * 8, 1, 28, 28).contiguous(memory_format=torch.channels_last)
y = torch.randint(0, 10, (x.shape[0],))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

def step(i):
    s = (i % 8) * batch
    opt.zero_grad()
    loss = loss_fn(model(x[s:s + batch]), y[s:s + batch])
    loss.backward()
    opt.step()

for i in range(20):
    step(i)
t0 = clock()
for i in range(steps):
    step(i)
print(batch * steps / (clock() - t0))
