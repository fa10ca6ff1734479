import CZlib
import Foundation
import TensorEngine

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
        try self.init(bytes: try Self.readAll(path, expectedRank: expectedRank), name: path, expectedRank: expectedRank)
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

    /// The whole file, inflated if gzipped. Only a regular file is opened (a FIFO would block the
    /// read forever, /dev/zero never end), and inflating stops as soon as the bytes pass what the
    /// header claims or what the memory budget leaves free: a gzip bomb is an error, not exit 70.
    private static func readAll(_ path: String, expectedRank: Int) throws(DatasetError) -> [UInt8] {
        if let problem = RegularFile.problem(at: path) {
            throw DatasetError("\(path): \(problem)", hint: problem == "no such file" ? nil : "point TENSORBOOK_DATA at the folder of the real IDX files")
        }
        guard let file = gzopen(path, "rb") else {
            throw DatasetError("\(path): cannot open the file")
        }
        defer { gzclose(file) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let headerLength = 4 + 4 * expectedRank
        // The IDX files tensorbook reads are under 50 MB, so a small --memory-limit still reads them.
        let budget = max(MemoryBudget.available, 256 << 20)
        var claimed: Int?  // header plus data bytes, once the header is in
        while true {
            let read = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if read < 0 {
                throw DatasetError("\(path): corrupt gzip data", hint: "delete the file and fetch the data again")
            }
            if read == 0 { break }
            result.append(contentsOf: chunk[0..<Int(read)])
            if claimed == nil, result.count >= headerLength, result[3] == UInt8(expectedRank) {
                claimed = claimedLength(result, rank: expectedRank)
            }
            if let claimed, result.count > claimed { break }  // init reports the trailing bytes
            if result.count > budget {
                throw DatasetError("\(path): inflates to more than the \(MemoryBudget.describe(budget)) of memory free for data",
                                   hint: "the file is corrupt (or a gzip bomb); fetch the data again")
            }
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

    /// The bytes an IDX file with this header holds in all (header included); Int.max when the
    /// claimed sizes overflow.
    private static func claimedLength(_ header: [UInt8], rank: Int) -> Int {
        var total = 1
        for axis in 0..<rank {
            let size = (0..<4).reduce(0) { $0 << 8 | Int(header[4 + 4 * axis + $1]) }
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            if overflow { return .max }
            total = product
        }
        return total > Int.max - 4 - 4 * rank ? .max : total + 4 + 4 * rank
    }
}
