// swift-tools-version: 6.1
// The performance suite, kept in its own package so that `make test` and CI never build the
// benchmark harness. Run with `make bench` (see BENCHMARKS.md).
import PackageDescription

/// The engine's CPU on every target that may hold its own copy of an engine kernel (see the root
/// Package.swift: a copy without FMA calls libm's `fmaf` per element).
let engineClient: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))]

let package = Package(
    name: "tensorbook-benchmarks",
    dependencies: [
        .package(name: "tensorbook", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TensorEngine", package: "tensorbook"),
                .product(name: "Kernels", package: "tensorbook"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            swiftSettings: [.unsafeFlags(["-Ounchecked", "-target-cpu", "haswell"])],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LanguageBenchmarks",
            dependencies: [.product(name: "Builtins", package: "tensorbook"), .product(name: "Language", package: "tensorbook")],
            path: "Benchmarks/LanguageBenchmarks",
            swiftSettings: engineClient
        ),
        .executableTarget(
            name: "TrainingBenchmarks",
            dependencies: [.product(name: "Training", package: "tensorbook")],
            path: "Benchmarks/TrainingBenchmarks",
            swiftSettings: engineClient
        ),
    ],
    swiftLanguageModes: [.v6]
)
