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
        #expect(loadError().contains("claims bytes 96..<104, outside the 96 bytes of data"), "\(loadError())")
    }

    /// A real saved model with its header rewritten by `edit` (the data left as it was).
    func editedFile(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        let path = temporaryPath("edited")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Safetensors.save(try Presets.mlp([3, 4, 2]), to: path)
        let file = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = file.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        var header = try JSONSerialization.jsonObject(with: file.subdata(in: 8..<(8 + length))) as! [String: Any]
        edit(&header)
        let newHeader = try JSONSerialization.data(withJSONObject: header)
        var result = Data()
        withUnsafeBytes(of: UInt64(newHeader.count).littleEndian) { result.append(contentsOf: $0) }
        return result + newHeader + file.suffix(from: 8 + length)
    }

    func loadError(_ file: Data) -> String {
        do { _ = try Safetensors.load(file, name: "m.safetensors"); return "" } catch { return error.message }
    }

    /// Offsets, dtypes and lengths a corrupt or hostile file may claim: each a clear error, and
    /// none allocates by the claimed size or overflows (issue 15; the fuzzer's seeds).
    @Test func claimedSizesAndOffsetsAreCheckedBeforeUse() throws {
        func entry(_ header: inout [String: Any], _ name: String = "0.weight", _ change: (inout [String: Any]) -> Void) {
            var tensor = header[name] as! [String: Any]
            change(&tensor)
            header[name] = tensor
        }
        #expect(loadError(try editedFile { entry(&$0) { $0["data_offsets"] = [-4, 44] } }).contains("claims bytes -4..<44"))
        #expect(loadError(try editedFile { entry(&$0) { $0["data_offsets"] = [8, 4] } }).contains("claims bytes 8..<4"))
        #expect(loadError(try editedFile { entry(&$0) { $0["data_offsets"] = [-(1 << 62), 1 << 62] } }).contains("claims bytes"))
        #expect(loadError(try editedFile { entry(&$0, "2.bias") { $0["data_offsets"] = [96, Int.max] } }).contains("outside the 104 bytes of data"))
        #expect(loadError(try editedFile { entry(&$0) { $0["data_offsets"] = [4, 52] } }).contains("overlap"))
        #expect(loadError(try editedFile { entry(&$0) { $0["data_offsets"] = [0, 44] } }).contains("the architecture needs [4, 3]"))
        #expect(loadError(try editedFile { entry(&$0) { $0["dtype"] = "BF16" } }).contains("has dtype BF16; tensorbook reads F32"))
        #expect(loadError(try editedFile { $0["0.weight"] = nil }).contains("has no tensor named '0.weight'"))
        // A 10 GB header length in an 8-byte prefix: refused before reading or allocating it.
        var huge = Data()
        withUnsafeBytes(of: UInt64(10_000_000_000).littleEndian) { huge.append(contentsOf: $0) }
        #expect(loadError(huge + Data("{}".utf8)).contains("header length 10000000000 exceeds the file's 2 remaining bytes"))
        // An architecture asking for absurd sizes meets the memory guard.
        let absurd = try editedFile { header in
            var metadata = header["__metadata__"] as! [String: String]
            metadata["tensorbook.architecture"] = metadata["tensorbook.architecture"]!.replacingOccurrences(of: "\"inputSize\":3", with: "\"inputSize\":300000000000")
            header["__metadata__"] = metadata
        }
        #expect(loadError(absurd).contains("needs"), "\(loadError(absurd))")
    }
}

extension Error {
    /// The message of a ModelError, or the description of anything else.
    var message: String { (self as? ModelError)?.message ?? "\(self)" }
}
