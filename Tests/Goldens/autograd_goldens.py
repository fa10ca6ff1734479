"""Writes Tests/Goldens/autograd-goldens.json: what PyTorch does in the autograd cases of the
in-place and shape checks (issue "Autograd never gives a silently wrong number"): the gradients
where it computes, and the error it raises where it refuses.

Run: python3 Tests/Goldens/autograd_goldens.py   (needs torch from PyPI)"""
import json
import os
import warnings

import torch
import torch.nn.functional as F

cases = {}


def values(tensor):
    return None if tensor is None else tensor.detach().to(torch.float64).reshape(-1).tolist()


def refused(body):
    """The start of PyTorch's error message when body raises, else None."""
    try:
        body()
    except (RuntimeError, ValueError) as error:
        return str(error).split("\n")[0][:120]
    return None


def leaf(*numbers):
    return torch.tensor(numbers, requires_grad=True)


def saved_value_changed():
    a = leaf(2.0)
    y = (a * a).sum()
    with torch.no_grad():
        a -= 1
    cases["saved_value_changed"] = {"error": refused(y.backward), "a_grad": values(a.grad)}


def add_in_place_on_computed():
    a, b = leaf(1.0), leaf(3.0)
    c = a + b
    c += c + 1
    c.backward()
    cases["add_in_place_on_computed"] = {"c": values(c), "a_grad": values(a.grad), "b_grad": values(b.grad)}


def multiply_in_place_by_itself():
    """PyTorch refuses d *= d (its saved self is the tensor being changed); tensorbook computes
    it from a copy of the old values, so the oracle is the out-of-place d = d * d."""
    a, b = leaf(1.0), leaf(3.0)
    d = a * b
    d *= d
    error = refused(d.backward)
    a, b = leaf(1.0), leaf(3.0)
    d = a * b
    d = d * d
    d.backward()
    cases["multiply_in_place_by_itself"] = {"torch_in_place": error, "d": values(d), "a_grad": values(a.grad),
                                            "b_grad": values(b.grad)}


def multiply_in_place_by_weight():
    x, w = leaf(1.0, 2.0), leaf(0.5, -1.5)
    c = x * 2
    c *= w
    c.sum().backward()
    cases["multiply_in_place_by_weight"] = {"c": values(c), "x_grad": values(x.grad), "w_grad": values(w.grad)}


def output_saved_then_changed():
    x = leaf(0.5, -1.0)
    s = x.sigmoid()
    s *= 2
    cases["output_saved_then_changed"] = {"error": refused(lambda: s.sum().backward())}


def index_assign_on_computed():
    x, v = leaf(1.0, 2.0, 3.0), leaf(5.0)
    z = x * 2
    z[0] = 10
    z[2] = v[0] * 3
    z.sum().backward()
    cases["index_assign_on_computed"] = {"z": values(z), "x_grad": values(x.grad), "v_grad": values(v.grad)}


def index_update_on_computed():
    x = leaf(1.0, 2.0, 3.0)
    z = x * x
    z[1] += z[0] * 4
    z.sum().backward()
    cases["index_update_on_computed"] = {"z": values(z), "x_grad": values(x.grad)}


def leaf_in_place_refused():
    w = leaf(1.0, 2.0)
    cases["leaf_in_place_refused"] = {"error": refused(lambda: w.sub_(0.1))}


def loss_shapes():
    x = torch.tensor([[1.0, 2, 3], [4, 5, 6]])
    result = {"mse_transposed": refused(lambda: F.mse_loss(x, x.T)),
              "bce_column": refused(lambda: F.binary_cross_entropy_with_logits(torch.zeros(4, 1), torch.zeros(4)))}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        broadcast = F.mse_loss(torch.tensor([[1.0], [2.0]]), torch.tensor([1.0, 3.0]))
    result["mse_column_broadcast"] = {"value": broadcast.item(), "warning": str(caught[0].message)[:80] if caught else None,
                                      "same_shape_value": F.mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 3.0])).item()}
    cases["loss_shapes"] = result


def retain_grad():
    x = leaf(1.0, 2.0, 3.0)
    p = x * 3
    p.retain_grad()
    (p * p).sum().backward()
    cases["retain_grad"] = {"p_grad": values(p.grad), "x_grad": values(x.grad)}


def backward_with_gradient():
    x = leaf(1.0, 2.0, 3.0)
    y = x * x
    y.backward(gradient=torch.tensor([1.0, 0.0, 0.5]))
    cases["backward_with_gradient"] = {"x_grad": values(x.grad),
                                       "without_gradient": refused(lambda: (x * 2).backward())}


def zero_grad_sets_none():
    model = torch.nn.Linear(2, 1)
    unused = torch.nn.Parameter(torch.ones(3))
    opt = torch.optim.SGD(list(model.parameters()) + [unused], lr=0.1)
    model(torch.ones(1, 2)).sum().backward()
    before = model.weight.grad is not None
    opt.zero_grad()
    cases["zero_grad_sets_none"] = {"had_grad": before, "weight_grad_is_none": model.weight.grad is None,
                                    "unused_grad_is_none": unused.grad is None}


def item_and_dtype():
    x = torch.tensor([2.5])
    cases["item_and_dtype"] = {"item": x.item(), "dtype": str(x.dtype), "requires_grad": x.requires_grad}


for case in [saved_value_changed, add_in_place_on_computed, multiply_in_place_by_itself, multiply_in_place_by_weight,
             output_saved_then_changed, index_assign_on_computed, index_update_on_computed, leaf_in_place_refused,
             loss_shapes, retain_grad, backward_with_gradient, zero_grad_sets_none, item_and_dtype]:
    case()

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "autograd-goldens.json")
with open(path, "w") as file:
    json.dump({"torch": torch.__version__.split("+")[0], "cases": cases}, file, indent=1)
    file.write("\n")
print(f"wrote {path}")
