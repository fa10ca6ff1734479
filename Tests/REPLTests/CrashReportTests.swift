import Foundation
import Glibc
import Testing

/// If tensorbook itself fails, the user gets one paragraph and exit code 70, not a register dump
/// (issue 15, item 5). A real fault is simulated by sending SIGSEGV to a notebook run stuck in a
/// loop, so no test-only crash switch lives in the product.
@Suite struct CrashReportTests {
    @Test(arguments: [(SIGSEGV, "SIGSEGV: a bad memory access"),
                      (SIGILL, "SIGILL: a Swift runtime trap such as an overflow, or an instruction this CPU lacks, e.g. from an OPENBLAS_CORETYPE it cannot run")])
    func aFaultInANotebookCellIsOneParagraphAndExitCode70(signal: Int32, explanation: String) throws {
        let notebook = NSTemporaryDirectory() + "tensorbook-crash-\(UUID().uuidString).nb"
        try "# crash\n\n```nb\nx = 1\n```\n\n```nb\nwhile true:\n    x = x + 1\n```\n".write(toFile: notebook, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: notebook) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tensorbookBinary)
        process.arguments = ["run", notebook]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)  // into the endless second cell
        kill(process.processIdentifier, signal)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 70, "\(text)")
        #expect(text.contains("tensorbook stopped on an internal error (\(explanation)) while running \(notebook):8."), "\(text)")
        #expect(text.contains("This is a bug in tensorbook"))
        #expect(!text.contains("Registers:") && !text.contains("rax 0x"), "no register dump")
        let reportPath = try #require(text.components(separatedBy: "The backtrace is in ").last?.components(separatedBy: ";").first)
        defer { try? FileManager.default.removeItem(atPath: reportPath) }
        let report = try String(contentsOfFile: reportPath, encoding: .utf8)
        #expect(report.contains("backtrace") && report.contains("tensorbook"), "\(report)")
    }

    /// A crash in a .tb file names the statement's line (it always said line 1), and a symlink
    /// planted where the backtrace goes is not followed: the file it points at stays as it was.
    @Test func aCrashNamesItsStatementAndFollowsNoPlantedLink() throws {
        let folder = NSTemporaryDirectory() + "tensorbook-crash-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let script = folder + "/endless.tb", victim = folder + "/victim.txt"
        try "x = 1\ny = 2\nwhile true:\n    x = x + 1\n".write(toFile: script, atomically: true, encoding: .utf8)
        try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tensorbookBinary)
        process.arguments = ["run", script]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": folder]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        try FileManager.default.createSymbolicLink(atPath: folder + "/tensorbook-crash-\(process.processIdentifier).txt", withDestinationPath: victim)
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGSEGV)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 70)
        #expect(text.contains("while running \(script):3."), "\(text)")
        #expect(text.contains("No backtrace was written") && text.contains("is already there"), "\(text)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }
}
