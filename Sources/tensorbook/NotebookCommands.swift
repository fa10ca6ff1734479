import ArgumentParser
import Builtins
import Diagnostics
import Display
import Foundation
import Language
import Notebooks
import REPL
import Terminal
import Training

/// Options of `tensorbook run F.nb`.
struct NotebookOptions: ParsableArguments {
    @Flag(help: "Run on after a failing cell (the exit code still reports the failure).")
    var keepGoing = false
    @Flag(help: "Show each cell's prose and code and wait: Enter runs it, s skips it, q quits.")
    var step = false
    @Option(help: "Run only cell N (1-based).")
    var cell: Int?
    @Option(help: "Run cells 1 to N.")
    var until: Int?
    @Flag(help: "Write every cell's output into the notebook (atomically; nothing is written if a cell fails).")
    var record = false
    @Flag(help: "Compare fresh outputs with the recorded ones; a mismatch prints a diff and exits 1.")
    var check = false
    @Option(help: "Relative tolerance for numbers in --check.")
    var tolerance: Double = 0.01
    @Option(help: ArgumentHelp("Stop a cell that runs longer than this (an endless loop), as an error.", valueName: "seconds"))
    var timeout: Int?

    var runOptions: NotebookRunOptions { NotebookRunOptions(keepGoing: keepGoing, onlyCell: cell, untilCell: until, timeout: timeout) }

    func validate() throws {
        if let timeout, timeout < 1 { throw ValidationError("--timeout needs a whole number of seconds, at least 1") }
    }
}

/// `run F.nb`: runs, steps, records or checks a notebook.
enum NotebookMode {
    static func run(path: String, options: NotebookOptions, common: CommonOptions) throws {
        let session = ConsoleSession(seed: common.seed, showsTimings: common.time)
        guard let (document, source, original) = load(path, session) else { throw ExitCode(session.exitCode) }
        let runner = NotebookRunner(session: session.session, display: options.check ? nil : session.sink)
        let header = NotebookDocument.Header(version: Tensorbook.version, seed: common.seed.map(String.init) ?? "none")
        var quit = false
        let results = runner.run(document, path: path, options: options.runOptions, beforeCell: { index, cell in
            if RunSignals.wasInterrupted { quit = true }
            guard options.step, !quit else { return !quit }
            return Stepper.ask(prose: document.proseBeforeCells[index], cell: cell, number: index + 1, quit: &quit)
        }, afterCell: { result in
            if result.failed { session.report(result.diagnostics) } else if result.expectsError, !options.check {
                session.sink.emit(.text(result.diagnostics.map { DiagnosticRenderer(color: false).render($0) }.joined().trimmingCharacters(in: .newlines)))
            }
        })
        _ = source
        let failed = results.contains(where: \.failed)
        if options.check {
            let mismatches = Checker.compare(document, results, path: path, tolerance: options.tolerance, header: header)
            if failed { throw ExitCode(65) }
            if mismatches > 0 { throw ExitCode(1) }
        } else if options.record {
            try record(document, results, original: original, path: path, header: header, session: session)
        }
        if RunSignals.wasInterrupted { throw ExitCode(130) }
        if session.exitCode != 0 { throw ExitCode(session.exitCode) }
    }

    /// `--record`: writes the outputs unless a cell failed or Ctrl-C stopped the run; an edit saved
    /// while it ran is kept (the outputs go to F.nb.recorded, exit 75).
    private static func record(_ document: NotebookDocument, _ results: [CellResult], original: Data, path: String,
                               header: NotebookDocument.Header, session: ConsoleSession) throws {
        let errors = FileOutput(fileDescriptor: 2)
        if RunSignals.wasInterrupted {
            errors.write("\(path) was not changed: the run was stopped by Ctrl-C\n")
            throw ExitCode(130)
        }
        guard !results.contains(where: \.failed) else {
            errors.write("\(path) was not changed: a cell failed\n")
            throw ExitCode(65)
        }
        let recorded = document.recordedOutputs  // computed from the segments: once, not per cell
        let outputs = results.map { $0.ran ? $0.recordedText : recorded[$0.index]?.content ?? "" }
        do {
            if case .keptBoth(let aside) = try document.recording(outputs, header: header).write(to: path, unlessChangedFrom: original) {
                errors.write("\(path) changed while it ran, so it was left as it is: the recorded notebook is in \(aside)\n")
                throw ExitCode(75)
            }
        } catch let error as FileWriteError {
            session.reportInputOutputError(error.description, hint: "\(path) was left as it was")
            throw ExitCode(session.exitCode)
        }
    }

    /// Reads and parses a notebook, reporting problems (74 for I/O, 65 for a broken file); also
    /// gives the bytes read, so that `--record` can tell whether the file changed meanwhile.
    static func load(_ path: String, _ session: ConsoleSession) -> (NotebookDocument, SourceFile, Data)? {
        guard let bytes = FileManager.default.contents(atPath: path), let text = String(data: bytes, encoding: .utf8) else {
            session.reportInputOutputError("cannot read '\(path)'", hint: FileManager.default.fileExists(atPath: path) ? "is it UTF-8 text?" : "no such file")
            return nil
        }
        let source = SourceFile(name: path, text: text)
        do {
            return (try NotebookDocument(parsing: text), source, bytes)
        } catch {
            session.report([error.diagnostic(in: source)])
            return nil
        }
    }
}

/// `--check`: per-cell comparison with a diff for each mismatch.
enum Checker {
    static func compare(_ document: NotebookDocument, _ results: [CellResult], path: String, tolerance: Double,
                        header: NotebookDocument.Header) -> Int {
        let errors = FileOutput(fileDescriptor: 2)
        if let recorded = NotebookDocument.Header(in: document.text), recorded != header {
            errors.write("warning: \(path) was recorded with tensorbook \(recorded.version), seed \(recorded.seed); this run is \(header.version), seed \(header.seed)\n")
        }
        var mismatches = 0
        let (cells, outputs) = (document.cells, document.recordedOutputs)  // computed properties: once, not per cell
        for result in results where result.ran {
            let recorded = outputs[result.index]?.content ?? ""
            let cell = cells[result.index]
            let cellTolerance = max(tolerance, cell.tolerance ?? 0)
            if cell.isSample, OutputComparison.sameLength(recorded, result.recordedText) { continue }
            guard cell.isSample || !OutputComparison.matches(recorded, result.recordedText, tolerance: cellTolerance) else { continue }
            mismatches += 1
            let line = cell.fenceLine
            errors.write(OutputComparison.unifiedDiff(recorded, result.recordedText, oldLabel: "\(path):\(line) cell \(result.index + 1), recorded",
                                                      newLabel: "cell \(result.index + 1), now") + "\n")
        }
        let ran = results.filter(\.ran).count
        FileOutput(fileDescriptor: 1).write(mismatches == 0 ? "\(path): all \(ran) cells match\n" : "\(path): \(mismatches) of \(ran) cells differ\n")
        return mismatches
    }
}

/// `--step`: shows what comes next and waits for the teacher: Enter runs the cell, `s` skips
/// it, `q` (or Ctrl-C, Ctrl-D, end of input) quits; anything else asks again. On a terminal one
/// key press answers; piped input answers a line at a time.
enum Stepper {
    enum Answer: Equatable { case run, skip, quit }

    static let choices = "[Enter] run  [s] skip  [q] quit: "

    static func ask(prose: String, cell: NotebookDocument.Cell, number: Int, quit: inout Bool) -> Bool {
        let output = FileOutput(fileDescriptor: 1)
        let text = NotebookDocument.Header.removed(from: prose).trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty { output.write("\n" + text + "\n") }
        let code = cell.source.split(separator: "\n", omittingEmptySubsequences: false).map { "  │ " + $0 }.joined(separator: "\n")
        output.write("\n── cell \(number) " + String(repeating: "─", count: 40) + "\n\(code)\n" + choices)
        while true {
            let key = KeyInput.next()
            output.write("\n")  // the answer was not echoed: the cell's output starts on a line of its own
            guard let answer = answer(to: key) else {
                output.write("'\(key ?? "")' is not one of them; " + choices)
                continue
            }
            quit = answer == .quit
            return answer == .run
        }
    }

    /// What a key (or a piped line) means; nil when it means nothing.
    static func answer(to key: String?) -> Answer? {
        switch key?.lowercased() {
        case nil, "q", "\u{3}", "\u{4}": .quit
        case "", "\n": .run
        case "s": .skip
        default: nil
        }
    }
}

/// `tensorbook export F.nb --to md|html|ipynb [-o OUT]`.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a notebook and write a shareable copy with its outputs.")

    @ArgumentParser.Argument(help: "The notebook.") var file: String
    @Option(help: "md, html or ipynb.") var to: NotebookExport.Format
    @Option(name: .shortAndLong, help: "Where to write (default: the notebook's name with the new extension).") var output: String?
    @Flag(help: "Export the outputs recorded in the file instead of running it.") var recorded = false
    @OptionGroup var common: CommonOptions

    func run() throws {
        common.applyMemoryLimit()
        RunSignals.install()
        let session = ConsoleSession(seed: common.seed, showsTimings: false)
        guard let (document, _, _) = NotebookMode.load(file, session) else { throw ExitCode(session.exitCode) }
        let results: [CellResult]
        if recorded {
            results = document.recordedOutputs.enumerated().map { CellResult(index: $0, recordedText: $1?.content ?? "", ran: false) }
        } else {
            let runner = NotebookRunner(session: session.session, display: nil)
            results = runner.run(document, path: file, options: NotebookRunOptions(keepGoing: true), beforeCell: { _, _ in !RunSignals.wasInterrupted },
                                 afterCell: { result in if result.failed { session.report(result.diagnostics) } })
        }
        if RunSignals.wasInterrupted {
            FileOutput(fileDescriptor: 2).write("nothing was written: the export was stopped by Ctrl-C\n")
            throw ExitCode(130)
        }
        let text: String
        switch to {
        case .md: text = NotebookExport.markdown(document, results: results)
        case .ipynb: text = try NotebookExport.ipynb(document, results: results, pictures: PNGPictures())
        case .html: text = NotebookExport.html(document, results: results, title: (file as NSString).lastPathComponent, pictures: PNGPictures())
        }
        let destination = output ?? ((file as NSString).deletingPathExtension + "." + to.rawValue)
        try writeOrExit(Data(text.utf8), to: destination)
        FileOutput(fileDescriptor: 1).write("wrote \(destination)\n")
    }
}

extension NotebookExport.Format: ExpressibleByArgument {}

/// PNG pictures for the HTML export and the Jupyter kernel, from the terminal module's rasteriser.
struct PNGPictures: PNGProvider {
    func png(_ image: GrayImage) -> Data? { PNGEncoder.encode(Rasterizer.bitmap(of: image)) }
    func png(_ strip: ImageStrip) -> Data? { PNGEncoder.encode(Rasterizer.bitmap(of: strip)) }
    func png(_ plot: Plot) -> Data? { PNGEncoder.encode(Rasterizer.bitmap(of: plot)) }
}

/// `tensorbook import F.ipynb [-o F.nb]`: a notebook run by the tensorbook kernel, back as `.nb`.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Turn a Jupyter notebook of the tensorbook kernel into a .nb file with its outputs.")

    @ArgumentParser.Argument(help: "The .ipynb file.") var file: String
    @Option(name: .shortAndLong, help: "Where to write (default: the notebook's name with .nb).") var output: String?

    func run() throws {
        let errors = FileOutput(fileDescriptor: 2)
        guard let data = FileManager.default.contents(atPath: file) else {
            errors.write("error: cannot read '\(file)'\n  hint: \(FileManager.default.fileExists(atPath: file) ? "check its permissions" : "no such file")\n")
            throw ExitCode(74)
        }
        let document: NotebookDocument
        do throws(NotebookError) {
            document = try IPythonNotebook.importing(data, version: Tensorbook.version)
        } catch {
            errors.write(DiagnosticRenderer(color: false).render(error.diagnostic(in: SourceFile(name: file, text: ""))))
            throw ExitCode(65)
        }
        let destination = output ?? ((file as NSString).deletingPathExtension + ".nb")
        try writeOrExit(Data(document.text.utf8), to: destination)
        FileOutput(fileDescriptor: 1).write("wrote \(destination)\n")
    }
}

/// `tensorbook compare A.nb B.nb`: do two notebooks record the same outputs (as `--check` compares)?
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the recorded outputs of two notebooks with the same cells, as --check does; a difference prints a diff and exits 1.")

    @ArgumentParser.Argument(help: "The reference notebook (its cells' tolerances apply).") var reference: String
    @ArgumentParser.Argument(help: "The notebook to compare with it.") var other: String
    @Option(help: "Relative tolerance for numbers.") var tolerance: Double = 0.01

    func run() throws {
        let session = ConsoleSession(seed: nil, showsTimings: false)
        guard let (document, _, _) = NotebookMode.load(reference, session), let (compared, _, _) = NotebookMode.load(other, session) else {
            throw ExitCode(session.exitCode)
        }
        guard document.cells.map(\.source) == compared.cells.map(\.source) else {
            FileOutput(fileDescriptor: 2).write("error: \(reference) and \(other) do not have the same cells\n  hint: compare a notebook with its own export, run or import\n")
            throw ExitCode(65)
        }
        let results = compared.recordedOutputs.enumerated().map { CellResult(index: $0, recordedText: $1?.content ?? "", ran: true) }
        let header = NotebookDocument.Header(in: compared.text) ?? .init(version: Tensorbook.version, seed: "none")
        if Checker.compare(document, results, path: reference, tolerance: tolerance, header: header) > 0 { throw ExitCode(1) }
    }
}

/// Writes a command's output file (`FileReplacement`); a full or read-only disk is one sentence
/// on standard error and exit 74.
func writeOrExit(_ data: Data, to path: String) throws {
    do {
        try FileReplacement.write(data, to: path)
    } catch {
        FileOutput(fileDescriptor: 2).write("error: \(error.description)\n")
        throw ExitCode(74)
    }
}
