import TensorEngine

/// The targets of a dataset's examples.
public enum Labels: Sendable {
    /// One class index per example, in 0..<classCount.
    case classes([Int32], classCount: Int)
    /// Real-valued targets of a fixed per-example shape (e.g. [1] for the essay's 0/1 labels).
    case values([Float], shape: Shape)
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
        if case .classes(_, let count) = store.labels { return count }
        return nil
    }
    /// Per-example target shape: [] for class indices, else the value shape.
    public var targetShape: Shape {
        if case .values(_, let shape) = store.labels { return shape }
        return []
    }
    /// Whether every target is 0 or 1 (binary classification).
    public var hasBinaryTargets: Bool {
        switch store.labels {
        case .classes(_, let count): return count <= 2
        case .values(let values, let shape): return shape.elementCount == 1 && values.allSatisfy { $0 == 0 || $0 == 1 }
        }
    }

    /// e.g. "mnist.test: 10,000 examples of 1x28x28, 10 classes".
    public var description: String {
        let targets = classCount.map { "\($0) classes" } ?? "targets \(targetShape.compactDescription)"
        return "\(name): \(count) examples of \(exampleShape.compactDescription), \(targets)"
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

    /// e.g. "mnist: 60,000 train + 10,000 test examples of 1x28x28, 10 classes".
    public var description: String {
        let targets = train.classCount.map { "\($0) classes" } ?? "targets \(train.targetShape.compactDescription)"
        return "\(name): \(train.count) train + \(test.count) test examples of \(train.exampleShape.compactDescription), \(targets)"
    }
}
