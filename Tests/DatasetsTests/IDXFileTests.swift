import Datasets
import Foundation
import Testing

@Suite struct IDXFileTests {
    func temporaryFile(_ bytes: [UInt8], gzip: Bool = false) throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("tensorbook-idx-\(UUID().uuidString)")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        guard gzip else { return path }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-f", "-n", path]
        try process.run()
        process.waitUntilExit()
        return path + ".gz"
    }

    func message(_ path: String, rank: Int = 1) -> String {
        do { _ = try IDXFile(path: path, expectedRank: rank); return "" } catch { return error.message }
    }

    @Test func readsRawAndGzippedFiles() throws {
        let bytes: [UInt8] = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]
        for gzip in [false, true] {
            let path = try temporaryFile(bytes, gzip: gzip)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let file = try IDXFile(path: path, expectedRank: 2)
            #expect(file.dimensions == [2, 3] && file.bytes == [1, 2, 3, 4, 5, 6])
        }
    }

    @Test func badFilesNameThePathAndTheProblem() throws {
        let cases: [([UInt8], Int, String)] = [
            ([0, 0, 9, 1, 0, 0, 0, 1, 7], 1, "not an IDX file of unsigned bytes (magic number 0x00000901, expected 0x00000801)"),
            ([0, 0, 8, 3, 0, 0, 0, 1], 1, "IDX rank is 3, expected 1"),
            ([0, 0, 8, 1, 0, 0], 1, "truncated header (6 bytes, 8 needed)"),
            ([0, 0, 8, 1, 0, 0, 0, 5, 1, 2], 1, "expected 5 data bytes for sizes 5, found 2"),
            ([0, 0, 8, 1, 0, 0, 0, 1, 1, 2], 1, "expected 1 data bytes for sizes 1, found 2"),
            ([1, 2], 1, "too short for an IDX header"),
            ([0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1], 3,
             "claims sizes 4294967295x4294967295x4294967295, more than the 1 data bytes"),
        ]
        for (bytes, rank, expected) in cases {
            let path = try temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let text = message(path, rank: rank)
            #expect(text.contains(expected) && text.hasPrefix(path), "\(text)")
        }
        #expect(message("/nonexistent/train.gz").contains("/nonexistent/train.gz: no such file"))
    }

    @Test func truncatedOrCorruptGzipIsAnError() throws {
        let payload: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 200] + (0..<200).map { UInt8($0 * 37 % 251) }
        let good = Array(try Data(contentsOf: URL(fileURLWithPath: try temporaryFile(payload, gzip: true))))
        var flipped = good
        flipped[12] ^= 0xFF  // inside the deflate data (the header is 10 bytes without a file name)
        for bytes in [Array(good.dropLast(20)), flipped] {
            let path = try temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(!message(path).isEmpty, "\(bytes.count) bytes")
        }
    }

    /// A gzip bomb (a small header, then 512 MB of zeros in a 500 KB file) stops at the bytes the
    /// header claims; a FIFO or /dev/zero is refused before it is opened (issue 33, item 3).
    @Test func aGzipBombAPipeAndADeviceAreErrors() throws {
        let folder = NSTemporaryDirectory() + "tensorbook-idx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bomb = folder + "/bomb.gz"
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        writer.arguments = ["python3", "-c", """
            import gzip, sys
            with gzip.open(sys.argv[1], "wb") as f:
                f.write(bytes([0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28]))
                for _ in range(512):
                    f.write(bytes(1 << 20))
            """, bomb]
        try writer.run()
        writer.waitUntilExit()
        #expect(message(bomb, rank: 3).contains("found"), "\(message(bomb, rank: 3))")
        #expect(message(bomb, rank: 3).contains("expected 7840 data bytes"))
        let fifo = folder + "/fifo.gz"
        mkfifo(fifo, 0o600)
        #expect(message(fifo) == "\(fifo): a pipe (FIFO), not a file")
        let zero = folder + "/zero.gz"
        try FileManager.default.createSymbolicLink(atPath: zero, withDestinationPath: "/dev/zero")
        #expect(message(zero) == "\(zero): a device, not a file")
        #expect(message(folder) == "\(folder): a folder, not a file")
    }
}

extension Error {
    /// The message of a DatasetError, or the description of anything else.
    var message: String { (self as? DatasetError)?.message ?? "\(self)" }
}
