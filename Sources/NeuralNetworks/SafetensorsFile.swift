import Foundation
import TensorEngine

/// The safetensors format itself, with no model in it: an 8-byte little-endian header length, a
/// JSON header (tensor name → dtype, shape, data offsets; `__metadata__` → string pairs), then the
/// raw little-endian data. Reading checks every claimed length and offset against the bytes before
/// using it, so a corrupt or hostile file costs at most its own size.
public struct SafetensorsFile {
    /// Where one tensor's float32 data sits in the file.
    public struct Entry {
        public let shape: [Int]
        /// Byte range within `bytes`.
        let range: Range<Int>
    }

    /// The file's tensors by name (float32 only; other dtypes are refused when read).
    public let entries: [String: Entry]
    /// The `__metadata__` pairs.
    public let metadata: [String: String]
    /// The whole file.
    let bytes: Data
    /// The file's name for messages.
    public let name: String

    /// Parses and checks a file's bytes; `name` names it in errors.
    public init(_ bytes: Data, name: String) throws(ModelError) {
        let (header, dataStart) = try Self.header(of: bytes, name: name)
        var entries: [String: Entry] = [:]
        for (key, value) in header where key != "__metadata__" {
            entries[key] = try Self.entry(key, value, dataCount: bytes.count - dataStart, dataStart: dataStart, name: name)
        }
        try Self.requireDisjoint(entries, dataStart: dataStart, name: name)
        self.entries = entries
        self.metadata = (header["__metadata__"] as? [String: Any])?.compactMapValues { $0 as? String } ?? [:]
        self.bytes = bytes
        self.name = name
    }

    /// Reads the file at `path`.
    public init(path: String) throws(ModelError) {
        if let problem = RegularFile.problem(at: path), problem != "no such file" {
            throw ModelError("load: '\(path)' is \(problem)", hint: "load reads a .safetensors file that save wrote")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        do { try MemoryBudget.check([max(size / 4, 1)], for: "load: '\(path)' (\(MemoryBudget.describe(size)))") } catch {
            throw ModelError(error.message, hint: error.hint)
        }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw ModelError("load: no file at '\(path)'", hint: "save a model first with: save model to \"\(path)\"")
        }
        try self.init(bytes, name: path)
    }

    /// Copies the tensor called `key` into `destination`, whose shape it must have.
    public func copy(_ key: String, into destination: Tensor, hint: String = "the file was not written for this architecture") throws(ModelError) {
        guard let entry = entries[key] else {
            throw ModelError("load: '\(name)' has no tensor named '\(key)'", hint: hint)
        }
        guard entry.shape == destination.shape.dimensions, entry.range.count == 4 * destination.elementCount else {
            throw ModelError("load: tensor '\(key)' in '\(name)' has shape \(Shape(entry.shape)) and \(entry.range.count) bytes; the architecture needs \(destination.shape)",
                             hint: "the file is truncated or was edited, or was saved for another architecture")
        }
        destination.updateScalars { target in
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(target).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[entry.range]))
            }
        }
    }

    /// A new tensor holding the data of `key` (for state that has no tensor to copy into yet).
    public func tensor(_ key: String) throws(ModelError) -> Tensor {
        guard let entry = entries[key] else { throw ModelError("load: '\(name)' has no tensor named '\(key)'") }
        // The data's length bounds the allocation: the shape must account for exactly those bytes.
        let count = entry.shape.reduce(Int?(1)) { product, dimension in
            product.flatMap { product in
                let (result, overflow) = product.multipliedReportingOverflow(by: dimension)
                return overflow ? nil : result
            }
        }
        guard let count, count.multipliedReportingOverflow(by: 4) == (entry.range.count, false) else {
            throw ModelError("load: tensor '\(key)' in '\(name)' has shape \(Shape(entry.shape)) but \(entry.range.count) bytes of data",
                             hint: "the file is truncated or was edited")
        }
        let tensor: Tensor
        do { tensor = try Tensor.zeros(validating: entry.shape) } catch { throw ModelError(error) }
        try copy(key, into: tensor)
        return tensor
    }

    /// Whether the safetensors file at `path` was written by tensorbook (its metadata has a
    /// `tensorbook.` key): only the header is read. False for anything else, or no file.
    public static func isWrittenByTensorbook(atPath path: String) -> Bool {
        guard RegularFile.exists(at: path), let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let prefix = try? handle.read(upToCount: 8), prefix.count == 8 else { return false }
        let length = prefix.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length > 0, length < 100_000_000, let header = try? handle.read(upToCount: Int(length)),
              let json = try? JSONSerialization.jsonObject(with: header) as? [String: Any],
              let metadata = json["__metadata__"] as? [String: Any] else { return false }
        return metadata.keys.contains { $0.hasPrefix("tensorbook.") }
    }

    /// Writes float32 tensors and metadata to `path` atomically, in the given order.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String], to path: String) throws(ModelError) {
        var header: [String: Any] = ["__metadata__": metadata]
        var offset = 0
        for (name, tensor) in tensors {
            header[name] = ["dtype": "F32", "shape": tensor.shape.dimensions, "data_offsets": [offset, offset + 4 * tensor.elementCount]]
            offset += 4 * tensor.elementCount
        }
        guard var headerBytes = try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]) else {
            throw ModelError("save: could not encode the header for '\(path)'")
        }
        headerBytes.append(contentsOf: Array(repeating: UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8))
        var file = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerBytes)
        // Float32 is little-endian on every platform we run on.
        for (_, tensor) in tensors {
            tensor.withUnsafeScalars { file.append(UnsafeBufferPointer(start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: 4 * $0.count)) }
        }
        do {
            try file.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ModelError("save: cannot write '\(path)': \(error.localizedDescription)", hint: "check that the folder exists and is writable")
        }
    }

    private static func header(of file: Data, name: String) throws(ModelError) -> ([String: Any], Int) {
        guard file.count >= 8 else {
            throw ModelError("load: '\(name)' is too short to be a safetensors file (\(file.count) bytes)")
        }
        let length = file.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(file.count - 8) else {
            throw ModelError("load: '\(name)' is not a safetensors file (header length \(length) exceeds the file's \(file.count - 8) remaining bytes)")
        }
        let start = file.startIndex + 8
        guard let header = (try? JSONSerialization.jsonObject(with: file.subdata(in: start..<(start + Int(length))))) as? [String: Any] else {
            throw ModelError("load: '\(name)' has a corrupt header (not a JSON object)")
        }
        return (header, 8 + Int(length))
    }

    private static func entry(_ key: String, _ value: Any, dataCount: Int, dataStart: Int, name: String) throws(ModelError) -> Entry {
        guard let value = value as? [String: Any], let shape = value["shape"] as? [Int], let offsets = value["data_offsets"] as? [Int],
              offsets.count == 2 else {
            throw ModelError("load: tensor '\(key)' in '\(name)' has no shape or data offsets", hint: "the file is corrupt or was edited")
        }
        guard let dtype = value["dtype"] as? String, dtype == "F32" else {
            throw ModelError("load: tensor '\(key)' in '\(name)' has dtype \(value["dtype"].map { "\($0)" } ?? "none"); tensorbook reads F32",
                             hint: "save the weights as float32 (tensor.float() in PyTorch)")
        }
        // Order first, so no subtraction or sum below can overflow.
        guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataCount else {
            throw ModelError("load: tensor '\(key)' in '\(name)' claims bytes \(offsets[0])..<\(offsets[1]), outside the \(dataCount) bytes of data",
                             hint: "the file is truncated or was edited")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw ModelError("load: tensor '\(key)' in '\(name)' has a negative dimension in \(shape)", hint: "the file is corrupt or was edited")
        }
        return Entry(shape: shape, range: (dataStart + offsets[0])..<(dataStart + offsets[1]))
    }

    /// Two tensors whose data ranges overlap make a corrupt (or crafted) file.
    private static func requireDisjoint(_ entries: [String: Entry], dataStart: Int, name: String) throws(ModelError) {
        let ranges = entries.map { (name: $0.key, range: $0.value.range) }.sorted { ($0.range.lowerBound, $0.name) < ($1.range.lowerBound, $1.name) }
        for (previous, next) in zip(ranges, ranges.dropFirst()) where next.range.lowerBound < previous.range.upperBound {
            func bytes(_ range: Range<Int>) -> String { "bytes \(range.lowerBound - dataStart)..<\(range.upperBound - dataStart)" }
            throw ModelError("load: tensors '\(previous.name)' (\(bytes(previous.range))) and '\(next.name)' (\(bytes(next.range))) in '\(name)' overlap",
                             hint: "the file is corrupt or was edited")
        }
    }
}
