# makemore part 2 (Karpathy's makemore_part2_mlp.ipynb): a character-level MLP language model
# with an embedding lookup C[X], trained on names.txt. Changes so that tensorbook computes the
# same numbers: the words stay in file order (no random.shuffle), the parameters start from
# fixed formulas instead of torch.randn, each minibatch is a fixed slice of the examples instead
# of torch.randint, and 2,000 steps instead of 200,000. Run from the repository root.
import torch
import torch.nn.functional as F

words = open('data/names/names.txt', 'r').read().splitlines()
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}

# build the dataset
block_size = 3  # context length: how many characters do we take to predict the next one?


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + '.':
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]  # crop and append
    X = torch.tensor(X)
    Y = torch.tensor(Y)
    print(list(X.shape), list(Y.shape))
    return X, Y


n1 = int(0.8 * len(words))
n2 = int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])
Xte, Yte = build_dataset(words[n2:])


def fixed(n, scale, phase):
    """Deterministic values in [-scale, scale] (instead of torch.randn)."""
    return (torch.arange(float(n)) * 0.731 + phase).sin() * scale


C = fixed(27 * 10, 1.0, 0.1).reshape(27, 10)
W1 = fixed(30 * 200, 0.2, 0.2).reshape(30, 200)
b1 = fixed(200, 0.1, 0.3)
W2 = fixed(200 * 27, 0.1, 0.4).reshape(200, 27)
b2 = fixed(27, 0.0, 0.5)
parameters = [C, W1, b1, W2, b2]
print(sum([p.nelement() for p in parameters]))  # number of parameters in total
for p in parameters:
    p.requires_grad = True

for i in range(2000):
    # minibatch construct: a fixed slice instead of torch.randint(0, Xtr.shape[0], (32,))
    start = (i * 32 * 37) % (Xtr.shape[0] - 32)
    ix = torch.arange(start, start + 32)

    # forward pass
    emb = C[Xtr[ix]]  # (32, 3, 10)
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)  # (32, 200)
    logits = h @ W2 + b2  # (32, 27)
    loss = F.cross_entropy(logits, Ytr[ix])

    # backward pass
    for p in parameters:
        p.grad = None
    loss.backward()

    # update
    lr = 0.1 if i < 1000 else 0.01
    for p in parameters:
        p.data += -lr * p.grad

    if i % 200 == 199:
        print(i, loss.item())

emb = C[Xtr]  # (n, 3, 10)
h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
logits = h @ W2 + b2
print("train", F.cross_entropy(logits, Ytr).item())
emb = C[Xdev]
h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
logits = h @ W2 + b2
print("dev", F.cross_entropy(logits, Ydev).item())

# sample from the model
torch.manual_seed(2147483647 + 10)
for _ in range(5):
    out = []
    context = [0] * block_size  # initialize with all ...
    while True:
        emb = C[torch.tensor([context])]  # (1, block_size, d)
        h = torch.tanh(emb.view(1, -1) @ W1 + b1)
        logits = h @ W2 + b2
        probs = F.softmax(logits, dim=1)
        ix = torch.multinomial(probs, num_samples=1).item()
        context = context[1:] + [ix]
        out.append(ix)
        if ix == 0:
            break
    print("sample", ''.join([itos[i] for i in out]))
