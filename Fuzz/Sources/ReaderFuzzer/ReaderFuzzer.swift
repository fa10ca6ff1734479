// libFuzzer over every file tensorbook reads (issue 15): the IDX reader (raw bytes, and gzip
// through a file), the safetensors reader, the .nb parser with its byte-exact printer, the CSV
// dataset loader and the character tokenizer. FUZZ_TARGET picks one per run (each has its own
// corpus and dictionary under Fuzz/readers/); `make fuzz` runs them all. A thrown error is a
// correct answer; a trap, an ASan report, or a notebook that does not print back to its own
// bytes is a finding.
import Datasets
import Foundation
import NeuralNetworks
import Notebooks
import TensorEngine

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The reader under test, from FUZZ_TARGET.
enum Target: String {
    case idx, safetensors, notebook, csv, text
}

nonisolated(unsafe) let target = Target(rawValue: ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "") ?? {
    fatalError("set FUZZ_TARGET to one of: idx, safetensors, notebook, csv, text")
}()

/// Where the gzip path of the IDX reader finds its input (one file per process).
let scratchFile = NSTemporaryDirectory() + "tensorbook-fuzz-\(getpid()).idx.gz"

/// One input through the chosen reader.
func fuzz(_ bytes: [UInt8]) {
    switch target {
    case .idx:
        // The first byte chooses the path: raw bytes, or a file read through zlib (gz or not).
        guard let first = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        if first & 1 == 0 {
            _ = try? IDXFile(bytes: rest, name: "fuzz.idx", expectedRank: first & 2 == 0 ? 1 : 3)
        } else {
            FileManager.default.createFile(atPath: scratchFile, contents: Data(rest))
            _ = try? IDXFile(path: scratchFile, expectedRank: first & 2 == 0 ? 1 : 3)
        }
    case .safetensors:
        if let model = try? Safetensors.load(Data(bytes), name: "fuzz.safetensors") { _ = model.parameterCount }
        // The paths `load "F" into MODEL` and a checkpoint's optimizer state take: every tensor the
        // header lists, read on its own, then the whole file into a fixed model (the checkpoint seed's architecture).
        guard let file = try? SafetensorsFile(Data(bytes), name: "fuzz.safetensors") else { return }
        for key in file.entries.keys { _ = try? file.tensor(key) }
        if let model = try? Sequential([Linear(inputSize: 3, outputSize: 4), ReLU(), Linear(inputSize: 4, outputSize: 2)]) {
            try? Safetensors.loadWeights(file, into: model)
        }
    case .notebook:
        let text = String(decoding: bytes, as: UTF8.self)
        guard let document = try? NotebookDocument(parsing: text) else { return }
        precondition(document.text == text, "the printer did not give back the parsed bytes")
    case .csv:
        _ = try? CSVData.load(text: String(decoding: bytes, as: UTF8.self), name: "fuzz.csv", label: "label")
    case .text:
        if let splits = try? TextCorpus.splits(of: String(decoding: bytes, as: UTF8.self), name: "fuzz", context: 4) {
            _ = splits.train.count
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzz(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@_cdecl("ReaderFuzzer_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = target
    // Architectures in a fuzzed header may ask for any size: the memory guard must refuse them
    // before ASan's allocator (or libFuzzer's malloc limit) sees the request.
    MemoryBudget.limit = 256 << 20
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
