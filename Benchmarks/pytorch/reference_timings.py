"""PyTorch timings for the same workloads as TrainingBenchmarks, on the same machine and data.

Usage: python3 Benchmarks/pytorch/reference_timings.py [cnn|lenet|mlp-mnist|lstm|essay-mlp|tiny|all] [epochs] [runs]
Needs `pip install torch` (not part of `make deps`: only the benchmarks use it).
Training time only, as in reference/pytorch-cpu-baseline.md: batch gather, forward, loss,
backward, step; MNIST held as uint8 and scaled per batch like tensorbook (ToTensor scaling).
"""
import gzip, os, resource, struct, sys, time
import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "data", "mnist")

def idx(name):
    data = gzip.open(os.path.join(ROOT, name)).read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return torch.from_numpy(np.frombuffer(data[4 + 4 * rank:], np.uint8).reshape(dims).copy())

def mnist():
    return (idx("train-images-idx3-ubyte.gz"), idx("train-labels-idx1-ubyte.gz").long(),
            idx("t10k-images-idx3-ubyte.gz"), idx("t10k-labels-idx1-ubyte.gz").long())

def cnn():
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(3136, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                         nn.Linear(84, 10))

def mlp_mnist():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))

def train_images(name, make, epochs, runs, normalize=False):
    xtr, ytr, xte, yte = mnist()
    def prep(x):
        x = x.float().div_(255).unsqueeze(1)
        return (x - 0.1307) / 0.3081 if normalize else x
    times = []
    for run in range(runs):
        torch.manual_seed(run)
        model = make(); opt = torch.optim.Adam(model.parameters(), lr=1e-3); loss_fn = nn.CrossEntropyLoss()
        for epoch in range(epochs):
            model.train(); perm = torch.randperm(len(xtr)); start = time.perf_counter()
            for i in range(0, len(xtr), 64):
                index = perm[i:i + 64]
                opt.zero_grad(); loss = loss_fn(model(prep(xtr[index])), ytr[index]); loss.backward(); opt.step()
            seconds = time.perf_counter() - start; times.append(seconds)
            model.eval(); start = time.perf_counter()
            with torch.no_grad():  # batch 256, as tensorbook's evaluate
                correct = sum((model(prep(xte[i:i + 256])).argmax(1) == yte[i:i + 256]).sum().item() for i in range(0, len(xte), 256))
            evaluation = time.perf_counter() - start; start = time.perf_counter()
            with torch.no_grad():  # batch 1000, as the baseline doc's evaluation row
                for i in range(0, len(xte), 1000): model(prep(xte[i:i + 1000])).argmax(1)
            evaluation1000 = time.perf_counter() - start
            print(f"pytorch {name} run {run + 1} epoch {epoch + 1}: {seconds:.3f} s/epoch  test acc {correct / len(xte):.4f}  "
                  f"eval {evaluation:.3f} s (batch 256), {evaluation1000:.3f} s (batch 1000)", flush=True)
    print(f"pytorch {name}: median {sorted(times)[len(times) // 2]:.3f} s/epoch; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

def lstm(epochs, runs):
    class Classifier(nn.Module):
        def __init__(self):
            super().__init__(); self.embedding = nn.Embedding(5000, 64); self.lstm = nn.LSTM(64, 128, batch_first=True); self.fc = nn.Linear(128, 1)
        def forward(self, x):
            out, _ = self.lstm(self.embedding(x)); return self.fc(out[:, -1, :])
    torch.manual_seed(0)
    x = torch.randint(0, 5000, (10000, 50)); y = torch.randint(0, 2, (10000, 1)).float()
    times = []
    for run in range(runs):
        model = Classifier(); opt = torch.optim.Adam(model.parameters(), lr=1e-3); loss_fn = nn.BCEWithLogitsLoss()
        for _ in range(epochs):
            perm = torch.randperm(len(x)); start = time.perf_counter()
            for i in range(0, len(x), 64):
                index = perm[i:i + 64]
                opt.zero_grad(); loss = loss_fn(model(x[index]), y[index]); loss.backward(); opt.step()
            times.append(time.perf_counter() - start)
            print(f"pytorch seed LSTM run {run + 1}: {times[-1]:.3f} s/epoch", flush=True)
    print(f"pytorch seed LSTM: median {sorted(times)[len(times) // 2]:.3f} s/epoch; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

def essay_mlp(runs):
    steps = []
    for run in range(max(runs, 5)):
        torch.manual_seed(run)
        x = torch.randn(1000, 10); y = torch.randint(0, 2, (1000, 1)).float()
        model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 1)); opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        start = time.perf_counter()
        for _ in range(100):
            opt.zero_grad(); loss = nn.functional.mse_loss(model(x), y); loss.backward(); opt.step()
        steps.append((time.perf_counter() - start) / 100)
    print(f"pytorch essay MLP 10-64-1: median {sorted(steps)[len(steps) // 2] * 1e6:.1f} µs/step")

def tiny():
    a, b = torch.randn(8), torch.randn(8)
    for label, x in (("no grad", a), ("requires_grad", torch.randn(8, requires_grad=True))):
        best = 1e9
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(100_000): x + b
            best = min(best, (time.perf_counter() - start) / 100_000)
        print(f"pytorch tiny add 8 floats, {label}: {best * 1e9:.0f} ns")

if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    jobs = {"cnn": lambda: train_images("essay CNN", cnn, epochs, runs), "lenet": lambda: train_images("LeNet", lenet, epochs, runs),
            "mlp-mnist": lambda: train_images("MLP 784-128-10", mlp_mnist, epochs, runs),
            "cnn-normalized": lambda: train_images("essay CNN normalized", cnn, epochs, runs, normalize=True),
            "lstm": lambda: lstm(epochs, runs), "essay-mlp": lambda: essay_mlp(runs), "tiny": tiny}
    for name, job in jobs.items():
        if what in (name, "all") and not (what == "all" and name == "cnn-normalized"):
            job()
