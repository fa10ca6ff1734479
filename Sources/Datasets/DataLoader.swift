import TensorEngine

/// Batches of example positions for one pass over a dataset: in order, or shuffled with a seeded
/// generator (so `seed N` repeats the order). The last batch may be smaller.
public struct DataLoader: Sequence, Sendable {
    /// The dataset being batched.
    public let dataset: Dataset
    /// Examples per batch (the last may have fewer).
    public let batchSize: Int
    private let order: [Int]

    /// A pass over `dataset`; `shuffleSeed` nil keeps the dataset order.
    public init(_ dataset: Dataset, batchSize: Int, shuffleSeed: UInt64? = nil) throws(DatasetError) {
        guard batchSize >= 1 else { throw DatasetError("batch size must be at least 1, got \(batchSize)") }
        self.dataset = dataset
        self.batchSize = batchSize
        var order = Array(0..<dataset.count)
        if let shuffleSeed {
            var generator = RandomGenerator(seed: shuffleSeed)
            // Fisher–Yates with our own generator: identical on every machine.
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, generator.nextInt(in: 0..<(i + 1)))
            }
        }
        self.order = order
    }

    /// Number of batches in one pass.
    public var batchCount: Int { (dataset.count + batchSize - 1) / batchSize }

    /// The positions of each batch.
    public func makeIterator() -> some IteratorProtocol<ArraySlice<Int>> {
        stride(from: 0, to: order.count, by: batchSize).lazy.map { order[$0..<Swift.min($0 + batchSize, order.count)] }.makeIterator()
    }
}
