import Foundation
import TensorEngine

/// Saves and loads models as safetensors files: an 8-byte little-endian header length, a JSON
/// header (name → dtype, shape, data offsets; `__metadata__` holds the architecture), then raw
/// little-endian float32 data. Python's `safetensors` reads these files as they are, and the
/// parameter names are PyTorch's `nn.Sequential` names ("0.weight", …).
public enum Safetensors {
    /// The metadata key holding the model's architecture as JSON.
    static let architectureKey = "tensorbook.architecture"

    /// Writes the model's parameters and architecture to `path` (atomically).
    public static func save(_ model: Sequential, to path: String) throws(ModelError) {
        let parameters = model.namedParameters
        var header: [String: Any] = [:]
        var offset = 0
        for (name, tensor) in parameters {
            header[name] = ["dtype": "F32", "shape": tensor.shape.dimensions, "data_offsets": [offset, offset + 4 * tensor.elementCount]]
            offset += 4 * tensor.elementCount
        }
        let architecture = String(decoding: (try? JSONEncoder().encode(model.specification)) ?? Data(), as: UTF8.self)
        header["__metadata__"] = ["format": "pt", architectureKey: architecture]
        guard var headerBytes = try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]) else {
            throw ModelError("save: could not encode the header for '\(path)'")
        }
        headerBytes.append(contentsOf: Array(repeating: UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8))
        var file = Data()
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerBytes)
        // Parameters in data-offset order; float32 is little-endian on every platform we run on.
        for (_, tensor) in parameters {
            tensor.withUnsafeScalars { file.append(UnsafeBufferPointer(start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: 4 * $0.count)) }
        }
        do {
            try file.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ModelError("save: cannot write '\(path)': \(error.localizedDescription)",
                             hint: "check that the folder exists and is writable")
        }
    }

    /// Rebuilds the model stored at `path`: its architecture from the metadata, its parameters from the data.
    public static func load(from path: String) throws(ModelError) -> Sequential {
        guard let file = FileManager.default.contents(atPath: path) else {
            throw ModelError("load: no file at '\(path)'", hint: "save a model first with: save model to \"\(path)\"")
        }
        return try load(file, name: path)
    }

    /// Rebuilds the model stored in the bytes of a safetensors file; `path` names it in errors.
    /// Every claimed length and offset is checked against the bytes before it is used.
    public static func load(_ file: Data, name path: String) throws(ModelError) -> Sequential {
        let (header, dataStart) = try parseHeader(file, path: path)
        guard let metadata = header["__metadata__"] as? [String: String], let architecture = metadata[architectureKey],
              let specification = try? JSONDecoder().decode(LayerSpecification.self, from: Data(architecture.utf8)) else {
            throw ModelError("load: '\(path)' has no tensorbook architecture in its metadata",
                             hint: "only files written by tensorbook's save can be loaded as models")
        }
        guard let model = try specification.makeLayer() as? Sequential else {
            throw ModelError("load: the architecture in '\(path)' is not a sequential model")
        }
        try requireDisjointRanges(header, path: path)
        for (name, parameter) in model.namedParameters {
            try copy(header[name], from: file, dataStart: dataStart, into: parameter, name: name, path: path)
        }
        return model
    }

    /// Two tensors whose data ranges overlap make a corrupt (or crafted) file.
    private static func requireDisjointRanges(_ header: [String: Any], path: String) throws(ModelError) {
        let ranges = header.compactMap { name, entry -> (name: String, start: Int, end: Int)? in
            guard let offsets = (entry as? [String: Any])?["data_offsets"] as? [Int], offsets.count == 2 else { return nil }
            return (name, offsets[0], offsets[1])
        }.sorted { ($0.start, $0.name) < ($1.start, $1.name) }
        for (previous, next) in zip(ranges, ranges.dropFirst()) where next.start < previous.end {
            throw ModelError("load: tensors '\(previous.name)' (bytes \(previous.start)..<\(previous.end)) and '\(next.name)' (bytes \(next.start)..<\(next.end)) in '\(path)' overlap",
                             hint: "the file is corrupt or was edited")
        }
    }

    private static func parseHeader(_ file: Data, path: String) throws(ModelError) -> ([String: Any], Int) {
        guard file.count >= 8 else {
            throw ModelError("load: '\(path)' is too short to be a safetensors file (\(file.count) bytes)")
        }
        let length = file.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(file.count - 8) else {
            throw ModelError("load: '\(path)' is not a safetensors file (header length \(length) exceeds the file's \(file.count - 8) remaining bytes)")
        }
        let headerData = file.subdata(in: 8..<(8 + Int(length)))
        guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw ModelError("load: '\(path)' has a corrupt header (not a JSON object)")
        }
        return (header, 8 + Int(length))
    }

    private static func copy(
        _ entry: Any?, from file: Data, dataStart: Int, into parameter: Tensor, name: String, path: String
    ) throws(ModelError) {
        guard let entry = entry as? [String: Any], let shape = entry["shape"] as? [Int],
              let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
            throw ModelError("load: '\(path)' has no tensor named '\(name)'", hint: "the file was not written for this architecture")
        }
        guard let dtype = entry["dtype"] as? String, dtype == "F32" else {
            throw ModelError("load: tensor '\(name)' in '\(path)' has dtype \(entry["dtype"].map { "\($0)" } ?? "none"); tensorbook reads F32",
                             hint: "save the weights as float32 (tensor.float() in PyTorch)")
        }
        // Order first, so no subtraction or sum below can overflow.
        guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= file.count - dataStart else {
            throw ModelError("load: tensor '\(name)' in '\(path)' claims bytes \(offsets[0])..<\(offsets[1]), outside the \(file.count - dataStart) bytes of data",
                             hint: "the file is truncated or was edited")
        }
        guard shape == parameter.shape.dimensions, offsets[1] - offsets[0] == 4 * parameter.elementCount else {
            throw ModelError("load: tensor '\(name)' in '\(path)' has shape \(Shape(shape)) and \(offsets[1] - offsets[0]) bytes; the architecture needs \(parameter.shape)",
                             hint: "the file is truncated or was edited")
        }
        parameter.updateScalars { destination in
            file.withUnsafeBytes { bytes in
                UnsafeMutableRawBufferPointer(destination).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: bytes[(dataStart + offsets[0])..<(dataStart + offsets[1])]))
            }
        }
    }
}
