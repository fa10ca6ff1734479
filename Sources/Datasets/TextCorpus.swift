import Foundation
import TensorEngine

/// A UTF-8 text as a character-level language-modelling dataset (DESIGN.md §10): the first 90 %
/// of the characters is the train split and the last 10 % the validation split (by position, as
/// nanoGPT splits), each cut into non-overlapping windows of `context` character ids whose
/// targets are the same window moved on by one character. Training moves all windows along the
/// text by a random offset each epoch (`Dataset.windowOffset`), so every character is seen at
/// every position of a window over a few epochs.
public enum TextCorpus {
    /// The name of the built-in corpus: the movie-review snippets, one per line.
    public static let movieReviews = "movie_reviews"
    /// Fraction of the characters held out for validation.
    public static let validationFraction = 0.1
    /// The largest text read (a guard against reading a disk image as text).
    public static let largestFileBytes = 256 << 20

    /// `text(path, level: "char", context: N)`: the file at `path`, or the built-in corpus when
    /// `path` is "movie_reviews".
    public static func load(path: String, context: Int) throws(DatasetError) -> DataSplits {
        guard context >= 1 else { throw DatasetError("text: context must be at least 1, got \(context)") }
        let text = path == movieReviews ? try MovieReviews.snippetText() : try read(path)
        let name = path == movieReviews ? "movie_reviews_text" : ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try splits(of: text, name: name, context: context).withSource(.text(path: path, context: context))
    }

    /// Splits and windows `text` (see the type's documentation).
    public static func splits(of text: String, name: String, context: Int) throws(DatasetError) -> DataSplits {
        let vocabulary = CharacterVocabulary(of: text)
        let ids = try vocabulary.encode(text)  // cannot fail: the vocabulary is the text's own
        let trainEnd = Int((Double(ids.count) * (1 - validationFraction)).rounded())
        let parts = [("train", ids[..<trainEnd]), ("validation", ids[trainEnd...])]
        for (part, slice) in parts where slice.count < context + 1 {
            throw DatasetError("text: \(name) has \(ids.count) characters, so its \(part) part (\(part == "train" ? "the first 90 %" : "the last 10 %")) has \(slice.count); a window of \(context) characters and its next-character targets needs \(context + 1)",
                               hint: "use a longer text, or a shorter window: text(…, context: \(max(1, min(ids.count / 10 - 1, context / 4))))")
        }
        func dataset(_ part: String, _ slice: ArraySlice<Int32>) -> Dataset {
            // One window fewer than fit when that leaves room to move them all along by up to context − 1.
            let count = max(1, (slice.count - context) / context)
            let store = ExampleStore(features: .tokenStream(Array(slice), window: context), labels: .nextTokens(classCount: vocabulary.size),
                                     exampleShape: [context], count: count)
            var dataset = Dataset(name: "\(name).\(part)", store: store)
            dataset.characters = vocabulary
            return dataset
        }
        return DataSplits(name: name, train: dataset("train", parts[0].1), test: dataset("validation", parts[1].1))
    }

    /// The file's text: it must exist, be non-empty, valid UTF-8 and not binary.
    static func read(_ path: String) throws(DatasetError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw DatasetError("text: no file at '\(path)'", hint: "give a path relative to \(FileManager.default.currentDirectoryPath), or text(\"movie_reviews\") for the built-in corpus")
        }
        if let problem = RegularFile.problem(at: path) { throw DatasetError("text: '\(path)' is \(problem)", hint: "text() reads UTF-8 text files such as .txt or .md") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= largestFileBytes else {
            throw DatasetError("text: '\(path)' has \(size) bytes; tensorbook reads texts of up to \(largestFileBytes >> 20) MB", hint: "cut it, e.g. head -c 10000000 \(path) > part.txt")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError("text: cannot read '\(path)'", hint: "check its permissions")
        }
        guard !data.isEmpty else { throw DatasetError("text: '\(path)' is empty", hint: "a language model learns from text: give a file with some") }
        let bytes = [UInt8](data)
        if let zero = bytes.firstIndex(of: 0) {
            throw DatasetError("text: '\(path)' looks binary (a zero byte at offset \(zero))", hint: "text() reads UTF-8 text files such as .txt or .md")
        }
        var decoded = String.UnicodeScalarView(), iterator = bytes.makeIterator(), decoder = UTF8(), offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): decoded.append(scalar); offset += UTF8.width(scalar)
            case .emptyInput: return String(decoded)
            case .error:
                throw DatasetError("text: '\(path)' is not UTF-8 text (an invalid byte near offset \(offset))",
                                   hint: "convert it first, e.g. iconv -f latin1 -t utf-8 \(path) > utf8.txt")
            }
        }
    }
}
