import CZlib
import Foundation

/// An IDX file (the MNIST format): magic 0x00 0x00 type rank, then rank big-endian UInt32 sizes,
/// then the unsigned bytes. Reads gzipped or raw files (zlib passes raw files through).
public struct IDXFile: Sendable {
    /// The sizes from the header, e.g. [60000, 28, 28].
    public let dimensions: [Int]
    /// The data bytes, row-major.
    public let bytes: [UInt8]

    /// Reads and validates `path`: the magic number, the rank, and that the data length matches
    /// the sizes exactly (a truncated or padded file is an error naming both numbers).
    public init(path: String, expectedRank: Int) throws(DatasetError) {
        try self.init(bytes: try Self.readAll(path), name: path, expectedRank: expectedRank)
    }

    /// Validates the bytes of an IDX file (already inflated); `name` appears in errors.
    public init(bytes contents: [UInt8], name path: String, expectedRank: Int) throws(DatasetError) {
        guard contents.count >= 4 else {
            throw DatasetError("\(path): file is \(contents.count) bytes long, too short for an IDX header")
        }
        guard contents[0] == 0, contents[1] == 0, contents[2] == 0x08 else {
            let magic = contents.prefix(4).map { String(format: "%02x", $0) }.joined()
            throw DatasetError("\(path): not an IDX file of unsigned bytes (magic number 0x\(magic), expected 0x000008\(String(format: "%02x", expectedRank)))",
                               hint: "the file may be corrupt; delete it and fetch the data again")
        }
        guard Int(contents[3]) == expectedRank else {
            throw DatasetError("\(path): IDX rank is \(contents[3]), expected \(expectedRank)")
        }
        let headerLength = 4 + 4 * expectedRank
        guard contents.count >= headerLength else {
            throw DatasetError("\(path): truncated header (\(contents.count) bytes, \(headerLength) needed)")
        }
        dimensions = (0..<expectedRank).map { axis in
            (0..<4).reduce(0) { $0 << 8 | Int(contents[4 + 4 * axis + $1]) }
        }
        let found = contents.count - headerLength
        // The claimed sizes (up to 2³² − 1 each) may multiply past Int: that is a corrupt
        // header, not a trap. Nothing is ever sized by them; the data is what the file holds.
        var expected = 1
        for size in dimensions {
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw DatasetError("\(path): the header claims sizes \(dimensions.map(String.init).joined(separator: "x")), more than the \(found) data bytes in the file",
                                   hint: "the file is truncated or corrupt; fetch it again")
            }
            expected = product
        }
        guard found == expected else {
            throw DatasetError("\(path): expected \(expected) data bytes for sizes \(dimensions.map(String.init).joined(separator: "x")), found \(found)",
                               hint: found < expected ? "the file is truncated; fetch it again" : "the file has trailing bytes; fetch it again")
        }
        bytes = Array(contents[headerLength...])
    }

    /// The whole file, inflated if gzipped.
    private static func readAll(_ path: String) throws(DatasetError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError("\(path): no such file")
        }
        guard let file = gzopen(path, "rb") else {
            throw DatasetError("\(path): cannot open the file")
        }
        defer { gzclose(file) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let read = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if read < 0 {
                throw DatasetError("\(path): corrupt gzip data", hint: "delete the file and fetch the data again")
            }
            if read == 0 { break }
            result.append(contentsOf: chunk[0..<Int(read)])
        }
        // A truncated stream ends like a short file; zlib reports it only through gzerror.
        var status: Int32 = 0
        _ = gzerror(file, &status)
        if status != Z_OK && status != Z_STREAM_END {
            throw DatasetError("\(path): the gzip data is truncated or corrupt (zlib error \(status))",
                               hint: "delete the file and fetch the data again")
        }
        return result
    }
}
