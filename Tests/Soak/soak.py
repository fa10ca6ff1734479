#!/usr/bin/env python3
"""Soak test (issue 15): one piped tensorbook session through many mixed statements.

Good statements, every class of bad input the session must survive (typos, syntax errors, wrong
arguments, wrong shapes, missing and corrupt files, absurd sizes, an exploding loss), Ctrl-C
during training, :reset, save and load. At the end the session must be alive, its variables must
hold what they should, and its resident memory must be within 10 % of what it was after the
first tenth of the run (no leak).

Usage: Tests/Soak/soak.py TENSORBOOK [--statements N] [--seed S]
Prints the figures and exits non-zero on any failed check.
"""
import argparse, os, queue, random, signal, subprocess, sys, tempfile, threading, time

parser = argparse.ArgumentParser()
parser.add_argument("tensorbook")
parser.add_argument("--statements", type=int, default=2000)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
rng = random.Random(args.seed)
folder = tempfile.mkdtemp(prefix="tensorbook-soak-")
model_path = os.path.join(folder, "model.safetensors")
corrupt_path = os.path.join(folder, "corrupt.safetensors")
with open(corrupt_path, "wb") as f:
    f.write(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all}")

GOOD = [
    "x = randn(64, 64)", "y = x @ x", "s = (y * y).sum()", "z = x.relu().mean()", "t = tensor([1.0, 2, 3]) * 2",
    "l = [1, 2, 3] + [4]", "count = count + 1",
    "def square(v):\n    return v * v\n", "q = square(7)", "for i in range(5):\n    acc = acc + i\n",
    "w = tensor([1.0, -2, 3], grad: true)\nloss = (w * w).sum()\nloss.backward()\n",
    "print f\"count {count}\"", "m = sequential(flatten, linear(784, 16), relu, linear(16, 10))",
    "train m on mnist.train[0:256] epochs 1 batch 64", "evaluate m on mnist.test[0:256]",
    "save m to \"%s\"" % model_path, "m2 = load \"%s\"" % model_path, "p = predict m on mnist.test[0:8]",
    "e = causal_mask(4)", "g = gpt(vocab: 10, context: 8, layers: 1, heads: 2, embed: 8)",
]
BAD = [
    "y = undefined_name + 1", "x = 1 + * 2", "x = )", "t = tensor([1, 2]) @ tensor([[1, 2, 3]])", "m = linear(3, 4, 5)",
    "k = zeros(100000, 100000, 100)", "l = linear(10000000, 10000000)", "bad = load \"%s\"" % corrupt_path,
    "bad = load \"%s\"" % os.path.join(folder, "missing.safetensors"), "n = tensor([1.0])[5]",
    "r = \"text\" + 3", "train nothing on mnist", "trian m on mnist", "zz = zeros(-1, 2)",
    "mx = sequential(flatten, linear(784, 10))\ntrain mx on mnist.train[0:1200] epochs 1 batch 600 lr 1e30 optimizer sgd\n",
    "f = csv(\"%s\", label: \"y\")" % os.path.join(folder, "nope.csv"),
]

process = subprocess.Popen([args.tensorbook, "--seed", str(args.seed)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, bufsize=1)
lines, errors, everything = queue.Queue(), [], []
threading.Thread(target=lambda: [(lines.put(l), everything.append(l)) for l in process.stdout], daemon=True).start()
threading.Thread(target=lambda: [errors.append(l) for l in process.stderr], daemon=True).start()

debug = os.environ.get("SOAK_DEBUG")

def send(text):
    if debug:
        print(">>", text.replace("\n", "\\n"), file=sys.stderr)
    process.stdin.write(text if text.endswith("\n") else text + "\n")
    if "\n" in text.rstrip("\n") or text.rstrip().endswith("("):
        process.stdin.write("\n")  # a block, or an unclosed bracket, ends at a blank line
    process.stdin.flush()

def wait_for(marker, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            line = lines.get(timeout=deadline - time.time())
        except queue.Empty:
            break
        if debug:
            print("<<", line.rstrip(), file=sys.stderr)
        if line.strip() == marker:
            return True
    sys.exit(f"soak: the session did not answer {marker!r} within {timeout} s (alive: {process.poll() is None})")

def resident_kib():
    with open(f"/proc/{process.pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))

def define_sentinels():
    send("keep = 42\ncount = 0\nacc = 0\nname = \"soak\"")

define_sentinels()
kinds = {"good": 0, "bad": 0, "interrupt": 0, "reset": 0}
baseline = None
start = time.time()
for n in range(1, args.statements + 1):
    roll = rng.random()
    if roll < 0.01:
        send("train m on mnist epochs 20 batch 64")
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        kinds["interrupt"] += 1
    elif roll < 0.015:
        send(":reset")
        define_sentinels()
        send("m = sequential(flatten, linear(784, 16), relu, linear(16, 10))")
        kinds["reset"] += 1
    elif roll < 0.45:
        send(rng.choice(BAD))
        kinds["bad"] += 1
    else:
        send(rng.choice(GOOD))
        kinds["good"] += 1
    if n == 1:
        send("m = sequential(flatten, linear(784, 16), relu, linear(16, 10))")
    if n % 50 == 0:
        send(f'print "mark {n}"')
        wait_for(f"mark {n}")
        if debug:
            print(f"rss at {n}: {resident_kib() / 1024:.1f} MiB", file=sys.stderr)
        if baseline is None and n >= args.statements // 10:
            baseline = (n, resident_kib())

send('print keep, name, "end"')
wait_for("42 soak end")
final = resident_kib()
send(":quit")
process.stdin.close()
status = process.wait(timeout=60)
seconds = time.time() - start
growth = (final - baseline[1]) / baseline[1]
stopped = sum("stopped by Ctrl-C" in l for l in everything + errors)
print(f"soak: {args.statements} statements ({kinds['good']} good, {kinds['bad']} bad, {kinds['interrupt']} Ctrl-C in training, "
      f"{kinds['reset']} :reset) in {seconds:.0f} s; {len(errors)} error lines on stderr; {stopped} trainings stopped by Ctrl-C")
print(f"soak: resident memory {baseline[1] / 1024:.1f} MiB after statement {baseline[0]}, {final / 1024:.1f} MiB at the end "
      f"({growth * 100:+.1f} %); exit status {status}")
failures = []
if status != 0 and status != 65:
    failures.append(f"exit status {status}")
if any("internal error" in l or "Fatal error" in l for l in errors):
    failures.append("an internal error: " + next(l for l in errors if "internal error" in l or "Fatal error" in l))
if stopped < kinds["interrupt"]:
    failures.append(f"{kinds['interrupt']} Ctrl-C sent during training, but only {stopped} trainings said they stopped")
if growth > 0.10:
    failures.append(f"resident memory grew {growth * 100:.1f} % (more than 10 %)")
if failures:
    sys.exit("soak: FAILED: " + "; ".join(failures))
print("soak: 1 passed, 0 failed")
