"""The reference tiny-GPT workload of issue 12 in PyTorch, for comparison with tensorbook.

Usage: python3 Benchmarks/gpt/gpt_char.py TEXT_FILE [steps] [threads]   (Benchmarks/gpt/compare runs
both sides on the same file)

The same model as tensorbook's gpt(vocab:, context: 64, layers: 4, heads: 4, embed: 128): token
and position embeddings, pre-norm blocks (causal attention with c_attn/c_proj, tanh-GELU MLP ×4),
final layer norm, an untied head without bias; GPT-2 initialisation (N(0, 0.02), residual
projections N(0, 0.02/sqrt(2·layers))). The same data handling: sorted character vocabulary,
the first 90 % of the text for training and the last 10 % for validation, non-overlapping windows
of 64 characters moved along by a random offset, and — as tensorbook's
`train model on data.train[0:steps·32] epochs 1 batch 32` — one shuffled pass over the first
steps × 32 of them, batch 32, AdamW(lr 3e-4, weight decay 0.01). Prints training tokens/s
(forward, loss, backward, step; batch gather included), validation loss in nats over the first
64 validation windows, and peak RSS.
"""
import math, resource, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTEXT, LAYERS, HEADS, EMBED, BATCH, LR = 64, 4, 4, 128, 32, 3e-4


class PositionEmbedding(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(CONTEXT, EMBED) * 0.02)

    def forward(self, x):
        return x + self.weight[: x.shape[1]]


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn, self.c_proj = nn.Linear(EMBED, 3 * EMBED), nn.Linear(EMBED, EMBED)

    def forward(self, x):
        batch, steps, embed = x.shape
        q, k, v = (t.view(batch, steps, HEADS, embed // HEADS).transpose(1, 2) for t in self.c_attn(x).split(embed, dim=2))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(batch, steps, embed))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.attn, self.ln_2 = nn.LayerNorm(EMBED), SelfAttention(), nn.LayerNorm(EMBED)
        self.c_fc, self.c_proj = nn.Linear(EMBED, 4 * EMBED), nn.Linear(4 * EMBED, EMBED)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


def gpt(vocab):
    model = nn.Sequential(nn.Embedding(vocab, EMBED), PositionEmbedding(), *[Block() for _ in range(LAYERS)],
                          nn.LayerNorm(EMBED), nn.Linear(EMBED, vocab, bias=False))
    for name, p in model.named_parameters():
        if "ln_" in name or name.startswith(f"{LAYERS + 2}."):
            continue
        if name.endswith(".bias"):
            nn.init.zeros_(p)
        else:
            std = 0.02 / math.sqrt(2 * LAYERS) if name.endswith("c_proj.weight") else 0.02
            nn.init.normal_(p, 0, std)
    return model


def windows(ids, offset, count):
    starts = torch.arange(count) * CONTEXT + offset
    index = starts[:, None] + torch.arange(CONTEXT)[None, :]
    return ids[index], ids[index + 1]


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    torch.manual_seed(0)
    chars = sorted(set(text))
    lookup = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([lookup[c] for c in text], dtype=torch.long)
    train_end = round(len(ids) * 0.9)
    train, val = ids[:train_end], ids[train_end:]
    train_count = max(1, (len(train) - CONTEXT) // CONTEXT)
    model = gpt(len(chars))
    optimizer = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    largest_offset = min(CONTEXT - 1, len(train) - 1 - train_count * CONTEXT)
    x_all, y_all = windows(train, int(torch.randint(0, largest_offset + 1, ())), steps * BATCH)
    order = torch.randperm(steps * BATCH)
    start = time.perf_counter()
    for step in range(steps):
        index = order[step * BATCH:(step + 1) * BATCH]
        logits = model(x_all[index])
        loss = F.cross_entropy(logits.view(-1, len(chars)), y_all[index].view(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if (step + 1) % 100 == 0:
            print(f"step {step + 1}: loss {loss.item():.4f}", flush=True)
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        x, y = windows(val, 0, 64)
        val_loss = F.cross_entropy(model(x).view(-1, len(chars)), y.view(-1)).item()
    tokens = steps * BATCH * CONTEXT
    print(f"pytorch gpt_char: {steps} steps, {tokens / seconds:.0f} tokens/s ({seconds:.2f} s training), "
          f"validation loss {val_loss:.4f} nats ({val_loss / math.log(2):.4f} bits/char) on 64 windows; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
