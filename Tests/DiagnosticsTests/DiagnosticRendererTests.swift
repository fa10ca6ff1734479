import Diagnostics
import Testing

@Suite struct DiagnosticRendererTests {
    @Test func locationsCountLinesFromTheFirstLineAndColumnsInCharacters() {
        let source = SourceFile(name: "lesson.nb", text: "a = 1\nb = «2»\n", firstLine: 40)
        let offset = Array(source.text.utf8).firstIndex(of: UInt8(ascii: "2"))!
        let location = source.location(of: offset)
        #expect(location.line == 41 && location.column == 6, "the « before it is one character, two bytes")
        #expect(source.lineText(containing: offset) == "b = «2»")
    }

    @Test func rendersMessageLineCaretNotesAndHint() {
        let source = SourceFile(name: "t.tb", text: "x = (1,\n  2\ny = 3")
        let diagnostic = Diagnostic("'(' is never closed", at: SourceSpan(source: source, start: 4, end: 5), kind: .incompleteInput,
                                    hint: "close it with ')'", notes: [.init("the statement starts here", span: SourceSpan(source: source, start: 0, end: 1))])
        #expect(DiagnosticRenderer(color: false).render(diagnostic) == """
            t.tb:1:5: error: '(' is never closed
              |
            1 | x = (1,
              |     ^
            t.tb:1:1: note: the statement starts here
              |
            1 | x = (1,
              | ^
            hint: close it with ')'

            """)
    }

    @Test func tabsBecomeSpacesSoTheCaretLinesUp() {
        let source = SourceFile(name: "t", text: "\tx = y")
        let rendered = DiagnosticRenderer(color: false).render(Diagnostic("unknown name 'y'", at: SourceSpan(source: source, start: 5, end: 6)))
        #expect(rendered.contains("1 |  x = y\n  |      ^"))
    }

    @Test func aSpanRunningPastTheLineIsUnderlinedToItsEnd() {
        let source = SourceFile(name: "t", text: "f(1,\n 2)")
        let rendered = DiagnosticRenderer(color: false).render(Diagnostic("bad call", at: SourceSpan(source: source, start: 0, end: 9)))
        #expect(rendered.contains("1 | f(1,\n  | ^~~~~"))
    }

    @Test func diagnosticsWithoutALocation() {
        #expect(Diagnostic("cannot read 'x.nb'", at: nil, hint: "no such file").description == "error: cannot read 'x.nb'\nhint: no such file\n")
    }

    @Test(arguments: [("mnits", ["mnist", "train"], "mnist"), ("lenet", ["linear", "lenet"], nil), ("epoch", ["epochs", "batch"], "epochs"),
                      ("xyz", ["mnist"], nil), ("sofmax", ["softmax", "sigmoid"], "softmax")] as [(String, [String], String?)])
    func didYouMean(_ name: String, _ candidates: [String], _ expected: String?) {
        #expect(Suggestions.closest(to: name, in: candidates) == expected)
    }
}

/// Long source lines are cut around the caret (issue 33, item 4).
@Suite struct LongLineExcerptTests {
    @Test func aLongLineIsCutAroundTheCaret() {
        let line = String(repeating: "a", count: 300) + "BAD" + String(repeating: "b", count: 300)
        let source = SourceFile(name: "long.tb", text: line)
        let text = DiagnosticRenderer(color: false).render(Diagnostic("bad", at: SourceSpan(source: source, start: 300, end: 303)))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2].hasPrefix("1 | …") && lines[2].hasSuffix("…") && lines[2].count == 4 + DiagnosticRenderer.widestLine)
        let caretColumn = lines[3].firstIndex(of: "^").map { lines[3].distance(from: lines[3].startIndex, to: $0) }
        let badColumn = lines[2].firstIndex(of: "B").map { lines[2].distance(from: lines[2].startIndex, to: $0) }
        #expect(caretColumn != nil && caretColumn == badColumn && lines[3].hasSuffix("^~~"))
    }

    @Test func aShortLineIsShownWhole() {
        let source = SourceFile(name: "short.tb", text: "x = $")
        let text = DiagnosticRenderer(color: false).render(Diagnostic("bad", at: SourceSpan(source: source, start: 4, end: 5)))
        #expect(text == "short.tb:1:5: error: bad\n  |\n1 | x = $\n  |     ^\n")
    }
}
