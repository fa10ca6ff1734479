import Foundation
import Glibc
import Notebooks
import Testing

/// `--record` and the other writers lose nothing (issue 33, item 5): an edit made meanwhile is
/// kept, links and permissions survive, no temporary file is left, Ctrl-C of `run` exits 130, a
/// disk that refuses the write is one sentence and exit 74.
@Suite(.serialized) struct RecordingSafetyTests {
    let folder: String = {
        let path = NSTemporaryDirectory() + "tensorbook-recording-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static let notebook = "Prose\n\n```nb\nprint 6 * 7\n```\n"

    private func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() }

    @Test func recordingThroughALinkWritesTheTargetAndKeepsItsMode() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = folder + "/lesson.nb", link = folder + "/link.nb"
        try Self.notebook.write(toFile: target, atomically: false, encoding: .utf8)
        chmod(target, 0o600)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "lesson.nb")
        let run = try runProgram(tensorbookBinary, ["run", link, "--record"], input: "")
        #expect(run.status == 0, "\(run.errors)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "lesson.nb")
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("```output\n42\n```"))
        var info = stat()
        stat(target, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(files() == ["lesson.nb", "link.nb"])
    }

    @Test func anEditSavedMeanwhileIsKeptAndTheRecordingGoesBeside() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/lesson.nb"
        try Self.notebook.write(toFile: path, atomically: false, encoding: .utf8)
        let read = try Data(contentsOf: URL(fileURLWithPath: path))
        let edited = Self.notebook + "\nA sentence the teacher added.\n"
        try edited.write(toFile: path, atomically: false, encoding: .utf8)
        let outcome = try FileReplacement.write(Data("recorded\n".utf8), to: path, unlessChangedFrom: read)
        #expect(outcome == .keptBoth(writtenTo: path + ".recorded"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == edited)
        #expect(try String(contentsOfFile: path + ".recorded", encoding: .utf8) == "recorded\n")
        #expect(try FileReplacement.write(Data("again\n".utf8), to: path, unlessChangedFrom: Data(edited.utf8)) == .replaced)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "again\n")
        #expect(files() == ["lesson.nb", "lesson.nb.recorded"])
    }

    @Test func aFolderThatRefusesTheWriteIsOneSentenceAndExit74() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/lesson.nb"
        try Self.notebook.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: FileWriteError.self) { try FileReplacement.write(Data(), to: folder + "/missing/x.nb") }
        do { try FileReplacement.write(Data(), to: folder + "/missing/x.nb") } catch {
            #expect(error.description == "cannot write '\(folder)/missing/x.nb': its folder does not exist")
        }
        // Root writes anywhere, so a read-only folder is shown with a directory in place of the file's folder.
        let blocked = folder + "/blocked"
        try "not a folder".write(toFile: blocked, atomically: false, encoding: .utf8)
        let export = try runProgram(tensorbookBinary, ["export", path, "--to", "md", "-o", blocked + "/out.md"], input: "")
        #expect(export.status == 74 && export.errors.hasPrefix("error: cannot write '\(blocked)/out.md': "), "\(export.errors)")
        #expect(!export.errors.contains("NSError") && export.errors.split(separator: "\n").count == 1)
    }

    @Test(arguments: ["run", "export"]) func ctrlCStopsARunWhichRecordsNothingAndExits130(_ command: String) throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/endless.nb"
        let text = "Endless\n\n```nb\nprint \"started\"\n```\n\n```nb\ni = 0\nwhile true:\n    i = i + 1\n```\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tensorbookBinary)
        process.arguments = command == "run" ? ["run", path, "--record"] : ["export", path, "--to", "html", "-o", folder + "/endless.html"]
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var seen = ""
        if command == "export" { usleep(1_500_000) }  // export shows nothing while it runs: into the endless cell by time
        while command == "run" && !seen.contains("started") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        usleep(200_000)
        kill(process.processIdentifier, SIGINT)
        let messages = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(messages)")
        #expect(messages.contains("stopped by Ctrl-C") && messages.contains(command == "run" ? "was not changed: the run was stopped by Ctrl-C"
                                                                            : "nothing was written: the export was stopped by Ctrl-C"), "\(messages)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(files() == ["endless.nb"])
    }

    @Test func anExpectErrorCellThatRunsCleanFailsRecordAndCheck() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/expect.nb"
        let text = "Expect\n\n```nb expect-error\nx = 1\n```\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let record = try runProgram(tensorbookBinary, ["run", path, "--record"], input: "")
        #expect(record.status == 65 && record.errors.contains("marked expect-error but ran without an error"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        let recorded = text + "\n```output\nerror: cell 1 is marked expect-error but ran without an error\nhint: fix the cell, or remove expect-error from its fence\n```\n"
        try recorded.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try runProgram(tensorbookBinary, ["run", path, "--check"], input: "").status == 65)
    }

    @Test func aNotebookWithCarriageReturnsAloneIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/cr.nb"
        try "Prose\r\r```nb\rprint 1\r```\r".write(toFile: path, atomically: false, encoding: .utf8)
        let run = try runProgram(tensorbookBinary, ["run", path], input: "")
        #expect(run.status == 65 && run.errors.contains("carriage return (CR) that is not followed by a line feed"), "\(run.errors)")
    }
}
