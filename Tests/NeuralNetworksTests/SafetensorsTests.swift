import Foundation
import NeuralNetworks
import TensorEngine
import Testing

@Suite struct SafetensorsTests {
    func temporaryPath(_ name: String) -> String {
        (NSTemporaryDirectory() as NSString).appendingPathComponent("tensorbook-\(name)-\(UUID().uuidString).safetensors")
    }

    @Test func saveThenLoadRebuildsTheSameModel() throws {
        let model = try Presets.lenet()
        let path = temporaryPath("lenet")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Safetensors.save(model, to: path)
        let loaded = try Safetensors.load(from: path)
        #expect(loaded.specification == model.specification)
        let input = try Tensor.randn([2, 1, 28, 28])
        #expect(try loaded(input).scalars == (try model(input)).scalars)
    }

    /// Python's own `safetensors` package reads our file (installed by `make deps`).
    @Test func pythonSafetensorsReadsTheFile() throws {
        let model = try Presets.mlp([3, 4, 2])
        let path = temporaryPath("mlp")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Safetensors.save(model, to: path)
        let script = """
            import json, sys
            from safetensors.numpy import load_file
            from safetensors import safe_open
            tensors = load_file(sys.argv[1])
            with safe_open(sys.argv[1], framework="numpy") as f:
                metadata = f.metadata()
            print(json.dumps({name: [list(t.shape), [float(x) for x in t.flatten()]] for name, t in tensors.items()}))
            print(metadata["format"], json.loads(metadata["tensorbook.architecture"])["sequential"]["layers"][0]["linear"]["outputSize"])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        #expect(process.terminationStatus == 0 && lines.count == 2)
        guard lines.count == 2 else { return }
        let read = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: [Any]] ?? [:]
        for (name, tensor) in model.namedParameters {
            #expect((read[name]?[0] as? [Int]) == tensor.shape.dimensions, "\(name) shape")
            #expect((read[name]?[1] as? [Double])?.map(Float.init) == tensor.scalars, "\(name) values")
        }
        #expect(lines[1] == "pt 4")
    }

    @Test func missingAndCorruptFilesAreClearErrors() throws {
        let path = temporaryPath("bad")
        defer { try? FileManager.default.removeItem(atPath: path) }
        func loadError() -> String {
            do { _ = try Safetensors.load(from: path); return "" } catch { return error.message }
        }
        #expect(loadError().contains("no file at"))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(loadError().contains("too short to be a safetensors file (3 bytes)"))
        try Data([255, 255, 0, 0, 0, 0, 0, 0, 1, 2]).write(to: URL(fileURLWithPath: path))
        #expect(loadError().contains("header length 65535 exceeds the file's 2 remaining bytes"))
        try Data([4, 0, 0, 0, 0, 0, 0, 0] + Array("nope".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(loadError().contains("corrupt header"))
        let header = Array(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#.utf8)
        try Data([UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header + [0, 0, 0, 0]).write(to: URL(fileURLWithPath: path))
        #expect(loadError().contains("has no tensorbook architecture"))
        // A real file cut short: the data no longer covers the tensors.
        try Safetensors.save(try Presets.mlp([3, 4, 2]), to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 8).write(to: URL(fileURLWithPath: path))
        #expect(loadError().contains("the architecture needs"))
    }
}

extension Error {
    /// The message of a ModelError, or the description of anything else.
    var message: String { (self as? ModelError)?.message ?? "\(self)" }
}
