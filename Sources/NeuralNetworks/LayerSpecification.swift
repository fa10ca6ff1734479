import TensorEngine

/// A layer's constructor and arguments: what `save` writes into a safetensors file's metadata so
/// that `load` rebuilds the same architecture, and how layers are named in messages.
public indirect enum LayerSpecification: Codable, Equatable, Sendable, CustomStringConvertible {
    case linear(inputSize: Int, outputSize: Int, bias: Bool)
    case conv2d(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, padding: Int)
    case maxPool2d(size: Int, stride: Int)
    case flatten
    case relu
    case sigmoid
    case tanh
    case softmax
    case dropout(probability: Float)
    case embedding(vocabularySize: Int, dimension: Int)
    case lstm(inputSize: Int, hiddenSize: Int)
    case lastTimeStep
    case sequential(layers: [LayerSpecification], inputShape: [Int]?)
    case layerNorm(dimension: Int)
    case gelu(approximate: String)
    case positionEmbedding(context: Int, embed: Int)
    case attention(embed: Int, heads: Int, causal: Bool)
    case transformerBlock(embed: Int, heads: Int, mlpRatio: Int)
    /// A model written as a class in a notebook: only its code can rebuild it.
    case module(className: String)

    /// The layer as it would be typed in the language, e.g. `conv2d(1, 16, 3, padding: 1)`.
    public var description: String {
        switch self {
        case .linear(let i, let o, let bias): return "linear(\(i), \(o)\(bias ? "" : ", bias: false"))"
        case .conv2d(let i, let o, let k, let s, let p):
            return "conv2d(\(i), \(o), \(k)\(s == 1 ? "" : ", stride: \(s)")\(p == 0 ? "" : ", padding: \(p)"))"
        case .maxPool2d(let size, let stride): return "maxpool(\(size)\(stride == size ? "" : ", stride: \(stride)"))"
        case .flatten: return "flatten"
        case .relu: return "relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .softmax: return "softmax"
        case .dropout(let p): return "dropout(\(p))"
        case .embedding(let v, let d): return "embedding(\(v), \(d))"
        case .lstm(let i, let h): return "lstm(\(i), \(h))"
        case .lastTimeStep: return "last_step"
        case .sequential(let layers, _): return "sequential(\(layers.map(\.description).joined(separator: ", ")))"
        case .layerNorm(let d): return "layer_norm(\(d))"
        case .gelu(let approximate): return approximate == "none" ? "gelu" : "gelu(approximate: \"\(approximate)\")"
        case .positionEmbedding(let c, let e): return "position_embedding(\(c), \(e))"
        case .attention(let e, let h, let causal): return "attention(\(e), \(h)\(causal ? "" : ", causal: false"))"
        case .transformerBlock(let e, let h, let m): return "transformer_block(\(e), \(h)\(m == 4 ? "" : ", mlp: \(m)"))"
        case .module(let name): return "\(name)(…)"
        }
    }

    /// The builder name ("linear", "conv2d", …).
    public var kind: String {
        switch self {
        case .linear: "linear"
        case .conv2d: "conv2d"
        case .maxPool2d: "maxpool"
        case .flatten: "flatten"
        case .relu: "relu"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .softmax: "softmax"
        case .dropout: "dropout"
        case .embedding: "embedding"
        case .lstm: "lstm"
        case .lastTimeStep: "last_step"
        case .sequential: "sequential"
        case .layerNorm: "layer_norm"
        case .gelu: "gelu"
        case .positionEmbedding: "position_embedding"
        case .attention: "attention"
        case .transformerBlock: "transformer_block"
        case .module(let name): name
        }
    }

    /// A fresh layer with this architecture and newly initialised parameters.
    public func makeLayer() throws(ModelError) -> any Layer {
        switch self {
        case .linear(let i, let o, let bias): return try Linear(inputSize: i, outputSize: o, bias: bias)
        case .conv2d(let i, let o, let k, let s, let p):
            return try Conv2d(inChannels: i, outChannels: o, kernelSize: k, stride: s, padding: p)
        case .maxPool2d(let size, let stride): return try MaxPool2d(size: size, stride: stride)
        case .flatten: return Flatten()
        case .relu: return ReLU()
        case .sigmoid: return Sigmoid()
        case .tanh: return Tanh()
        case .softmax: return Softmax()
        case .dropout(let p): return try Dropout(probability: p)
        case .embedding(let v, let d): return try Embedding(vocabularySize: v, dimension: d)
        case .lstm(let i, let h): return try LSTM(inputSize: i, hiddenSize: h)
        case .lastTimeStep: return LastTimeStep()
        case .sequential(let layers, let inputShape):
            var built: [any Layer] = []
            for layer in layers { built.append(try layer.makeLayer()) }
            return try Sequential(built, inputShape: inputShape.map(Shape.init))
        case .layerNorm(let d): return try LayerNorm(dimension: d)
        case .gelu(let approximate): return GELU(approximate: GELUApproximation(rawValue: approximate) ?? .none)
        case .positionEmbedding(let c, let e): return try PositionEmbedding(context: c, embed: e)
        case .attention(let e, let h, let causal): return try SelfAttention(embed: e, heads: h, causal: causal)
        case .transformerBlock(let e, let h, let m): return try TransformerBlock(embed: e, heads: h, mlpRatio: m)
        case .module(let name):
            throw ModelError("a \(name) is a model written as a class, and only its class can build it",
                             hint: "run the class statement, then make the model: model = \(name)(…)")
        }
    }
}
