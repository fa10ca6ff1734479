// Engine micro-benchmarks: GEMM through the Tensor API against raw cblas_sgemm in the same run,
// the essay CNN's first convolution and pooling, a large elementwise add, and the per-call
// overhead of a tiny op. Figures and the command to reproduce them are in BENCHMARKS.md.
import Benchmark
import CBLAS
import Kernels
import TensorEngine

/// Wall clock and throughput, two-second runs, after warm-up.
/// Nanosecond units for the per-call overhead of tiny operations.
private var fineTiming: Benchmark.Configuration {
    .init(metrics: [.wallClock, .throughput], timeUnits: .nanoseconds, warmupIterations: 3, maxDuration: .seconds(2),
          maxIterations: 1_000_000)
}

private var timing: Benchmark.Configuration {
    .init(metrics: [.wallClock, .throughput], timeUnits: .microseconds, warmupIterations: 3, maxDuration: .seconds(2),
          maxIterations: 1_000_000)
}

private func randomTensor(_ shape: Shape, seed: UInt64) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return try! Tensor.randn(shape, generator: &generator)
}

private func registerMatrixProducts() {
    for n in [256, 1024] {
        let a = randomTensor([n, n], seed: 1), b = randomTensor([n, n], seed: 2)
        Benchmark("sgemm \(n) Tensor.matmul", configuration: timing) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try a.matmul(b)) }
        }
        for threads in [1, 2] {
            Benchmark("sgemm \(n) raw cblas_sgemm, OpenBLAS \(threads) thread(s)", configuration: timing) { benchmark in
                var c = [Float](repeating: 0, count: n * n)
                let (x, y) = (a.scalars, b.scalars)
                scipy_openblas_set_num_threads(Int32(threads))
                defer { scipy_openblas_set_num_threads(1) }  // back to the engine's setting
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    scipy_cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, x, Int32(n),
                                y, Int32(n), 0, &c, Int32(n))
                }
                benchmark.stopMeasurement()
                blackHole(c)
            }
        }
    }
}

private func registerConvolutionAndPooling() {
    // The essay CNN's first layer: batch 64, 1 → 16 channels, 3×3, padding 1, 28×28.
    let images = randomTensor([64, 1, 28, 28], seed: 3)
    let weight = randomTensor([16, 1, 3, 3], seed: 4), bias = randomTensor([16], seed: 5)
    weight.requiresGrad = true
    bias.requiresGrad = true
    Benchmark("conv2d forward 64x1x28x28 -> 16 (3x3 pad 1)", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try GradientMode.withoutRecording { try images.conv2d(weight: weight, bias: bias, padding: 1) })
        }
    }
    Benchmark("conv2d forward+backward 64x1x28x28 -> 16 (3x3 pad 1)", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations {
            try images.conv2d(weight: weight, bias: bias, padding: 1).sum().backward()
            weight.zeroGrad()
            bias.zeroGrad()
        }
    }
    let activations = randomTensor([64, 16, 28, 28], seed: 6)
    Benchmark("maxpool2d forward 64x16x28x28 (2x2)", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try GradientMode.withoutRecording { try activations.maxPool2d(kernel: 2) }) }
    }
    let pooledInput = randomTensor([64, 16, 28, 28], seed: 7)
    pooledInput.requiresGrad = true
    Benchmark("maxpool2d forward+backward 64x16x28x28 (2x2)", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations {
            try pooledInput.maxPool2d(kernel: 2).sum().backward()
            pooledInput.zeroGrad()
        }
    }
}

private func registerElementwise() {
    let a = randomTensor([1 << 20], seed: 8), b = randomTensor([1 << 20], seed: 9)
    Benchmark("add 1M floats", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try a + b) }
    }
    // The tutorials' elementwise vocabulary against relu, per element (issue 35: within 1.2×).
    Benchmark("relu 1M floats", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(a.relu()) }
    }
    Benchmark("sin 1M floats", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(a.sin()) }
    }
    Benchmark("cos 1M floats", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(a.cos()) }
    }
    Benchmark("clamp 1M floats", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try a.clamped(low: -0.5, high: 0.5)) }
    }
    let mask = try! a.greater(Tensor(0))
    Benchmark("where 1M floats", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try Tensor.selecting(mask, a, b)) }
    }
    let table = randomTensor([27, 10], seed: 14)
    let rows = try! Tensor(shape: [32_768, 3], scalars: (0..<98_304).map { Float(($0 * 7) % 27) })
    Benchmark("index rows C[X], 32768x3 of a 27x10 table (983k floats out)", configuration: timing) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try table.indexed(by: [rows])) }
    }
    let x = randomTensor([8], seed: 10), y = randomTensor([8], seed: 11)
    Benchmark("tiny add, 8 floats, no gradient", configuration: fineTiming) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try x + y) }
    }
    let u = randomTensor([8], seed: 12), v = randomTensor([8], seed: 13)
    u.requiresGrad = true
    Benchmark("tiny add, 8 floats, recording a gradient", configuration: fineTiming) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try u + v) }
    }
    Benchmark("tiny forward+backward (a*b).sum().backward(), 8 floats", configuration: fineTiming) { benchmark in
        for _ in benchmark.scaledIterations {
            try (u * v).sum().backward()
            u.zeroGrad()
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    registerMatrixProducts()
    registerConvolutionAndPooling()
    registerElementwise()
}
