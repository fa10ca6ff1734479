"""Writes Tests/Goldens/vocabulary-goldens.json: PyTorch's values and gradients for the tensor
vocabulary of the public tutorials (issue "The tensor vocabulary of the public tutorials").

Each case applies one operation to fixed inputs, records the output and, where the operation is
differentiable, the gradient of sum(output * weights) for each input (weights = 1, 2, 3, … in
row-major order, so every output element weighs differently).

Run: python3 Tests/Goldens/vocabulary_goldens.py   (needs torch from PyPI)"""
import json
import math
import os

import torch
import torch.nn.functional as F

cases = {}

X = [[-2.5, -1.0, 0.25, 0.5], [1.5, 3.0, -0.75, 2.0], [0.125, -3.5, 4.0, -0.5]]


def values(tensor):
    return tensor.detach().to(torch.float64).tolist()


def record(name, function, *inputs, differentiable=True):
    leaves = [torch.tensor(x, dtype=torch.float32, requires_grad=differentiable) for x in inputs]
    output = function(*leaves)
    case = {"inputs": inputs, "output": values(output)}
    if differentiable:
        weights = torch.arange(1, output.numel() + 1, dtype=torch.float32).reshape(output.shape)
        (output * weights).sum().backward()
        case["grads"] = [values(leaf.grad) if leaf.grad is not None else None for leaf in leaves]
    cases[name] = case


record("sin", torch.sin, X)
record("cos", torch.cos, X)
record("sin_wide", torch.sin, [[-100.0, -7.5, 31.4, 1000.0, 8000.0]])
record("pow_number", lambda x: x ** 3, X)
record("pow_tensor", lambda x, p: x.unsqueeze(-1).pow(p), [[1.5, 0.5], [2.0, 0.25]], [1.0, 2.0, 3.0])
record("where", lambda a, b: torch.where(torch.tensor(X) > 0, a, b), X, [10.0, 20.0, 30.0, 40.0])
record("clamp", lambda x: x.clamp(min=-1.0, max=2.0), X)
record("clamp_min", lambda x: torch.clamp(x, min=0.0), X)
record("min_dim_keepdim", lambda x: torch.amin(x, dim=1, keepdim=True), X)
record("max_dim", lambda x: torch.amax(x, dim=0), X)
record("min_all", lambda x: x.min(), X)
record("sum_keepdim", lambda x: x.sum(1, keepdim=True), X)
record("mean_keepdim", lambda x: x.mean(dim=0, keepdim=True), X)
record("squeeze_unsqueeze", lambda x: x.unsqueeze(1).unsqueeze(0).squeeze(), X)
record("cat", lambda a, b: torch.cat([a, b], dim=1), X, [[1.0], [2.0], [3.0]])
record("stack", lambda a, b: torch.stack([a, b], dim=1), [[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]])
record("flatten", lambda x: x.reshape(3, 2, 2).flatten(1), X)
record("index_rows", lambda c: c[torch.tensor([[1, 0, 2], [2, 2, -1]])], X)
record("index_pairs", lambda p: p[torch.arange(3), torch.tensor([3, 0, 1])], X)
record("cross_entropy_none", lambda x: F.cross_entropy(x, torch.tensor([3, 0, 1]), reduction="none"), X)
record("cross_entropy_sum", lambda x: F.cross_entropy(x, torch.tensor([3, 0, 1]), reduction="sum"), X)
record("mse_sum", lambda p: F.mse_loss(p, torch.zeros(3, 4), reduction="sum"), X)
record("mse_none", lambda p: F.mse_loss(p, torch.ones(3, 4), reduction="none"), X)
record("bce_sum", lambda x: F.binary_cross_entropy_with_logits(x, (torch.tensor(X) > 0).float(), reduction="sum"), X)
record("linspace", lambda: torch.linspace(-math.pi, math.pi, 2000), differentiable=False)
record("linspace_short", lambda: torch.linspace(0, 1, 7), differentiable=False)
record("one_hot", lambda: F.one_hot(torch.tensor([0, 3, 1]), 5).float(), differentiable=False)
record("argmax_dim_keepdim", lambda x: x.argmax(dim=1, keepdim=True).float(), X, differentiable=False)
record("argmin", lambda x: x.argmin().float(), X, differentiable=False)
record("long", lambda x: x.long().float(), X, differentiable=False)
record("count_equal", lambda x: (x.long() == 0).sum().float(), X, differentiable=False)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vocabulary-goldens.json")
with open(path, "w") as file:
    json.dump({"torch": torch.__version__, "cases": cases}, file, indent=1, sort_keys=True)
    file.write("\n")
print(f"wrote {len(cases)} cases to {path}")
