#!/usr/bin/env python3
"""The bridge to PyTorch (issue 13, DESIGN.md §8), proven by PyTorch itself.

1. Same logits: for the essay CNN, LeNet, an MLP, the LSTM classifier, a GPT and two models written as
   classes (the essay's TextClassifier, and one with a list of parts and a hand-made weight), tensorbook trains briefly,
   saves its weights, exports the model as a PyTorch script and saves its own logits on 256 test
   examples. The exported module, loaded with those weights, must give the same logits (max abs
   difference <= 1e-4) on the same 256 examples read by the script's own data code.
2. Round trip (with --distributed): the exported essay-CNN script trains one epoch on the full MNIST
   under `torchrun --nproc_per_node 2` (gloo, CPU, loopback) and with one process: both >= 96.5 %
   test accuracy and within 0.5 points of each other. The torchrun weights load back into tensorbook
   (`load "..." into m`), whose `evaluate` gives the accuracy PyTorch printed, to 0.01 points.

    python3 Tests/Bridge/test_bridge.py .build/release/tensorbook [--distributed]
"""
import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time

import torch
from safetensors.torch import load_file

# name -> (model expression, dataset expression to train on, dataset whose test split feeds the logits)
MODELS = {
    "cnn": ("cnn()", "mnist.train[0:2000]", "mnist"),
    "lenet": ("lenet()", "mnist.train[0:2000]", "mnist"),
    "mlp": ("sequential(flatten, linear(784, 128), relu, linear(128, 10))", "mnist.train[0:2000]", "mnist"),
    "lstm": ("lstm_classifier(vocab: movie_reviews.vocab, embed: 16, hidden: 24)", "movie_reviews.train[0:1000]", "movie_reviews"),
    "gpt": ("gpt(vocab: characters.vocab, context: 16, layers: 2, heads: 2, embed: 32)", "characters.train[0:500]", "characters"),
    # Models written as classes (issue 34): export translates their code to an nn.Module.
    "text_classifier": ("TextClassifier(len(movie_reviews.vocab), 16, 24)", "movie_reviews.train[0:1000]", "movie_reviews"),
    "residual_mlp": ("ResidualMLP(784, 32, 10, blocks: 2)", "mnist.train[0:2000]", "mnist"),
    "subclass": ("Classifier(784, 32, 10)", "mnist.train[0:2000]", "mnist"),
}
# The essay's TextClassifier as tensorbook spells it (nn.Embedding -> embedding, nn.LSTM -> lstm,
# nn.Linear -> linear, nn.BCEWithLogitsLoss()(…) -> bce(…)), everything else as the essay writes it.
TEXT_CLASSIFIER = """
class TextClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim):
        super(TextClassifier, self).__init__()
        self.embedding = embedding(vocab_size, embed_dim)
        self.lstm = lstm(embed_dim, hidden_dim)
        self.fc = linear(hidden_dim, 1)

    def forward(self, text, labels=None):
        embeds = self.embedding(text)
        lstm_output, _ = self.lstm(embeds)
        logits = self.fc(lstm_output[:, -1, :])
        if labels is not None:
            loss = bce(logits, labels)
            return loss
        else:
            return logits
"""
# A class using what the translation must get right: a list of parts (nn.ModuleList), a weight made
# with grad: true (nn.Parameter), a session constant, a helper function, axis: (dim=), a loop, and a
# class based on another (super() to the base's __init__ and forward).
RESIDUAL_MLP = """
scale = 0.5
def halve(x):
    return x * scale
class Block:
    def __init__(self, width):
        self.fc = linear(width, width)
    def forward(self, x):
        return x + halve(relu(self.fc(x)))
class ResidualMLP:
    "Residual blocks between two linear layers."
    def __init__(self, d_in, width, d_out, blocks=1):
        self.first = linear(d_in, width)
        self.blocks = [Block(width) for i in range(blocks)]
        self.gain = ones(width, requires_grad=True)
        self.last = linear(width, d_out, bias: true)
    def forward(self, x):
        h = self.first(x.reshape(x.shape[0], -1))
        for block in self.blocks:
            h = block(h)
        centred = h - h.mean(axis: 1).reshape(-1, 1) if len(self.blocks) > 1 else h
        return self.last(centred * self.gain)
class Encoder:
    def __init__(self, d_in, width):
        self.fc = linear(d_in, width)
    def forward(self, x):
        return relu(self.fc(x.reshape(x.shape[0], -1)))
class Classifier(Encoder):
    "A class based on another: super() reaches the base's __init__ and forward."
    def __init__(self, d_in, width, classes):
        super().__init__(d_in, width)
        self.head = linear(width, classes)
    def forward(self, x):
        return self.head(super().forward(x))
"""
# What the models' data names mean in tensorbook (the character-level text of the reviews for the GPT).
SETUP = ['characters = text("movie_reviews", context: 16)', TEXT_CLASSIFIER, RESIDUAL_MLP]
TOLERANCE = 1e-4
EXAMPLES = 256


def tensorbook(binary, folder, *statements, seed=1):
    """Runs statements in one tensorbook session in `folder`; returns its output (fails loudly)."""
    arguments = [binary, "--seed", str(seed)]
    for statement in statements:
        arguments += ["-e", statement]
    result = subprocess.run(arguments, cwd=folder, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"tensorbook failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def import_script(path):
    """The exported script as a Python module (its main() does not run)."""
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_same_logits(binary, folder):
    for name, (model, train_data, test_data) in MODELS.items():
        tensorbook(binary, folder, *SETUP,
                   f"m = {model}", f"train m on {train_data} epochs 1",
                   f'save m to "{name}.safetensors"', f'export m to "{name}.py"',
                   f"x = {test_data}.test[0:{EXAMPLES}].x", f'save m(x) to "{name}.logits.safetensors"')
        subprocess.run([sys.executable, "-m", "py_compile", os.path.join(folder, f"{name}.py")], check=True)
        script = import_script(os.path.join(folder, f"{name}.py"))
        module = script.Model()
        script.load_weights(module, os.path.join(folder, f"{name}.safetensors"))
        module.eval()
        splits = script.read_splits(script.DATA)
        test = splits.get("test") or splits["validation"]  # a text's last 10 % is its validation split
        inputs = torch.stack([test[i][0] for i in range(EXAMPLES)])
        with torch.no_grad():
            ours = module(inputs)
        theirs = load_file(os.path.join(folder, f"{name}.logits.safetensors"))["tensor"]
        assert ours.shape == theirs.shape, f"{name}: PyTorch gives {list(ours.shape)}, tensorbook {list(theirs.shape)}"
        difference = (ours - theirs).abs().max().item()
        print(f"{name}: {sum(p.numel() for p in module.parameters()):,} parameters, "
              f"max |PyTorch - tensorbook| over {EXAMPLES} examples = {difference:.2e}", flush=True)
        assert difference <= TOLERANCE, f"{name}: logits differ by {difference} (> {TOLERANCE})"


def run_script(command, folder):
    """Runs an exported script; returns (test accuracy of the last epoch, seconds, output)."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    accuracies = re.findall(r"accuracy (\d+\.\d+)%", result.stdout)
    assert accuracies, f"no accuracy in:\n{result.stdout}"
    return float(accuracies[-1]), seconds, result.stdout


def check_distributed_round_trip(binary, folder):
    tensorbook(binary, folder, "m = cnn()", "train m on mnist epochs 1 batch 64", 'export m to "essay_cnn.py"')
    # torchrun itself (python -m torch.distributed.run is its entry point); --standalone rendezvous on
    # the loopback at a free port; torchrun gives each process OMP_NUM_THREADS=1.
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                "essay_cnn.py", "--save", "torchrun.safetensors"]
    two, two_seconds, output = run_script(torchrun, folder)
    print(output.strip())
    print(f"torchrun --nproc_per_node 2: test accuracy {two:.2f}% in {two_seconds:.1f} s (whole run)", flush=True)
    one, one_seconds, output = run_script([sys.executable, "essay_cnn.py", "--save", "single.safetensors"], folder)
    print(output.strip())
    print(f"one process: test accuracy {one:.2f}% in {one_seconds:.1f} s (whole run)", flush=True)
    assert two >= 96.5, f"torchrun reached {two}% (< 96.5%)"
    assert abs(one - two) <= 0.5, f"one process {one}% vs two {two}%"
    back = tensorbook(binary, folder, "m = cnn()", 'load "torchrun.safetensors" into m', "evaluate m on mnist")
    print(back.strip())
    ours = float(re.findall(r"accuracy (\d+\.\d+)%", back)[-1])
    assert abs(ours - two) <= 0.01 + 1e-9, f"tensorbook evaluates the torchrun weights to {ours}%, PyTorch printed {two}%"
    print(f"loaded back into tensorbook: {ours:.2f}% (PyTorch printed {two:.2f}%)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tensorbook")
    parser.add_argument("--distributed", action="store_true", help="also the full-MNIST torchrun round trip")
    args = parser.parse_args()
    binary = os.path.abspath(args.tensorbook)
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory(prefix="tensorbook-bridge-") as folder:
        check_same_logits(binary, folder)
        if args.distributed:
            check_distributed_round_trip(binary, folder)
    print("bridge: all checks passed")


if __name__ == "__main__":
    main()
