import Diagnostics
import Language
import Testing

/// Inputs deep enough to overflow a recursive parser, evaluator or release (the hostile-input
/// issue's stack overflows, exit 139 before): each is a clear error, or simply works, on a test
/// thread (whose stack is smaller than the main thread's).
@Suite struct DeepInputTests {
    private func chain(_ count: Int, _ term: String, separator: String) -> String {
        Array(repeating: term, count: count).joined(separator: separator)
    }

    @Test func aChainAtTheLimitEvaluates() {
        let result = runLanguage("print " + chain(1000, "1", separator: "+"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        #expect(result.output == "1000")
    }

    @Test(arguments: ["+", " and ", " * ", " == "])
    func aLongerChainIsRefusedWhereItPassesTheLimit(_ separator: String) throws {
        let error = try #require(firstError("x = " + chain(20_000, "1", separator: separator)))
        #expect(error.line == 1 && error.message == "this expression chains more than 1000 operations into one")
        #expect(error.hint?.contains("split it into several statements") == true)
    }

    @Test func deepIndexingAndMembersAreRefused() throws {
        let indices = try #require(firstError("x = [1]\ny = x" + String(repeating: "[0]", count: 100_000)))
        #expect(indices.line == 2 && indices.message.contains("chains more than 1000"))
        let members = try #require(firstError("y = x" + String(repeating: ".foo", count: 100_000)))
        #expect(members.message.contains("chains more than 1000"))
        let calls = try #require(firstError("y = f" + String(repeating: "()", count: 100_000)))
        #expect(calls.message.contains("chains more than 1000"))
    }

    @Test func aDeeplyNestedListIsReleasedWithoutRecursion() {
        let result = runLanguage("""
            x = []
            for i in range(100000):
                x = [x, (x, [x])]
            x = 0
            t = (1,)
            for i in range(1000):
                t = ([t],)
            t = 0
            print "alive"
            """)
        #expect(result.diagnostics.isEmpty && result.output == "alive")
    }

    /// A chain of tuples is freed recursively (arrays release their items), so it stops at 1000
    /// deep with an error at the statement, as CPython's RecursionError; the session goes on.
    @Test func aTupleChainIsRefusedPastItsLimit() throws {
        let result = runLanguage("""
            t = (1,)
            for i in range(100000):
                t = (t,)
            """)
        let error = try #require(result.diagnostics.first)
        #expect(error.message == "tuples nest more than 1000 deep here" && error.span.map { $0.source.location(of: $0.start).line } == 3)
        #expect(firstError("t = (1,)\nfor i in range(2000):\n    t = t + ((t,),)")?.message == "tuples nest more than 1000 deep here")
        #expect(firstError("t = (1,)\nfor i in range(2000):\n    t = list(zip([t], [1]))[0]")?.message.contains("tuples nest more than 1000 deep") == true)
        #expect(runLanguage("t = (1,)\nfor i in range(999):\n    t = (t,)\nt = 0\nprint \"alive\"").output == "alive")
    }

    /// Equality walked to any depth (it gave false past 100 levels), and lists that contain themselves compare.
    @Test func deepAndSelfContainingValuesCompareRight() {
        let result = runLanguage("""
            a = [1]
            b = [1]
            c = [2]
            for i in range(5000):
                a = [a]
                b = [b]
                c = [c]
            print a == b, a == [b], (1, (2, [3])) == (1, (2, [3])), (1, [2]) == (1, [3])
            d = []
            d.append(d)
            e = []
            e.append(e)
            print d == e, d == d, d == [1]
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        #expect(result.output == "true false true false\ntrue true false")
    }

    /// One line of 16,384 unexpected characters: three errors shown and the rest counted, each
    /// excerpt cut around its caret (this printed 385 MB).
    @Test func aLineOfManyErrorsPrintsAFew() {
        let result = runLanguage(String(repeating: "$", count: 16_384))
        #expect(result.diagnostics.count == 4)
        #expect(result.diagnostics.last?.message == "16381 more errors (on line 1) not shown")
        let printed = result.diagnostics.map(\.description).joined()
        #expect(printed.utf8.count < 1_000, "\(printed.utf8.count) bytes")
        let many = runLanguage((1...40).map { "x\($0) = $" }.joined(separator: "\n"))
        #expect(many.diagnostics.count == 21 && many.diagnostics.last?.message == "20 more errors (on lines 21, 22, 23, 24, 25, …) not shown")
    }
}
