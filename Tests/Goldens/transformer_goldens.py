"""Writes Tests/Goldens/transformer-goldens.json: PyTorch's results for the Transformer
primitives on small fixed inputs (stored with the results), the oracle for tensorbook's
layer_norm, gelu, causal softmax and fused scaled-dot-product attention.

Run: python3 Tests/Goldens/transformer_goldens.py   (needs torch from PyPI; float64 reference)"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
cases = {}


def values(tensor):
    return tensor.detach().to(torch.float64).tolist()


def leaf(*shape, scale=1.0):
    return (torch.randn(*shape, dtype=torch.float64) * scale).requires_grad_(True)


def layer_norm():
    x, weight, bias = leaf(2, 3, 5, scale=2.0), leaf(5), leaf(5)
    upstream = torch.randn(2, 3, 5, dtype=torch.float64)
    y = F.layer_norm(x, [5], weight, bias, eps=1e-5)
    (y * upstream).sum().backward()
    cases["layer_norm"] = {"x": values(x), "weight": values(weight), "bias": values(bias), "upstream": values(upstream),
                           "y": values(y), "dx": values(x.grad), "dweight": values(weight.grad), "dbias": values(bias.grad)}


def gelu():
    x = torch.tensor([-4.0, -2.5, -1.0, -0.3, 0.0, 0.2, 0.9, 1.7, 3.2, 6.0], dtype=torch.float64, requires_grad=True)
    upstream = torch.randn(10, dtype=torch.float64)
    for approximate in ["none", "tanh"]:
        x.grad = None
        y = F.gelu(x, approximate=approximate)
        (y * upstream).sum().backward()
        cases[f"gelu_{approximate}"] = {"x": values(x), "upstream": values(upstream), "y": values(y), "dx": values(x.grad)}


def causal_softmax():
    scores = leaf(4, 4)
    mask = torch.full((4, 4), float("-inf"), dtype=torch.float64).triu(1)
    upstream = torch.randn(4, 4, dtype=torch.float64)
    p = torch.softmax(scores + mask, dim=-1)
    (p * upstream).sum().backward()
    cases["causal_softmax"] = {"scores": values(scores), "upstream": values(upstream), "p": values(p), "dscores": values(scores.grad)}


def attention(name, query_shape, key_shape, causal):
    q, k, v = leaf(*query_shape), leaf(*key_shape), leaf(*key_shape)
    upstream = torch.randn(*query_shape, dtype=torch.float64)
    out = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    (out * upstream).sum().backward()
    cases[name] = {"q": values(q), "k": values(k), "v": values(v), "upstream": values(upstream), "out": values(out),
                   "dq": values(q.grad), "dk": values(k.grad), "dv": values(v.grad)}


class PositionEmbedding(torch.nn.Module):
    def __init__(self, context, embed):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(context, embed, dtype=torch.float64))

    def forward(self, x):
        return x + self.weight[: x.shape[1]]


class SelfAttention(torch.nn.Module):
    def __init__(self, embed, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = torch.nn.Linear(embed, 3 * embed, dtype=torch.float64)
        self.c_proj = torch.nn.Linear(embed, embed, dtype=torch.float64)

    def forward(self, x):
        batch, steps, embed = x.shape
        q, k, v = self.c_attn(x).split(embed, dim=2)
        q, k, v = (t.view(batch, steps, self.heads, embed // self.heads).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(batch, steps, embed))


class MLP(torch.nn.Module):
    def __init__(self, embed):
        super().__init__()
        self.c_fc = torch.nn.Linear(embed, 4 * embed, dtype=torch.float64)
        self.c_proj = torch.nn.Linear(4 * embed, embed, dtype=torch.float64)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(torch.nn.Module):
    def __init__(self, embed, heads):
        super().__init__()
        self.ln_1 = torch.nn.LayerNorm(embed, dtype=torch.float64)
        self.attn = SelfAttention(embed, heads)
        self.ln_2 = torch.nn.LayerNorm(embed, dtype=torch.float64)
        self.mlp = MLP(embed)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


def gpt_tiny():
    """tensorbook's gpt(vocab: 11, context: 6, layers: 2, heads: 2, embed: 8) as a torch module
    whose state_dict names are tensorbook's parameter names; every parameter drawn N(0, 0.3)."""
    vocab, context, layers, heads, embed = 11, 6, 2, 2, 8
    model = torch.nn.Sequential(torch.nn.Embedding(vocab, embed, dtype=torch.float64), PositionEmbedding(context, embed),
                                *[Block(embed, heads) for _ in range(layers)], torch.nn.LayerNorm(embed, dtype=torch.float64),
                                torch.nn.Linear(embed, vocab, bias=False, dtype=torch.float64))
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.randn(parameter.shape, dtype=torch.float64) * 0.3)
    ids = torch.randint(0, vocab, (2, 5))
    targets = torch.randint(0, vocab, (2, 5))
    logits = model(ids)
    loss = F.cross_entropy(logits.view(-1, vocab), targets.view(-1))
    loss.backward()
    case = {"ids": ids.tolist(), "targets": targets.tolist(), "logits": values(logits), "loss": loss.item()}
    for name, parameter in model.named_parameters():
        case["param:" + name] = values(parameter)
        case["grad:" + name] = values(parameter.grad)
    cases["gpt_tiny"] = case


def adamw():
    """Three AdamW steps (lr 0.01, weight decay 0.1, PyTorch's betas and eps) on fixed gradients."""
    weight = torch.nn.Parameter(torch.randn(3, 4))
    start = weight.detach().clone()
    optimizer = torch.optim.AdamW([weight], lr=0.01, weight_decay=0.1)
    gradients, after = [], []
    for _ in range(3):
        gradient = torch.randn(3, 4)
        weight.grad = gradient.clone()
        optimizer.step()
        gradients.append(values(gradient))
        after.append(values(weight))
    cases["adamw"] = {"start": values(start), "gradients": gradients, "after": after}


layer_norm()
gelu()
causal_softmax()
attention("attention_causal", (2, 2, 4, 3), (2, 2, 4, 3), True)
attention("attention_cross", (1, 2, 3, 4), (1, 2, 5, 4), False)
gpt_tiny()
adamw()

path = os.path.join(os.path.dirname(__file__), "transformer-goldens.json")
with open(path, "w") as file:
    json.dump({"generator": "Tests/Goldens/transformer_goldens.py", "torch": torch.__version__, "cases": cases}, file, indent=1)
    file.write("\n")
print(f"wrote {path}: {len(cases)} cases")
