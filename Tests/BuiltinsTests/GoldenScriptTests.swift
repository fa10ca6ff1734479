import Builtins
import Diagnostics
import Display
import Foundation
import Language
import TensorEngine
import Testing

/// Annotated scripts (Tests/BuiltinsTests/Scripts/*.tb), run by one runner like
/// craftinginterpreters' tests: `# expect: TEXT` is the next line of output; `# error: TEXT`
/// is an error reported on that line whose message contains TEXT. Nothing else may be printed
/// or reported.
struct GoldenScript: CustomStringConvertible, Sendable {
    let path: String
    var description: String { (path as NSString).lastPathComponent }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts").path

    static var all: [GoldenScript] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".tb") }.sorted()
            .map { GoldenScript(path: (folder as NSString).appendingPathComponent($0)) }
    }
}

@Suite(.serialized) struct GoldenScriptTests {
    @Test func thereAreScripts() {
        #expect(GoldenScript.all.count >= 8)
    }

    @Test(arguments: GoldenScript.all)
    func scriptProducesItsAnnotations(_ script: GoldenScript) throws {
        let text = try String(contentsOfFile: script.path, encoding: .utf8)
        var expectedOutput: [String] = [], expectedErrors: [(line: Int, fragment: String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: "# expect: ") { expectedOutput.append(String(line[range.upperBound...])) }
            if let range = line.range(of: "# error: ") { expectedErrors.append((index + 1, String(line[range.upperBound...]))) }
        }
        GlobalRandom.seed(0)
        let sink = CollectingSink()
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: sink)
        let diagnostics = interpreter.run(SourceFile(name: script.description, text: text))
        let printed = sink.plainText()
        let output = printed.isEmpty ? [] : printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(output == expectedOutput, "output of \(script)")
        let reported = diagnostics.map { diagnostic in
            (line: diagnostic.span.map { $0.source.location(of: $0.start).line } ?? 0, message: diagnostic.message)
        }
        #expect(reported.count == expectedErrors.count, "errors of \(script): \(diagnostics.map(\.description))")
        for (expected, actual) in zip(expectedErrors, reported) {
            #expect(expected.line == actual.line && actual.message.contains(expected.fragment),
                    "\(script):\(expected.line): expected an error containing '\(expected.fragment)', got line \(actual.line): \(actual.message)")
        }
    }
}
