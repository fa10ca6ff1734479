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

    /// A GPT in nanoGPT's (and GPT-2's) layout: token embedding, position embedding, `layers`
    /// pre-norm causal blocks, a final layer norm and a linear head (no bias) to `vocab` logits per
    /// position. Initialised as GPT-2: weights and embeddings N(0, 0.02), biases 0, layer norms
    /// 1 and 0, the two residual projections of each block N(0, 0.02/√(2·layers)). The head is not
    /// tied to the token embedding.
    public static func gpt(vocab: Int, context: Int, layers: Int, heads: Int, embed: Int) throws(ModelError) -> Sequential {
        try Initialization.requirePositive(layers, "layers", of: "gpt")
        let blocks = try (0..<layers).map { _ throws(ModelError) in try TransformerBlock(embed: embed, heads: heads) }
        let model = try Sequential([try Embedding(vocabularySize: vocab, dimension: embed), try PositionEmbedding(context: context, embed: embed)]
                                   + blocks + [try LayerNorm(dimension: embed), try Linear(inputSize: embed, outputSize: vocab, bias: false)],
                                   inputShape: [context])
        let residual = Set(blocks.flatMap(\.residualProjections).map(ObjectIdentifier.init))
        for (name, tensor) in model.namedParameters where !name.contains("ln_") && !name.hasPrefix("\(layers + 2).") {
            if name.hasSuffix(".bias") { Initialization.fill(tensor, with: 0); continue }
            let deviation: Float = residual.contains(ObjectIdentifier(tensor)) ? 0.02 / Float(2 * layers).squareRoot() : 0.02
            try Initialization.fillNormal(tensor, standardDeviation: deviation)
        }
        return model
    }
}
