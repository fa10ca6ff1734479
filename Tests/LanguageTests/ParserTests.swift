import Diagnostics
import Display
import Language
import Testing

/// The language alone, with no engine: parsing, precedence, contextual keywords, incomplete input.
@Suite struct ParserTests {
    func parse(_ text: String) -> Parser { Parser(SourceFile(name: "t", text: text)) }

    func run(_ text: String) -> (output: String, diagnostics: [Diagnostic]) {
        let sink = CollectingSink()
        let diagnostics = Interpreter(registry: Registry(), sink: sink).run(SourceFile(name: "t", text: text))
        return (sink.plainText(), diagnostics)
    }

    @Test(arguments: [
        ("x = (1", true), ("x = [1,\n 2", true), ("print \"abc", true), ("f(a,", true),
        ("x = (1)", false), ("x = 1 +", false), ("x = ]", false), ("", false),
    ])
    func incompleteInputIsATypedCase(_ text: String, _ incomplete: Bool) {
        #expect(Interpreter.isIncomplete(text) == incomplete)
        if incomplete { #expect(parse(text).diagnostics.allSatisfy { $0.kind == .incompleteInput }) }
    }

    @Test func newlinesInsideBracketsDoNotEndStatements() {
        let parser = parse("x = [1,\n  2,\n  3]\ny = (4 +\n 5)")
        #expect(parser.diagnostics.isEmpty && parser.statements.count == 2)
    }

    /// A registry with one host command, `train M on D [lr X] [epochs N]`: the parser learns it from the registry.
    static let registryWithTrain: Registry = {
        let registry = Registry()
        registry.register(CommandDefinition(
            "train", grammar: CommandGrammar([.operand("MODEL"), .word("on"), .operand("DATA")],
                                             clauses: [ClauseDefinition("lr", .value(placeholder: "X", example: "0.1")),
                                                       ClauseDefinition("epochs", .value(placeholder: "N", example: "5"))]),
            documentation: "Trains.", example: "train m on d") { _ in .none })
        return registry
    }()

    @Test func commandWordsComeFromTheRegistry() {
        #expect(Self.registryWithTrain.commands["train"]?.syntax == "train MODEL on DATA [lr X] [epochs N]")
        #expect(!parse("train m on d").diagnostics.isEmpty, "without the registry, train is an ordinary name")
    }

    @Test func commandWordsAreKeywordsOnlyWhereACommandCanStart() {
        let parser = Parser(SourceFile(name: "t", text: "train = 1\nlr = 0.01\ntrain m on d lr lr epochs 2\nshow = train + 1\nhelp\nhelp linear"), registry: Self.registryWithTrain)
        #expect(parser.diagnostics.isEmpty)
        let kinds = parser.statements.map { statement -> String in
            switch statement.kind {
            case .assignment(let target, _): "assign \(target.span.text)"
            case .commandAssignment(let target, let command): "assign \(target.span.text) = \(command.keyword)"
            case .expression: "expression"
            case .command(let command): "\(command.keyword) \(command.clauses.map(\.name)) \(command.topic?.name ?? "")"
            default: "other"
            }
        }
        #expect(kinds == ["assign train", "assign lr", "train [\"lr\", \"epochs\"] ", "assign show", "help [] ", "help [] linear"])
    }

    @Test func precedenceFollowsTheGrammar() {
        #expect(run("print 1 + 2 * 3 ** 2, -2 ** 2, 2 ** 3 ** 2, 10 - 4 - 3, 1 + 1 == 2").output == "19 -4 512 3 true")
    }

    @Test func everyIndependentSyntaxErrorIsReported() {
        let diagnostics = parse("a = 1 +\nb = 2\nc = )\nd = * 2").diagnostics
        #expect(diagnostics.map { $0.span.map { $0.source.location(of: $0.start).line } } == [1, 3, 4])
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(parse("x = " + deep).diagnostics.first?.message.contains("nested more than 200 levels") == true)
        #expect(parse("x = " + String(repeating: "-", count: 5000) + "1").diagnostics.first?.message.contains("nested") == true)
    }

    @Test func hugeIndicesAreErrorsNotTraps() {
        #expect(run("x = [1][1e300]").diagnostics.first?.message.contains("must be a whole number") == true)
        #expect(run("x = [1, 2][0:1e300]").diagnostics.first?.message.contains("whole numbers") == true)
    }

    @Test func valuesPrintLikeTheyAreWritten() {
        #expect(run("print 3.0, 0.5, -0.0, 1e20, [\"a\", (1,)], none, true").output == "3 0.5 0 1e+20 [\"a\", (1,)] none true")
    }

    @Test func unknownNamesSuggestTheClosestKnownName() {
        let diagnostics = run("model = 1\nx = modle").diagnostics
        #expect(diagnostics.first?.hint == "did you mean 'model'?")
    }

    @Test func editDistanceCountsSwapsAsOneEdit() {
        #expect(Suggestions.editDistance("mnits", "mnist") == 1)
        #expect(Suggestions.editDistance("", "abc") == 3)
        #expect(Suggestions.closest(to: "xyzzy", in: ["mnist", "train"]) == nil)
    }

    @Test func diagnosticLinesCountFromTheCellsFirstLine() {
        let source = SourceFile(name: "lesson.nb", text: "a = 1\nb = )", firstLine: 12)
        let diagnostic = Parser(source).diagnostics[0]
        #expect(diagnostic.span?.locationDescription == "lesson.nb:13:5")
    }
}
