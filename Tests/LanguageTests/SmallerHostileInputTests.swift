import Diagnostics
import Language
import Testing

/// The smaller findings of the hostile-input issue (33, item 7) in the language: string escapes
/// as Python reads them, an f-string width too large to hold, a name a million characters long.
@Suite struct SmallerHostileInputTests {
    @Test func escapesAreReadAsPythonReadsThem() {
        let result = runLanguage(#"print "\x41\u00e9\U0001F600|\d|\r|\0|" + f"\x42{1}\u00e9""#)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        #expect(result.output == "Aé😀|\\d|\r|\u{0}|B1é")
    }

    @Test(arguments: [#"print "\x4""#, #"print "\u12""#, #"print "\xZZ""#, #"print "\U00110000""#])
    func aMalformedHexEscapeIsAnErrorAtItsPlace(_ source: String) throws {
        let error = try #require(runLanguage(source).diagnostics.first)
        #expect(error.message.contains("must be followed by") && error.message.contains("hex digits"), "\(error.message)")
        #expect(error.span.map { $0.source.location(of: $0.start).column } == 8)
    }

    @Test func aWidthTooLargeToHoldIsRefusedLikeAnyTooWideOne() {
        for width in ["1000000000", "100000000000000000000"] {
            let result = runLanguage("x = 3\nprint f\"{x:\(width)}\"")
            #expect(result.diagnostics.first?.message == "'\(width)' is not a format tensorbook knows", "\(width)")
        }
        #expect(runLanguage("x = 3\nprint f\"{x:>4}|\"").output == "   3|")
    }

    /// A 1M-character unknown name: suggestions skip candidates of another length (it took 20 s)
    /// and the rendered message is cut (it printed the name twice: 2 MB).
    @Test func aMillionCharacterNameIsQuickAndShort() {
        let result = runLanguage("x = " + String(repeating: "a", count: 1_000_000))
        let printed = result.diagnostics.map(\.description).joined()
        #expect(result.diagnostics.first?.message.hasPrefix("unknown name 'aaaa") == true)
        #expect(printed.utf8.count < 4_000 && printed.contains("more characters)"), "\(printed.utf8.count) bytes")
        #expect(Suggestions.closest(to: "lenght", in: ["len", "length", "print"]) == "length")
    }
}
