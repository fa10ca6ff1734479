// swift-tools-version: 6.1
// tensorbook: a notebook-style REPL for learning and teaching neural networks.
// Module layout and import rules: see ARCHITECTURE.md (and DESIGN.md §2).
import PackageDescription

/// Release-only optimisation flags for the numeric library targets (see PLATFORM.md "Speed").
let fastRelease: [SwiftSetting] = [
    .unsafeFlags(
        ["-Ounchecked", "-enforce-exclusivity=unchecked", "-cross-module-optimization", "-target-cpu", "haswell"],
        .when(configuration: .release)),
]

/// Release-only: the CPU the engine is compiled for, on every other target that calls into it.
/// With cross-module optimisation a client module emits its own copies of the engine's generic
/// kernels (`Elementwise.map` for GELU, tanh, sigmoid), and the linker keeps one copy of each: a
/// copy compiled without FMA turned every `addingProduct` into a call to libm's `fmaf` and made
/// the GELU of a tiny GPT 3x slower. Every target that can hold such a copy gets the same CPU.
let engineClient: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release)),
]

/// Release-only flags for the interpreter: no dynamic exclusivity checks on its scopes (each
/// variable write otherwise pays a runtime access check), but arithmetic and bounds stay checked.
let interpreterRelease: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "tensorbook",
    products: [
        .library(name: "Kernels", targets: ["Kernels"]),
        .library(name: "TensorEngine", targets: ["TensorEngine"]),
        .library(name: "NeuralNetworks", targets: ["NeuralNetworks"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Language", targets: ["Language"]),
        .library(name: "Builtins", targets: ["Builtins"]),
        .library(name: "Kernel", targets: ["Kernel"]),
        .library(name: "Notebooks", targets: ["Notebooks"]),
        .executable(name: "tensorbook", targets: ["tensorbook"]),
    ],
    dependencies: [
        // CSV parsing (quoted fields, embedded newlines) for `csv(...)` and the movie reviews.
        .package(url: "https://github.com/swiftcsv/SwiftCSV", exact: "0.10.0"),
        // Markdown → HTML for the prose of exported notebooks.
        .package(url: "https://github.com/JohnSundell/Ink", exact: "0.6.0"),
        // The command line: subcommands, help, errors and shell completion scripts.
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // System libraries: a module map and a shim header each.
        // OpenBLAS from the pinned scipy-openblas32 wheel, which `make deps` installs into /usr/local.
        .systemLibrary(name: "CBLAS", pkgConfig: "scipy-openblas"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // Header only: a true eight-lane fused multiply-add for FastMath (see its shim.h).
        .systemLibrary(name: "CVectorMath"),

        // Engine side.
        .target(name: "Kernels", dependencies: ["CBLAS", "CVectorMath"], swiftSettings: fastRelease),
        .target(name: "TensorEngine", dependencies: ["Kernels"], swiftSettings: fastRelease),
        .target(name: "NeuralNetworks", dependencies: ["TensorEngine", "Kernels"], swiftSettings: fastRelease),
        .target(
            name: "Datasets", dependencies: ["TensorEngine", "CZlib", .product(name: "SwiftCSV", package: "SwiftCSV")],
            swiftSettings: fastRelease),
        .target(name: "Training", dependencies: ["NeuralNetworks", "Datasets", "Kernels"], swiftSettings: fastRelease),
        .target(name: "Lessons", dependencies: ["Training", "NeuralNetworks", "Datasets", "TensorEngine", "Display"], swiftSettings: engineClient),

        // Language side.
        .target(name: "Diagnostics"),
        .target(name: "Display"),
        .target(name: "Language", dependencies: ["Diagnostics", "Display"], swiftSettings: interpreterRelease),
        .target(name: "Terminal", dependencies: ["Display", "Diagnostics", "CPNG"]),
        .target(name: "Notebooks", dependencies: ["Language", "Diagnostics", "Display", .product(name: "Ink", package: "Ink")]),
        .target(name: "REPL", dependencies: ["Language", "Terminal", "Display", "Diagnostics", "CLibEdit"]),
        .target(name: "Kernel", dependencies: ["Language", "Display", "Diagnostics", "CZMQ", "CCrypto"]),
        .target(name: "Builtins", dependencies: ["Language", "Diagnostics", "Display", "TensorEngine", "NeuralNetworks", "Datasets", "Training", "Lessons"],
                swiftSettings: engineClient),

        // The executable: glue only.
        .executableTarget(
            name: "tensorbook",
            dependencies: ["Builtins", "Language", "Diagnostics", "Display", "Terminal", "REPL", "Notebooks", "Kernel", "TensorEngine", "Training",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: engineClient),

        // Test-only helpers.
        .target(name: "TestSupport", dependencies: ["TensorEngine"], exclude: ["README.md"], swiftSettings: engineClient),

        // Examples.
        .executableTarget(name: "engine-demo", dependencies: ["TensorEngine"], path: "Examples/EngineDemo", swiftSettings: engineClient),

        // Tests: one target per module.
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "TestSupport"], swiftSettings: engineClient),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine", "TestSupport"], swiftSettings: engineClient),
        .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "TestSupport"], swiftSettings: engineClient),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TestSupport"], swiftSettings: engineClient),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "TestSupport"], swiftSettings: engineClient),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Builtins", "Language", "Diagnostics", "TestSupport"], swiftSettings: engineClient),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"], swiftSettings: engineClient),
        .testTarget(name: "LanguageTests", dependencies: ["Language"], swiftSettings: engineClient),
        .testTarget(name: "NotebooksTests", dependencies: ["Notebooks", "Builtins", "Language", "Display", .product(name: "Ink", package: "Ink")], swiftSettings: engineClient),
        .testTarget(name: "KernelTests", dependencies: ["Kernel", "Language", "Display", "CZMQ"], swiftSettings: engineClient),
        .testTarget(name: "REPLTests", dependencies: ["REPL", "Notebooks", "Builtins", "Language", "Terminal", "Display", "Diagnostics"], swiftSettings: engineClient),
        .testTarget(name: "BuiltinsTests", dependencies: ["Builtins", "Language", "Diagnostics", "Display", "TensorEngine", "NeuralNetworks", "Training", "Datasets", "TestSupport"],
                    exclude: ["Scripts"], swiftSettings: engineClient),
    ],
    swiftLanguageModes: [.v6]
)
