// What the interpreter costs (DESIGN.md §3a): a training epoch written by hand against the `train`
// command (same batches, same engine calls), and a loop of pure interpretation against CPython.
//
// Usage: swift run -c release LanguageBenchmarks [epoch|loop|calls|vocabulary|all] [runs]
import Builtins
import Diagnostics
import Display
import Foundation
import Language

let arguments = CommandLine.arguments.dropFirst()
let workload = arguments.first ?? "all"
let runs = arguments.dropFirst().first.flatMap(Int.init) ?? 3

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

/// Seconds one run of `text` takes in `session` (parsing included), failing loudly on an error.
func seconds(_ text: String, in session: Session) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let diagnostics = session.run(SourceFile(name: "benchmark.tb", text: text))
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    if let error = diagnostics.first(where: { $0.severity == .error }) { fatalError("benchmark script failed: \(error)") }
    return elapsed
}

/// The essay's loop, as examples/essay-cnn-by-hand.tb writes it (without its printing).
let handWrittenEpoch = """
    def train_epoch(model, loader, optimizer, criterion):
        model.train()
        for batch_idx, (data, target) in enumerate(loader):
            optimizer.zero_grad()
            loss = criterion(model(data), target)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    train_epoch(model, batches(mnist.train, 64, shuffle: true), optimizer, cross_entropy)
    """

/// One essay-CNN epoch by the `train` command, then one written by hand, alternating, each on a
/// freshly seeded model (the same weights and batches for both).
func epochs() {
    let session = Session(registry: Builtins.makeRegistry(), sink: CollectingSink())
    _ = seconds("data = mnist", in: session)
    var command: [Double] = [], byHand: [Double] = []
    for run in 1...runs {
        _ = seconds("seed \(run)\nmodel = cnn()", in: session)
        command.append(seconds("history = train model on mnist epochs 1", in: session))
        _ = seconds("seed \(run)\nmodel = cnn()\noptimizer = adam(model, lr: 0.001)\nlosses = []", in: session)
        byHand.append(seconds(handWrittenEpoch, in: session))
        print(String(format: "run %d: train command %.3f s, written by hand %.3f s (%.3f×)", run, command.last!, byHand.last!, byHand.last! / command.last!))
    }
    print(String(format: "essay CNN epoch: train command median %.3f s, by hand median %.3f s: ratio %.3f×", median(command), median(byHand),
                 median(byHand) / median(command)))
}

/// `for i in range(1000000): s += i` at the top level, timed inside the process (start-up excluded).
func loop() {
    let session = Session(registry: Builtins.makeRegistry(), sink: CollectingSink())
    var times: [Double] = []
    for _ in 1...max(runs, 5) {
        times.append(seconds("s = 0\nfor i in range(1000000):\n    s += i", in: session))
    }
    print(String(format: "pure loop, 1,000,000 iterations: median %.1f ms (%.0f ns per iteration), fastest %.1f ms", median(times) * 1e3,
                 median(times) * 1e3, times.min()! * 1e3))
}

/// The call workloads of issue 34: 300,000 calls of `def sq(x): return x * x`, as a function
/// and as a method of an instance, in a loop at the top level (definitions made beforehand).
let callDefinitions = """
    def sq(x):
        return x * x
    class Squarer:
        def sq(self, x):
            return x * x
    squarer = Squarer()
    """
let callWorkloads = [
    ("function sq(i)", "s = 0\nfor i in range(300000):\n    s += sq(i)"),
    ("method squarer.sq(i)", "s = 0\nfor i in range(300000):\n    s += squarer.sq(i)"),
]

/// The function and method workloads alternating, `runs` rounds (at least 5), medians.
func calls() {
    let session = Session(registry: Builtins.makeRegistry(), sink: CollectingSink())
    _ = seconds(callDefinitions, in: session)
    var times = Array(repeating: [Double](), count: callWorkloads.count)
    for _ in 1...max(runs, 5) {
        for (index, workload) in callWorkloads.enumerated() { times[index].append(seconds(workload.1, in: session)) }
    }
    for (index, workload) in callWorkloads.enumerated() {
        print(String(format: "%@, 300,000 calls: median %.1f ms (%.0f ns per call), fastest %.1f ms", workload.0, median(times[index]) * 1e3,
                     median(times[index]) * 1e9 / 300_000, times[index].min()! * 1e3))
    }
}

/// Issue 35's speed bar: each new elementwise op on 1M floats against relu's time (100 calls per
/// run, so the interpreter's microsecond per statement is noise), and the index lookup C[X].
let vocabularyWorkloads = [
    ("relu", "y = relu(x)"), ("sin", "y = sin(x)"), ("cos", "y = cos(x)"), ("clamp", "y = x.clamp(min: -0.5, max: 0.5)"),
    ("where", "y = where(mask, x, x2)"), ("pow 2", "y = x ** 2"), ("C[X] (32768×3 rows of a 27×10 table)", "y = C[X]"),
]

func vocabulary() {
    let session = Session(registry: Builtins.makeRegistry(), sink: CollectingSink())
    _ = seconds("seed 1\nx = randn(1048576)\nx2 = randn(1048576)\nmask = x > 0\nC = randn(27, 10)\nX = randint(0, 27, [32768, 3])", in: session)
    var times = Array(repeating: [Double](), count: vocabularyWorkloads.count)
    for _ in 1...max(runs, 5) {
        for (index, workload) in vocabularyWorkloads.enumerated() {
            times[index].append(seconds("for i in range(100):\n    \(workload.1)", in: session) / 100)
        }
    }
    let relu = median(times[0])
    for (index, workload) in vocabularyWorkloads.enumerated() {
        print(String(format: "%@, 1M floats: median %.1f µs per call (%.2f× relu), fastest %.1f µs", workload.0, median(times[index]) * 1e6,
                     median(times[index]) / relu, times[index].min()! * 1e6))
    }
}

switch workload {
case "vocabulary": vocabulary()
case "epoch": epochs()
case "loop": loop()
case "calls": calls()
default:
    loop()
    calls()
    epochs()
}
