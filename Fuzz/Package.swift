// swift-tools-version: 6.1
// libFuzzer targets: the lexer, parser and an interpreter with no engine behind it (LanguageFuzzer),
// and every file reader (ReaderFuzzer, FUZZ_TARGET=idx|safetensors|notebook|csv|text).
// Its own package: linking libFuzzer's driver needs --sanitize=fuzzer, so `make test` must not build it.
// Run: make fuzz   (see the Makefile for the exact commands and FUZZ_SECONDS).
import PackageDescription

let package = Package(
    name: "tensorbook-fuzz",
    dependencies: [.package(name: "tensorbook", path: "..")],
    targets: [
        .executableTarget(
            name: "LanguageFuzzer",
            dependencies: [.product(name: "Language", package: "tensorbook")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(
            name: "ReaderFuzzer",
            dependencies: [.product(name: "Datasets", package: "tensorbook"), .product(name: "NeuralNetworks", package: "tensorbook"),
                           .product(name: "Notebooks", package: "tensorbook"), .product(name: "TensorEngine", package: "tensorbook")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ],
    swiftLanguageModes: [.v6]
)
