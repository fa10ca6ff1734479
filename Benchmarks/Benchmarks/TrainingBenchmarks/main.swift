// End-to-end training timings for the workloads of reference/pytorch-cpu-baseline.md: the same
// models, batch sizes, optimizer and data, timed the same way (training time per epoch: batch
// gather, forward, loss, backward, step), plus test accuracy and peak RSS.
//
// Usage: swift run -c release TrainingBenchmarks [cnn|lenet|mlp-mnist|lstm|lstm-layer|conv-parts|pool-fusion|cnn-eval|lenet-eval|essay-mlp|all] [epochs] [runs]
import Datasets
import Foundation
import Kernels
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

/// Evaluates an untrained model on the 10,000 test images at batch 64, 256 (`evaluate`'s default)
/// and 1000, alternating, `runs` × 5 times each (the cost does not depend on the weights); prints
/// the best and the median per batch size, for profiling `evaluate` alone.
func evaluateImages(_ name: String, make: () throws -> Sequential, data: DataSplits) throws {
    GlobalRandom.seed(0)
    let model = try make()
    let batchSizes = [64, 256]
    var seconds = [[Double]](repeating: [], count: batchSizes.count)
    for _ in 0..<(max(runs, 1) * 5) {
        for (slot, batchSize) in batchSizes.enumerated() {
            let start = Date()
            _ = try Training.evaluate(model, on: data.test, batchSize: batchSize)
            seconds[slot].append(Date().timeIntervalSince(start))
        }
    }
    for (slot, batchSize) in batchSizes.enumerated() {
        print(String(format: "%@ evaluation of %d images at batch %d: best %.3f s, median %.3f s over %d", name, data.test.count,
                     batchSize, seconds[slot].min() ?? .nan, median(seconds[slot]), seconds[slot].count))
    }
}

/// A model's ReLU → max-pool pairs fused (what `model(x)` runs) against the same layers called one
/// by one, alternating 100 times in one process: a no-grad forward at evaluation's batch of 256 and
/// a training forward + backward at 64. Best and median per path.
func poolFusion(_ name: String, make: () throws -> Sequential) throws {
    GlobalRandom.seed(0)
    let model = try make()
    let parameters = model.parameters
    for (label, batch, training) in [("no-grad forward", 256, false), ("forward + backward", 64, true)] {
        let images = try Tensor.randn([batch, 1, 28, 28])
        func step(_ forward: (Tensor) throws -> Tensor) throws -> Double {
            let start = Date()
            if training {
                for parameter in parameters { parameter.zeroGrad() }
                try forward(images).sum().backward()
            } else {
                _ = try GradientMode.withoutRecording { try forward(images) }
            }
            return Date().timeIntervalSince(start)
        }
        var (fused, separate) = ([Double](), [Double]())
        for _ in 0..<(max(runs, 1) * 100) {
            fused.append(try step { try model($0) })
            separate.append(try step { input in try model.layers.reduce(input) { try $1($0) } })
        }
        print(String(format: "%@ %@, batch %d: layer by layer best %.0f µs (median %.0f), ReLU+pool fused best %.0f µs (median %.0f)",
                     name, label, batch, separate.min()! * 1e6, median(separate) * 1e6, fused.min()! * 1e6, median(fused) * 1e6))
    }
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

/// The seed LSTM's layer alone at its training shape (batch 64, 50 steps, 64 → 128): forward and
/// forward + backward per batch, best of many (this host's noise is one-sided), to see where an
/// epoch's time goes.
func lstmLayer() throws {
    GlobalRandom.seed(0)
    let layer = try LSTM(inputSize: 64, hiddenSize: 128)
    let input = try Tensor.randn([64, 50, 64])
    var medians: [Double] = []
    func timed(_ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<max(runs, 1) * 200 {
            let start = Date()
            try body()
            times.append(Date().timeIntervalSince(start))
        }
        medians.append(median(times) * 1000)
        return times.min()! * 1000
    }
    let forward = try timed { _ = try GradientMode.withoutRecording { try layer(input) } }
    let training = try timed { try layer(input).sum().backward() }
    func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        for i in 0..<count { pointer[i] = Float.random(in: -1...1) }
        return pointer
    }
    let h = buffer(64 * 50 * 128), w = buffer(512 * 128), gates = buffer(64 * 50 * 512)
    let cells = buffer(64 * 50 * 128), tanhs = buffer(64 * 50 * 128), outs = buffer(64 * 50 * 128)
    let stepGemm = timed {
        for t in 1..<50 {
            Gemm.multiply(transposeA: false, transposeB: true, m: 64, n: 512, k: 128, a: h + (t - 1) * 128, lda: 50 * 128,
                          b: w, ldb: 128, beta: 1, c: gates + t * 512, ldc: 50 * 512)
        }
    }
    let stepGemmSerial = timed {
        for t in 1..<50 {
            Gemm.multiply(transposeA: false, transposeB: true, m: 64, n: 512, k: 128, a: h + (t - 1) * 128, lda: 50 * 128,
                          b: w, ldb: 128, beta: 1, c: gates + t * 512, ldc: 50 * 512, parallel: false)
        }
    }
    let cell = timed {
        for t in 1..<50 {
            Recurrent.cellForward(gates: .init(gates, step: t, steps: 50, width: 512), previousCell: .init(cells, step: t - 1, steps: 50, width: 128),
                                  cell: .init(cells, step: t, steps: 50, width: 128), tanhCell: .init(tanhs, step: t, steps: 50, width: 128),
                                  hidden: .init(outs, step: t, steps: 50, width: 128), rows: 0..<64, hiddenSize: 128)
        }
    }
    print(String(format: "  49 recurrent GEMMs %.2f ms (one thread %.2f ms), 49 cell steps %.2f ms", stepGemm, stepGemmSerial, cell))
    stepProducts(h: h, w: w, gates: gates, buffer: buffer)
    // The whole seed-LSTM training step on one batch of token ids, and its parts.
    let model = try Presets.lstmClassifier(vocabularySize: 5000, embedding: 64, hidden: 128)
    let tokens = try Tensor.randint(0, 5000, [64, 50]), targets = try Tensor.randint(0, 2, [64, 1])
    let optimizer = Adam(learningRate: 0.001)
    let parameters = model.parameters
    let wholeStep = try timed {
        let loss = try Loss.binaryCrossEntropyWithLogits(model(tokens), targets)
        for parameter in parameters { parameter.zeroGrad() }
        try loss.backward()
        optimizer.update(parameters)
    }
    let adamStep = timed { optimizer.update(parameters) }
    let embedding = model.layers[0]
    let embeddingStep = try timed { try embedding(tokens).sum().backward() }
    print(String(format: "  whole training step %.2f ms (median %.2f): Adam %.2f ms, embedding forward + backward %.2f ms", wholeStep, medians[medians.count - 3], adamStep, embeddingStep))
    print(String(format: "LSTM layer 64x50x64 -> 128: forward %.2f ms, forward + backward %.2f ms per batch (157 batches an epoch)",
                 forward, training))
}

/// A 32-row piece's 49 step products five ways, alternating, first on one core and then on both
/// at once (as the layer runs them): the forward h·W_hhᵀ through OpenBLAS from W_hh [4H, H] (B
/// transposed) and from a stored W_hhᵀ [H, 4H], the backward dz·W_hh through OpenBLAS, and both
/// through `PackedGemm` with W_hh packed once. Also what packing W_hh costs.
func stepProducts(h: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>,
                  buffer: (Int) -> UnsafeMutablePointer<Float>) {
    let transposedW = buffer(128 * 512), dz = buffer(64 * 50 * 512), dh = buffer(64 * 128)
    let packedForward = PackedGemm.pack(w, ldb: 128, k: 128, n: 512, transposed: true, into: buffer(PackedGemm.packedCount(k: 128, n: 512)))
    let packedBackward = PackedGemm.pack(w, ldb: 128, k: 512, n: 128, transposed: false, into: buffer(PackedGemm.packedCount(k: 512, n: 128)))
    var packing = Double.infinity
    for _ in 0..<200 {
        let start = Date()
        _ = PackedGemm.pack(w, ldb: 128, k: 512, n: 128, transposed: false, into: UnsafeMutablePointer(mutating: packedBackward.pointer))
        packing = min(packing, Date().timeIntervalSince(start))
    }
    print(String(format: "  packing W_hh for PackedGemm: %.3f ms", packing * 1e3))
    for concurrentPieces in [1, 2] {
        var times: [[Double]] = Array(repeating: [], count: 5)
        for _ in 0..<max(runs, 1) * 200 {
            for way in 0..<5 {
                let start = Date()
                Parallel.forEachChunk(count: concurrentPieces, minimumPerChunk: 1) { pieces in
                    for piece in pieces {
                        let h = h + piece * 32 * 50 * 128, dz = dz + piece * 32 * 50 * 512
                        let gates = gates + piece * 32 * 50 * 512, dh = dh + piece * 32 * 128
                        for t in 1..<50 {
                            switch way {
                            case 0: Gemm.multiply(transposeA: false, transposeB: true, m: 32, n: 512, k: 128, a: h + (t - 1) * 128, lda: 50 * 128,
                                                  b: w, ldb: 128, beta: 1, c: gates + t * 512, ldc: 50 * 512, parallel: false)
                            case 1: Gemm.multiply(transposeA: false, transposeB: false, m: 32, n: 512, k: 128, a: h + (t - 1) * 128, lda: 50 * 128,
                                                  b: transposedW, ldb: 512, beta: 1, c: gates + t * 512, ldc: 50 * 512, parallel: false)
                            case 2: Gemm.multiply(transposeA: false, transposeB: false, m: 32, n: 128, k: 512, a: dz + t * 512, lda: 50 * 512,
                                                  b: w, ldb: 128, beta: 0, c: dh, ldc: 128, parallel: false)
                            case 3: PackedGemm.multiply(m: 32, a: h + (t - 1) * 128, lda: 50 * 128, packedForward, c: gates + t * 512,
                                                        ldc: 50 * 512, accumulate: true)
                            default: PackedGemm.multiply(m: 32, a: dz + t * 512, lda: 50 * 512, packedBackward, c: dh, ldc: 128, accumulate: false)
                            }
                        }
                    }
                }
                times[way].append(Date().timeIntervalSince(start))
            }
        }
        let figures = times.map { String(format: "%.2f ms (median %.2f)", $0.min()! * 1e3, median($0) * 1e3) }
        print("  a 32-row piece's 49 step products, \(concurrentPieces) core(s) busy: forward h·W_hhᵀ via OpenBLAS, B transposed \(figures[0]), "
              + "W_hhᵀ stored \(figures[1]); PackedGemm \(figures[3]) · backward dz·W_hh via OpenBLAS \(figures[2]); PackedGemm \(figures[4])")
    }
}

/// LeNet's patch-matrix unfolding (im2col) alone, then each layer's forward and backward (with dX
/// where the im2col path computes it), for a batch of 64 images, best of many.
func convolutionParts() {
    let geometries = [
        ("conv1 1x28x28 5x5 pad 2", Convolution.Geometry(batch: 64, inChannels: 1, height: 28, width: 28, outChannels: 6,
                                                         kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 2)),
        ("conv2 6x14x14 5x5", Convolution.Geometry(batch: 64, inChannels: 6, height: 14, width: 14, outChannels: 16,
                                                   kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0)),
        ("essay conv 1x28x28 3x3 pad 1", Convolution.Geometry(batch: 64, inChannels: 1, height: 28, width: 28, outChannels: 16,
                                                              kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)),
    ]
    for (name, g) in geometries {
        let imageSize = g.inChannels * g.height * g.width
        let images = (0..<(64 * imageSize)).map { Float($0 % 97) }
        var columns = [Float](repeating: 0, count: g.patchSize * g.outPixels)
        var best = Double.infinity
        for _ in 0..<max(runs, 1) * 200 {
            let start = Date()
            for n in 0..<64 { Convolution.imageToColumns(g, image: images.withUnsafeBufferPointer { $0.baseAddress! + n * imageSize }, columns: &columns) }
            best = min(best, Date().timeIntervalSince(start))
        }
        print(String(format: "im2col %@: %.1f µs per batch of 64", name, best * 1e6))
        let weight = (0..<(g.outChannels * g.patchSize)).map { Float(sin(Double($0))) }, bias = [Float](repeating: 0.1, count: g.outChannels)
        var output = [Float](repeating: 0, count: 64 * g.outChannels * g.outPixels)
        var weightGradient = weight, biasGradient = bias
        var (forward, backward) = (Double.infinity, Double.infinity)
        for _ in 0..<max(runs, 1) * 200 {
            let start = Date()
            Convolution.forward(g, input: images, weight: weight, bias: bias, output: &output)
            let middle = Date()
            Convolution.backward(g, input: images, weight: weight, upstream: output, inputGradient: nil,
                                 weightGradient: &weightGradient, biasGradient: &biasGradient)
            (forward, backward) = (min(forward, middle.timeIntervalSince(start)), min(backward, Date().timeIntervalSince(middle)))
        }
        var inputGradient = images, full = Double.infinity
        for _ in 0..<(Convolution.usesDirectKernel(g) ? 0 : max(runs, 1) * 200) {
            let start = Date()
            Convolution.backward(g, input: images, weight: weight, upstream: output, inputGradient: &inputGradient,
                                 weightGradient: &weightGradient, biasGradient: &biasGradient)
            full = min(full, Date().timeIntervalSince(start))
        }
        if full.isFinite { print(String(format: "  conv backward with dX %.1f µs per batch of 64", full * 1e6)) }
        let forwardKernel = Convolution.usesDirectKernel(g) ? "direct" : Convolution.usesImplicitForward(g) ? "implicit GEMM" : Convolution.usesNarrowForward(g) ? "narrow direct" : "im2col + GEMM"
        print(String(format: "  conv forward %.1f µs (%@), dW/db %.1f µs (%@) per batch of 64", forward * 1e6, forwardKernel,
                     backward * 1e6, Convolution.usesDirectKernel(g) ? "direct" : Convolution.usesImplicitWeightGradient(g) ? "implicit GEMM" : "im2col + GEMM"))
    }
    for (name, planes, side) in [("conv1's 64x6x28x28", 64 * 6, 28), ("conv2's 64x16x10x10", 64 * 16, 10)] {
        // Activations whose window maxima are as unpredictable as a trained layer's: pseudo-random signs.
        let x = (0..<(planes * side * side)).map { Float(sin(Double($0 * $0 % 7919))) }
        var out = [Float](repeating: 0, count: planes * side * side / 4), argmax = [Int32](repeating: 0, count: out.count)
        var dx = x
        var (forward, backward) = (Double.infinity, Double.infinity)
        for _ in 0..<max(runs, 1) * 200 {
            let start = Date()
            Pooling.maxForward(x, planes: planes, height: side, width: side, kernel: 2, stride: 2, &out, argmax: &argmax,
                               rectified: true)
            let middle = Date()
            Pooling.maxBackward(out, argmax: argmax, planes: planes, planeSize: side * side, outPlaneSize: side * side / 4, &dx)
            (forward, backward) = (min(forward, middle.timeIntervalSince(start)), min(backward, Date().timeIntervalSince(middle)))
        }
        print(String(format: "max-pool 2x2 (ReLU fused) of %@: %.1f µs, backward %.1f µs", name, forward * 1e6, backward * 1e6))
    }
}

switch workload {
case "lstm-layer": try lstmLayer(); exit(0)
case "conv-parts": convolutionParts(); exit(0)
case "pool-fusion": try poolFusion("LeNet", make: Presets.lenet); try poolFusion("essay CNN", make: Presets.cnn); exit(0)
default: break
}
let mnist = try MNIST.digits()
switch workload {
case "cnn": try trainImages("essay CNN", make: Presets.cnn, data: mnist)
case "lenet": try trainImages("LeNet", make: Presets.lenet, data: mnist)
case "mlp-mnist": try trainImages("MLP 784-128-10", make: { try Sequential([Flatten(), Presets.mlp([784, 128, 10])]) }, data: mnist)
case "lstm": try seedLSTM()
case "cnn-eval": try evaluateImages("essay CNN", make: Presets.cnn, data: mnist)
case "lenet-eval": try evaluateImages("LeNet", make: Presets.lenet, data: mnist)
case "essay-mlp": try essayMLP()
default:
    try essayMLP()
    try trainImages("MLP 784-128-10", make: { try Sequential([Flatten(), Presets.mlp([784, 128, 10])]) }, data: mnist)
    try trainImages("essay CNN", make: Presets.cnn, data: mnist)
    try trainImages("LeNet", make: Presets.lenet, data: mnist)
    try seedLSTM()
}
