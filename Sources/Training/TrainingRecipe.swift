import Datasets
import NeuralNetworks

/// How a model was last trained: the settings of its last `train` and the data it read. A
/// checkpoint keeps it (so training resumes with the same settings) and `export` turns it into
/// the PyTorch script's `main()`.
public struct TrainingRecipe: Codable, Equatable, Sendable {
    /// `adam`, `adamw` or `sgd`.
    public var optimizer: String
    public var learningRate: Float
    /// SGD's momentum (0 for Adam).
    public var momentum: Float
    public var batchSize: Int
    public var epochs: Int
    /// `mse`, `cross_entropy` or `bce`.
    public var loss: String
    /// The training examples: where from, and which of the split's examples.
    public var data: DataReference?
    /// The examples evaluation uses (the test split of the same data).
    public var evaluationData: DataReference?

    /// A recipe.
    public init(optimizer: String, learningRate: Float, momentum: Float, batchSize: Int, epochs: Int, loss: String,
                data: DataReference?, evaluationData: DataReference?) {
        (self.optimizer, self.learningRate, self.momentum) = (optimizer, learningRate, momentum)
        (self.batchSize, self.epochs, self.loss, self.data, self.evaluationData) = (batchSize, epochs, loss, data, evaluationData)
    }

    /// What a script trains with when the model was never trained here: DESIGN.md §3's defaults.
    public static func defaults(loss: Loss) -> TrainingRecipe {
        TrainingRecipe(optimizer: "adam", learningRate: 0.001, momentum: 0, batchSize: 64, epochs: 1, loss: loss.rawValue,
                       data: nil, evaluationData: nil)
    }
}

/// A dataset another program can read: its source, which split, and which of its examples.
public struct DataReference: Codable, Equatable, Sendable {
    public var source: DataSource
    /// `train`, `test` or `validation`.
    public var split: String
    /// Example positions within the split's store (all of them unless it was sliced).
    public var start: Int, end: Int
    /// The dataset's name as shown, e.g. "mnist.train[0:1000]".
    public var name: String

    /// A reference to these examples of `source`.
    public init(source: DataSource, split: String, start: Int, end: Int, name: String) {
        (self.source, self.split, self.start, self.end, self.name) = (source, split, start, end, name)
    }

    /// The reference for `dataset`, or nil when nothing outside tensorbook can read it (synthetic data).
    public init?(_ dataset: Dataset) {
        guard let source = dataset.source else { return nil }
        self.source = source
        let base = dataset.name.split(separator: "[").first.map(String.init) ?? dataset.name
        split = base.split(separator: ".").last.map(String.init) ?? "train"
        (start, end, name) = (dataset.sourceRange.lowerBound, dataset.sourceRange.upperBound, dataset.name)
    }
}
