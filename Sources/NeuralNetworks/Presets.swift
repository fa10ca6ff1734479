import TensorEngine

/// Ready-made models: the essay's networks and classics, with PyTorch's initialisation.
public enum Presets {
    /// Fully connected layers of the given sizes with ReLU between them (none after the last),
    /// e.g. `mlp([10, 64, 1])` is the essay's §4.3 model.
    public static func mlp(_ sizes: [Int]) throws(ModelError) -> Sequential {
        guard sizes.count >= 2 else {
            throw ModelError("mlp needs at least two sizes (inputs and outputs), got \(sizes.count)",
                             hint: "for example mlp(10, 64, 1)")
        }
        var layers: [any Layer] = []
        for index in 0..<(sizes.count - 1) {
            if index > 0 { layers.append(ReLU()) }
            layers.append(try Linear(inputSize: sizes[index], outputSize: sizes[index + 1]))
        }
        return try Sequential(layers, inputShape: [sizes[0]])
    }

    /// The essay's §5.2 CNN with its shape bug fixed: conv 1→16 3×3 pad 1, ReLU, max-pool 2,
    /// flatten (16×14×14 = 3136), linear 3136→120→84→10 with ReLUs; 387,614 parameters.
    public static func cnn() throws(ModelError) -> Sequential {
        try Sequential([
            Conv2d(inChannels: 1, outChannels: 16, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(size: 2), Flatten(),
            Linear(inputSize: 3136, outputSize: 120), ReLU(), Linear(inputSize: 120, outputSize: 84), ReLU(),
            Linear(inputSize: 84, outputSize: 10),
        ], inputShape: [1, 28, 28])
    }

    /// A LeNet-5-like CNN for 28×28 digits: conv 1→6 5×5 pad 2, pool, conv 6→16 5×5, pool,
    /// linear 400→120→84→10; 61,706 parameters.
    public static func lenet() throws(ModelError) -> Sequential {
        try Sequential([
            Conv2d(inChannels: 1, outChannels: 6, kernelSize: 5, padding: 2), ReLU(), MaxPool2d(size: 2),
            Conv2d(inChannels: 6, outChannels: 16, kernelSize: 5), ReLU(), MaxPool2d(size: 2), Flatten(),
            Linear(inputSize: 400, outputSize: 120), ReLU(), Linear(inputSize: 120, outputSize: 84), ReLU(),
            Linear(inputSize: 84, outputSize: 10),
        ], inputShape: [1, 28, 28])
    }

    /// The essay's §5.2 text classifier: embedding → LSTM → last step → one logit.
    public static func lstmClassifier(vocabularySize: Int, embedding: Int, hidden: Int) throws(ModelError) -> Sequential {
        try Sequential([
            Embedding(vocabularySize: vocabularySize, dimension: embedding), LSTM(inputSize: embedding, hiddenSize: hidden),
            LastTimeStep(), Linear(inputSize: hidden, outputSize: 1),
        ])
    }
}
