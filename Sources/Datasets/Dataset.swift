import TensorEngine

/// The targets of a dataset's examples.
public enum Labels: Sendable {
    /// One class index per example, in 0..<classCount.
    case classes([Int32], classCount: Int)
    /// Real-valued targets of a fixed per-example shape (e.g. [1] for the essay's 0/1 labels).
    case values([Float], shape: Shape)
    /// A language model's targets: for a window of a token stream, the same window moved on by
    /// one token (one class index in 0..<classCount per position).
    case nextTokens(classCount: Int)
}

/// The examples themselves: immutable and shared by every split, slice and loader.
public final class ExampleStore: Sendable {
    /// Raw features: bytes (images, converted per batch) or floats.
    public enum Features: Sendable {
        /// Bytes mapped to `byte · scale + shift` when a batch is made (for images: ToTensor's /255
        /// followed by standardisation with the dataset's mean and standard deviation).
        case bytes([UInt8], scale: Float, shift: Float)
        /// Floats used as they are (synthetic data, CSV columns, token ids).
        case floats([Float])
        /// A text's token ids: example i is the window ids[i·window + offset ..< … + window],
        /// where the offset is the dataset's `windowOffset`.
        case tokenStream([Int32], window: Int)
    }

    let features: Features
    let labels: Labels
    /// Per-example feature shape, e.g. [1, 28, 28].
    let exampleShape: Shape
    /// Number of examples.
    let count: Int

    init(features: Features, labels: Labels, exampleShape: Shape, count: Int) {
        self.features = features
        self.labels = labels
        self.exampleShape = exampleShape
        self.count = count
    }
}

/// A labelled collection of examples (a split, or a slice of one), e.g. `mnist.test[0:10]`.
public struct Dataset: Sendable, CustomStringConvertible {
    /// Display name, e.g. "mnist.test".
    public var name: String
    let store: ExampleStore
    /// Which store examples this dataset covers.
    private(set) var range: Range<Int>
    /// Names of the classes, when known ("0"…"9", "rotten"/"fresh").
    public var classNames: [String]?
    /// How raw values are turned into inputs, when they are not used as they are, e.g.
    /// "pixels / 255, then standardised with mean 0.1307 and std 0.3081".
    public var preprocessing: String?
    /// The token vocabulary of a text dataset.
    public var vocabulary: Vocabulary?
    /// The character vocabulary of a language-modelling dataset (`text(…)`).
    public var characters: CharacterVocabulary?
    /// For a token stream: how far every window is moved along the text, 0…`largestWindowOffset`.
    /// Training draws a fresh one each epoch, so a character is not always seen at the same
    /// position of its window (nanoGPT draws every window's start at random).
    public var windowOffset = 0
    /// Where the examples come from, when another program can read them too (not for synthetic data).
    public var source: DataSource?

    init(name: String, store: ExampleStore, range: Range<Int>? = nil, classNames: [String]? = nil, vocabulary: Vocabulary? = nil,
         preprocessing: String? = nil) {
        self.name = name
        self.store = store
        self.range = range ?? 0..<store.count
        self.classNames = classNames
        self.vocabulary = vocabulary
        self.preprocessing = preprocessing
    }

    /// Number of examples.
    public var count: Int { range.count }
    /// Per-example input shape, e.g. [1, 28, 28].
    public var exampleShape: Shape { store.exampleShape }
    /// The labels of all store examples (index with `range`).
    public var labels: Labels { store.labels }
    /// Number of classes for class labels; nil for real-valued targets.
    public var classCount: Int? {
        switch store.labels {
        case .classes(_, let count), .nextTokens(let count): count
        case .values: nil
        }
    }
    /// Per-example target shape: [] for class indices, [window] for next tokens, else the value shape.
    public var targetShape: Shape {
        switch store.labels {
        case .classes: []
        case .values(_, let shape): shape
        case .nextTokens: exampleShape
        }
    }
    /// Whether each example has a sequence of class targets (a language-modelling dataset).
    public var hasSequenceTargets: Bool {
        if case .nextTokens = store.labels { return true }
        return false
    }
    /// Whether every target is 0 or 1 (binary classification).
    public var hasBinaryTargets: Bool {
        switch store.labels {
        case .classes(_, let count): return count <= 2
        case .values(let values, let shape): return shape.elementCount == 1 && values.allSatisfy { $0 == 0 || $0 == 1 }
        case .nextTokens: return false
        }
    }

    /// e.g. "mnist.test: 10,000 examples of 1x28x28, 10 classes".
    public var description: String { "\(name): \(count) examples of \(exampleShape.compactDescription), \(targetDescription)" }

    /// "10 classes", "targets 1", or for text "next characters, 117 in the vocabulary".
    public var targetDescription: String {
        switch store.labels {
        case .classes(_, let count): "\(count) classes"
        case .values: "targets \(targetShape.compactDescription)"
        case .nextTokens(let count): "next-\(characters == nil ? "token" : "character") targets, \(count) in the vocabulary"
        }
    }

    /// The largest `windowOffset` that keeps every window and its targets inside the text (0 for
    /// anything but a token stream).
    public var largestWindowOffset: Int {
        guard case .tokenStream(let ids, let window) = store.features else { return 0 }
        return min(window - 1, ids.count - 1 - store.count * window)
    }

    /// Examples `start..<end` (Python-style bounds: negative counts from the end, clamped).
    public func slice(start: Int?, end: Int?) -> Dataset {
        func clamp(_ index: Int) -> Int { min(max(index < 0 ? index + count : index, 0), count) }
        let lower = clamp(start ?? 0), upper = max(lower, clamp(end ?? count))
        var result = self
        result.range = (range.lowerBound + lower)..<(range.lowerBound + upper)
        result.name = "\(name)[\(lower):\(upper)]"
        return result
    }
}

/// A dataset's standard splits (`mnist.train`, `mnist.test`).
public struct DataSplits: Sendable, CustomStringConvertible {
    /// The dataset's name, e.g. "mnist".
    public var name: String
    /// Examples to learn from.
    public var train: Dataset
    /// Held-out examples to evaluate on.
    public var test: Dataset

    /// Splits with a name.
    public init(name: String, train: Dataset, test: Dataset) {
        self.name = name
        self.train = train
        self.test = test
    }

    /// The same splits, both marked as read from `source`.
    public func withSource(_ source: DataSource) -> DataSplits {
        var marked = self
        (marked.train.source, marked.test.source) = (source, source)
        return marked
    }

    /// e.g. "mnist: 60,000 train + 10,000 test examples of 1x28x28, 10 classes".
    public var description: String {
        "\(name): \(train.count) train + \(test.count) test examples of \(train.exampleShape.compactDescription), \(train.targetDescription)"
    }
}
