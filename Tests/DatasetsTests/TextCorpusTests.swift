import Datasets
import Foundation
import Testing

@Suite struct TextCorpusTests {
    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("tensorbook-text-\(getpid())-\(name)")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func windowsAreSplitByPositionWithNextCharacterTargets() throws {
        let text = String(repeating: "abcdefghij", count: 10)  // 100 characters: 90 train, 10 validation
        let splits = try TextCorpus.splits(of: text, name: "letters", context: 4)
        let vocabulary = try #require(splits.train.characters)
        #expect(vocabulary.size == 10 && vocabulary.decode([0, 9]) == "aj")
        // One window fewer than fit, so that all can move along by up to 3 characters.
        #expect(splits.train.count == 21 && splits.test.count == 1 && splits.train.largestWindowOffset == 3)
        #expect(splits.train.exampleShape == [4] && splits.train.targetShape == [4] && splits.train.classCount == 10)
        let (inputs, targets) = try splits.train.batch([0, 1])
        #expect(vocabulary.decode(inputs.scalars.map { Int32($0) }) == "abcdefgh")
        #expect(vocabulary.decode(targets.scalars.map { Int32($0) }) == "bcdefghi" && targets.shape == [2, 4])
        // The validation windows start where the training text ends (character 90).
        #expect(vocabulary.decode(try splits.test.batch([0]).inputs.scalars.map { Int32($0) }) == "abcd")
        #expect(splits.train.hasSequenceTargets && !splits.train.hasBinaryTargets)
        #expect(splits.train.largestClassIndex == 9)
        var moved = splits.train
        moved.windowOffset = 3
        #expect(vocabulary.decode(try moved.batch([0]).inputs.scalars.map { Int32($0) }) == "defg")
        #expect(vocabulary.decode(try moved.targets([20]).scalars.map { Int32($0) }) == "efgh")
    }

    @Test func theVocabularyIsSortedByCodePointAndRejectsUnknownCharacters() throws {
        let vocabulary = CharacterVocabulary(of: "héllo wörld")
        #expect(vocabulary.characters.map { String($0) }.joined() == " dhlorwéö")
        #expect(try vocabulary.encode("hold") == [2, 4, 3, 1] && vocabulary.decode([7, 8]) == "éö")
        let error = try #require(throws: DatasetError.self) { try vocabulary.encode("hallo ✓") }
        #expect(error.message.contains("2 characters 'a' (U+0061), '✓' (U+2713) never occurred"), "\(error)")
        #expect(error.hint?.contains("9 characters") == true)
    }

    @Test func badFilesAreClearErrors() throws {
        func message(_ path: String, context: Int = 8) -> String {
            do { _ = try TextCorpus.load(path: path, context: context); return "no error" } catch { return error.description }
        }
        #expect(message("/nonexistent/book.txt").contains("no file at '/nonexistent/book.txt'"))
        #expect(message(NSTemporaryDirectory()).contains("no file at"))
        #expect(message(try file("empty.txt", [])).contains("is empty"))
        #expect(message(try file("binary.bin", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x00, 0x00])).contains("looks binary (a zero byte at offset 5)"))
        #expect(message(try file("latin1.txt", Array("caf".utf8) + [0xE9, 0x20] + Array("au lait".utf8))).contains("not UTF-8 text (an invalid byte near offset 3)"))
        let short = message(try file("short.txt", Array("hello world, this is short".utf8)), context: 8)
        #expect(short.contains("its validation part (the last 10 %) has 3; a window of 8 characters and its next-character targets needs 9"), "\(short)")
        #expect(throws: DatasetError.self) { try TextCorpus.load(path: "x", context: 0) }
    }

    @Test func theBuiltInCorpusIsTheMovieReviewText() throws {
        let splits = try TextCorpus.load(path: TextCorpus.movieReviews, context: 64)
        let characters = try #require(splits.train.characters)
        // 12,808 snippets joined by newlines: 1,439,266 characters (1,295,339 train), 117 distinct.
        #expect(characters.size == 117)
        #expect(splits.train.count == 20_238 && splits.test.count == 2_247, "\(splits.train.count) \(splits.test.count) \((try? MovieReviews.snippetText())?.unicodeScalars.count ?? 0)")
    }
}
