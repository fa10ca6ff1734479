import Datasets
import Language
import NeuralNetworks
import TensorEngine

extension Builtins {
    /// The parameter-free layers that a bare function name stands for inside `sequential`.
    static func layer(named name: String) throws -> (any Layer)? {
        if let make = TensorOperation.byName[name]?.layer { return make() }
        return switch name {
        case "flatten": Flatten()
        case "last_step": LastTimeStep()
        default: nil
        }
    }

    /// A layer made by `make`, as a value.
    static func layerValue(_ make: () throws -> any Layer) throws -> Value { .object(LayerObject(try make())) }

    static func registerLayers(in registry: Registry) {
        register(registry, "linear", kind: .layer, parameters: [.init("in"), .init("out"), .init("bias", default: .bool(true), namedOnly: true)],
                 "Fully connected: y = x·Wᵀ + b (PyTorch nn.Linear).") { arguments in
            try layerValue { try Linear(inputSize: try arguments.integer("in"), outputSize: try arguments.integer("out"), bias: try arguments.number("bias") != 0) }
        }
        register(registry, "conv2d", kind: .layer,
                 parameters: [.init("in"), .init("out"), .init("kernel"), .init("stride", default: .number(1), namedOnly: true),
                              .init("padding", default: .number(0), namedOnly: true)],
                 "2-D convolution over [channels, height, width] images (nn.Conv2d).") { arguments in
            try layerValue {
                try Conv2d(inChannels: try arguments.integer("in"), outChannels: try arguments.integer("out"), kernelSize: try arguments.integer("kernel"),
                           stride: try arguments.integer("stride"), padding: try arguments.integer("padding"))
            }
        }
        register(registry, "maxpool", kind: .layer, parameters: [.init("size"), .init("stride", default: .none, namedOnly: true)],
                 "Max pooling with a size×size window (stride defaults to size).") { arguments in
            try layerValue { try MaxPool2d(size: try arguments.integer("size"), stride: try arguments.optionalInteger("stride")) }
        }
        register(registry, "flatten", kind: .layer, parameters: [.init("x", default: .none)], "Flattens each example to one axis; bare flatten is a layer.") { arguments in
            guard arguments["x"] != nil else { return try layerValue { Flatten() } }
            return TensorObject.value(try tensor(arguments, "x").flattened())
        }
        register(registry, "dropout", kind: .layer, parameters: [.init("p")], "Zeroes inputs with probability p while training.") { arguments in
            try layerValue { try Dropout(probability: Float(try arguments.number("p"))) }
        }
        register(registry, "embedding", kind: .layer, parameters: [.init("vocab"), .init("dim")], "Learned vectors for token ids (nn.Embedding).") { arguments in
            try layerValue { try Embedding(vocabularySize: try vocabularySize(arguments), dimension: try arguments.integer("dim")) }
        }
        register(registry, "lstm", kind: .layer, parameters: [.init("in"), .init("hidden")], "A batch-first LSTM over sequences (nn.LSTM).") { arguments in
            try layerValue { try LSTM(inputSize: try arguments.integer("in"), hiddenSize: try arguments.integer("hidden")) }
        }
        register(registry, "last_step", kind: .layer, "Keeps the last step of a sequence (output[:, -1, :]).") { _ in try layerValue { LastTimeStep() } }
        registerTransformerLayers(in: registry)
        register(registry, "sequential", kind: .layer, parameters: [.init("input", default: .none, namedOnly: true)], variadic: "layers",
                 "Layers applied in order; input: [1, 28, 28] checks the shapes now.") { try sequential($0) }
    }

    /// `sequential(a, b, …)`: layers, bare activation names and nested models, in order.
    private static func sequential(_ arguments: Arguments) throws -> Value {
        var layers: [any Layer] = []
        for (index, value) in arguments.rest.enumerated() {
            switch value {
            case .object(let object as LayerObject): layers.append(object.layer)
            case .object(let object as ModelObject): layers.append(object.model)
            case .function(let function) where function.userDefinition != nil:
                throw HostError("sequential: \(function.name) is a function written with def, and sequential takes layers",
                                hint: (try layer(named: function.name) != nil ? "del \(function.name) brings the builtin layer back; " : "")
                                    + "to run your own function between layers, write the model as a class whose forward calls it",
                                argument: "#\(index)")
            case .function(let function):
                guard let layer = try layer(named: function.name) else {
                    throw HostError("sequential: \(function.name) is not a layer", hint: "layers are linear, conv2d, maxpool, flatten, relu, …", argument: "#\(index)")
                }
                layers.append(layer)
            default:
                throw HostError("sequential: argument \(index + 1) is a \(value.typeName), not a layer", argument: "#\(index)")
            }
        }
        let spans = (0..<layers.count).compactMap { arguments.span(for: "#\($0)") }
        var inputShape: Shape?
        if case .list(let list)? = arguments["input"] {
            inputShape = Shape(try list.items.map { item in
                guard case .number(let number) = item else { throw arguments.mismatch("input", expected: "a list of sizes", got: item) }
                return try Arguments.wholeNumberValue(number, "input")
            })
        }
        let model = try buildSequential(layers, inputShape: inputShape)
        return .object(ModelObject(model, layerSpans: spans))
    }

    /// Builds the model; a misfit found now points at the offending layer argument.
    private static func buildSequential(_ layers: [any Layer], inputShape: Shape?) throws(HostError) -> Sequential {
        let result: Result<Sequential, ModelError> = Result { () throws(ModelError) in try Sequential(layers, inputShape: inputShape) }
        switch result {
        case .success(let model): return model
        case .failure(let error): throw HostError(error.message, hint: error.hint, argument: error.layerIndex.map { "#\($0)" })
        }
    }

    /// `vocab`: a number, or a dataset's vocabulary (`movie_reviews.vocab`).
    static func vocabularySize(_ arguments: Arguments) throws -> Int {
        if case .object(let object as VocabularyObject)? = arguments.value("vocab") { return object.size }
        return try arguments.integer("vocab", minimum: 1)
    }

    /// layer_norm, attention, transformer_block, position_embedding (gelu is an activation).
    private static func registerTransformerLayers(in registry: Registry) {
        register(registry, "layer_norm", kind: .layer, parameters: [.init("dim")],
                 "Normalises the last axis to mean 0, variance 1, then scales and shifts (nn.LayerNorm).") { arguments in
            try layerValue { try LayerNorm(dimension: try arguments.integer("dim")) }
        }
        register(registry, "attention", kind: .layer,
                 parameters: [.init("embed"), .init("heads"), .init("causal", default: .bool(true), namedOnly: true)],
                 "Multi-head self-attention over [steps, embed]: each position mixes the values of the positions it attends to.") { arguments in
            try layerValue {
                try SelfAttention(embed: try arguments.integer("embed"), heads: try arguments.integer("heads"), causal: try arguments.number("causal") != 0)
            }
        }
        register(registry, "transformer_block", kind: .layer, parameters: [.init("embed"), .init("heads"), .init("mlp", default: .number(4), namedOnly: true)],
                 "GPT-2's block: x + attention(layer_norm(x)), then x + mlp(layer_norm(x)).") { arguments in
            try layerValue { try TransformerBlock(embed: try arguments.integer("embed"), heads: try arguments.integer("heads"), mlpRatio: try arguments.integer("mlp")) }
        }
        register(registry, "position_embedding", kind: .layer, parameters: [.init("context"), .init("embed")],
                 "Adds a learned vector for each position 0…context−1 (GPT-2's wpe).") { arguments in
            try layerValue { try PositionEmbedding(context: try arguments.integer("context"), embed: try arguments.integer("embed")) }
        }
    }

    static func registerPresets(in registry: Registry) {
        register(registry, "gpt", kind: .preset,
                 parameters: [.init("vocab", namedOnly: true), .init("context", namedOnly: true), .init("layers", namedOnly: true),
                              .init("heads", namedOnly: true), .init("embed", namedOnly: true)],
                 "A GPT in nanoGPT's layout: embeddings, causal transformer blocks, layer norm, a head to vocab logits.") { arguments in
            let model = ModelObject(try Presets.gpt(vocab: try vocabularySize(arguments), context: try arguments.integer("context", minimum: 1),
                                                    layers: try arguments.integer("layers", minimum: 1), heads: try arguments.integer("heads", minimum: 1),
                                                    embed: try arguments.integer("embed", minimum: 1)))
            // Built from a text's vocabulary, the model can generate before it is trained.
            if case .object(let vocabulary as VocabularyObject)? = arguments.value("vocab"), case .characters(let characters) = vocabulary.kind {
                model.characters = characters
            }
            return .object(model)
        }
        register(registry, "mlp", kind: .preset, variadic: "sizes", "Linear layers of these sizes with ReLU between: mlp(10, 64, 1).") { arguments in
            .object(ModelObject(try Presets.mlp(try arguments.restIntegers(minimum: 1))))
        }
        register(registry, "cnn", kind: .preset, "The essay's CNN for 28×28 digits, its shape bug fixed (387,614 parameters).") { _ in
            .object(ModelObject(try Presets.cnn()))
        }
        register(registry, "lenet", kind: .preset, "A LeNet-5-like CNN for 28×28 digits (61,706 parameters).") { _ in
            .object(ModelObject(try Presets.lenet()))
        }
        register(registry, "lstm_classifier", kind: .preset,
                 parameters: [.init("vocab", namedOnly: true), .init("embed", namedOnly: true), .init("hidden", namedOnly: true)],
                 "The essay's text classifier: embedding → LSTM → last step → one logit.") { arguments in
            .object(ModelObject(try Presets.lstmClassifier(vocabularySize: try vocabularySize(arguments), embedding: try arguments.integer("embed"),
                                                           hidden: try arguments.integer("hidden"))))
        }
    }

    static func registerDatasets(in registry: Registry) {
        registry.register(NamedValue("mnist", documentation: "Handwritten digits: 60,000 train + 10,000 test 28×28 images, 10 classes.") {
            try hosted { DatasetObject.value(try MNIST.digits()) }
        })
        registry.register(NamedValue("fashion_mnist", documentation: "Zalando's clothing images in MNIST's format (make data installs them).") {
            try hosted { DatasetObject.value(try MNIST.fashion()) }
        })
        registry.register(NamedValue("movie_reviews", documentation: "12,808 Rotten Tomatoes snippets, fresh = 1 / rotten = 0 (make data fetches them).") {
            try hosted { DatasetObject.value(try MovieReviews.load()) }
        })
        registry.register(NamedValue("xor", documentation: "The four XOR points with 0/1 targets.") { DatasetObject.value(SyntheticData.xor()) })
        register(registry, "random_binary", kind: .dataset, parameters: [.init("n", default: .number(1000)), .init("features", default: .number(10))],
                 "The essay's random data: normal features, random 0/1 labels (n train, n/5 test).") { arguments in
            DatasetObject.value(try SyntheticData.randomBinary(count: try arguments.integer("n"), features: try arguments.integer("features")))
        }
        register(registry, "spirals", kind: .dataset, parameters: [.init("n", default: .number(300)), .init("classes", default: .number(3))],
                 "Interleaved spiral arms in the plane, one class per arm.") { arguments in
            DatasetObject.value(try SyntheticData.spirals(count: try arguments.integer("n"), classes: try arguments.integer("classes")))
        }
        register(registry, "blobs", kind: .dataset,
                 parameters: [.init("n", default: .number(300)), .init("classes", default: .number(3)), .init("features", default: .number(2))],
                 "Gaussian clusters, one class per cluster.") { arguments in
            DatasetObject.value(try SyntheticData.blobs(count: try arguments.integer("n"), classes: try arguments.integer("classes"),
                                                        features: try arguments.integer("features")))
        }
        register(registry, "text", kind: .dataset,
                 parameters: [.init("path"), .init("level", default: .string("char"), namedOnly: true), .init("context", default: .number(64), namedOnly: true)],
                 "A UTF-8 text file for a character-level language model: 90 % train / 10 % validation, windows of context characters with next-character targets; text(\"movie_reviews\") is the built-in corpus.") { arguments in
            let level = try arguments.string("level")
            guard level == "char" else {
                throw HostError("text: level \(Value.string(level).quotedDescription) is not supported; tensorbook's language models read characters",
                                hint: "use level: \"char\" (or leave it out); word-level text is the movie_reviews dataset", argument: "level")
            }
            return DatasetObject.value(try TextCorpus.load(path: try arguments.string("path"), context: try arguments.integer("context", minimum: 1)))
        }
        register(registry, "csv", kind: .dataset, parameters: [.init("path"), .init("label", namedOnly: true)],
                 "A numeric CSV file with a header; label: names the column to predict.") { arguments in
            DatasetObject.value(try CSVData.load(path: try arguments.string("path"), label: try arguments.string("label")))
        }
    }
}
