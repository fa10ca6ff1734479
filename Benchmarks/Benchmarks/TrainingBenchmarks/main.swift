// End-to-end training timings for the workloads of reference/pytorch-cpu-baseline.md: the same
// models, batch sizes, optimizer and data, timed the same way (training time per epoch: batch
// gather, forward, loss, backward, step), plus test accuracy and peak RSS.
//
// Usage: swift run -c release TrainingBenchmarks [cnn|lenet|mlp-mnist|lstm|essay-mlp|all] [epochs] [runs]
import Datasets
import Foundation
import NeuralNetworks
import TensorEngine
import Training

let arguments = CommandLine.arguments.dropFirst()
let workload = arguments.first ?? "all"
let epochs = arguments.dropFirst().first.flatMap(Int.init) ?? 1
let runs = arguments.dropFirst(2).first.flatMap(Int.init) ?? 1

func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

/// Trains a fresh model `runs` times for `epochs` epochs; prints per-epoch seconds and test accuracy.
func trainImages(_ name: String, make: () throws -> Sequential, data: DataSplits) throws {
    var epochSeconds: [Double] = []
    for run in 1...runs {
        GlobalRandom.seed(UInt64(run - 1))
        let model = try make()
        let optimizer = Adam(learningRate: 0.001)
        for epoch in 1...epochs {
            let history = try Training.fit(model, on: data.train, optimizer: optimizer, configuration: TrainingConfiguration(epochs: 1))
            let start = Date()
            let metrics = try Training.evaluate(model, on: data.test)
            let evalSeconds = Date().timeIntervalSince(start)
            epochSeconds.append(history.epochs[0].seconds)
            print(String(format: "%@ run %d epoch %d: %.3f s/epoch (%.2f ms/step, %.1f GFLOP/s)  train loss %.4f  test acc %.4f  eval %.3f s",
                         name, run, epoch, history.epochs[0].seconds, 1000 * history.epochs[0].seconds / Double((data.train.count + 63) / 64),
                         history.cost.gigaflopsPerSecond, history.epochs[0].loss, metrics.accuracy ?? .nan, evalSeconds))
        }
    }
    print(String(format: "%@: median %.3f s/epoch over %d epoch(s); peak RSS %.0f MiB", name, median(epochSeconds), epochSeconds.count, peakResidentMiB()))
}

/// The essay's §4.3 MLP: 100 full-batch Adam steps on 1000 random rows.
func essayMLP() throws {
    var stepTimes: [Double] = []
    for run in 1...max(runs, 5) {
        GlobalRandom.seed(UInt64(run))
        let data = try SyntheticData.randomBinary(count: 1000, features: 10)
        let model = try Presets.mlp([10, 64, 1])
        let history = try Training.fit(model, on: data.train, optimizer: Adam(learningRate: 0.001),
                                       configuration: TrainingConfiguration(epochs: 100, batchSize: 1000, loss: .meanSquaredError, shuffle: false))
        stepTimes.append(history.cost.seconds / 100)
        if run == 1 {
            let test = try Training.evaluate(model, on: data.test, loss: .meanSquaredError)
            print(String(format: "essay MLP: loss %.4f → %.4f, test accuracy %.3f (labels are random)", history.epochs[0].loss,
                         history.epochs.last!.loss, test.accuracy ?? .nan))
        }
    }
    print(String(format: "essay MLP 10-64-1: median %.1f µs/step (100 full-batch Adam steps, %d runs)", median(stepTimes) * 1e6, stepTimes.count))
}

/// The baseline's seed LSTM: embedding 5000×64 → LSTM 128 → linear 1 on random sequences.
func seedLSTM() throws {
    GlobalRandom.seed(0)
    let count = 10_000, steps = 50
    let tokens = try Tensor.randint(0, 5000, [count, steps]).scalars
    let labels = try Tensor.randint(0, 2, [count]).scalars.map { Int32($0) }
    let data = Dataset(name: "random_sequences", features: tokens, exampleShape: [steps], labels: .classes(labels, classCount: 2))
    var epochSeconds: [Double] = []
    for run in 1...runs {
        let model = try Presets.lstmClassifier(vocabularySize: 5000, embedding: 64, hidden: 128)
        for _ in 1...epochs {
            let history = try Training.fit(model, on: data, optimizer: Adam(learningRate: 0.001))
            epochSeconds.append(history.epochs[0].seconds)
            print(String(format: "seed LSTM run %d: %.3f s/epoch (%.2f ms/step, %.1f GFLOP/s), loss %.4f", run, history.epochs[0].seconds,
                         1000 * history.epochs[0].seconds / 157, history.cost.gigaflopsPerSecond, history.epochs[0].loss))
        }
    }
    print(String(format: "seed LSTM: median %.3f s/epoch; peak RSS %.0f MiB", median(epochSeconds), peakResidentMiB()))
}

let mnist = try MNIST.digits()
switch workload {
case "cnn": try trainImages("essay CNN", make: Presets.cnn, data: mnist)
case "lenet": try trainImages("LeNet", make: Presets.lenet, data: mnist)
case "mlp-mnist": try trainImages("MLP 784-128-10", make: { try Sequential([Flatten(), Presets.mlp([784, 128, 10])]) }, data: mnist)
case "lstm": try seedLSTM()
case "essay-mlp": try essayMLP()
default:
    try essayMLP()
    try trainImages("MLP 784-128-10", make: { try Sequential([Flatten(), Presets.mlp([784, 128, 10])]) }, data: mnist)
    try trainImages("essay CNN", make: Presets.cnn, data: mnist)
    try trainImages("LeNet", make: Presets.lenet, data: mnist)
    try seedLSTM()
}
