import TensorEngine

/// Layer normalisation over the last axis (`torch.nn.LayerNorm(dim)`), weight 1 and bias 0 to start.
public final class LayerNorm: Layer {
    public let dimension: Int
    public let weight: Tensor, bias: Tensor
    public var isTraining = true

    /// A layer norm over a last axis of `dimension`.
    public init(dimension: Int) throws(ModelError) {
        try Initialization.requirePositive(dimension, "dimension", of: "layer_norm")
        self.dimension = dimension
        weight = Initialization.constant([dimension], 1)
        bias = Initialization.constant([dimension], 0)
    }

    public var kind: String { "layer_norm" }
    public var specification: LayerSpecification { .layerNorm(dimension: dimension) }
    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }

    public func callAsFunction(_ input: Tensor) throws -> Tensor { try input.layerNorm(weight: weight, bias: bias) }

    public func outputShape(for input: Shape) throws(ModelError) -> Shape {
        guard input.dimensions.last == dimension else {
            throw ModelError("\(self) normalises a last axis of \(dimension), but receives shape \(input.compactDescription)",
                             hint: "make it layer_norm(\(input.dimensions.last ?? 1))")
        }
        return input
    }

    public func forwardFLOPs(for input: Shape) -> Int { 8 * input.elementCount }
}

/// GELU activation (`torch.nn.GELU(approximate=…)`).
public final class GELU: ElementwiseLayer {
    public let approximate: GELUApproximation

    /// Exact (erf) by default; `.tanh` is GPT-2's approximation.
    public init(approximate: GELUApproximation = .none) { self.approximate = approximate }

    public var kind: String { "gelu" }
    public var specification: LayerSpecification { .gelu(approximate: approximate.rawValue) }
    public func callAsFunction(_ input: Tensor) throws -> Tensor { input.gelu(approximate: approximate) }
}

/// Adds a learned vector per position (`wpe` in GPT-2): [T, E] → [T, E] for T ≤ context.
public final class PositionEmbedding: Layer {
    public let context: Int, embed: Int
    /// [context, embed], N(0, 0.02) as GPT-2.
    public let weight: Tensor
    public var isTraining = true

    /// Position vectors for up to `context` positions.
    public init(context: Int, embed: Int) throws(ModelError) {
        try Initialization.requirePositive(context, "context", of: "position_embedding")
        try Initialization.requirePositive(embed, "embed", of: "position_embedding")
        (self.context, self.embed) = (context, embed)
        weight = try Initialization.normal([context, embed], standardDeviation: 0.02)
    }

    public var kind: String { "position_embedding" }
    public var specification: LayerSpecification { .positionEmbedding(context: context, embed: embed) }
    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight)] }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let steps = input.shape[input.rank - 2]
        return try input + weight.slice(axis: 0, start: 0, end: steps)
    }

    public func outputShape(for input: Shape) throws(ModelError) -> Shape {
        guard input.rank == 2, input[1] == embed else {
            throw ModelError("\(self) expects [steps, \(embed)] per example, but receives \(input.compactDescription)",
                             hint: "put it right after embedding(vocab, \(embed))")
        }
        guard input[0] <= context else {
            throw ModelError("\(self) knows \(context) positions, but the input has \(input[0]) steps",
                             hint: "give windows of at most \(context) tokens, or build the model with context: \(input[0])")
        }
        return input
    }

    public func forwardFLOPs(for input: Shape) -> Int { input.elementCount }
}

/// Multi-head self-attention (GPT-2's `attn`): one linear `c_attn` makes queries, keys and values
/// [T, 3E]; each of `heads` heads attends with the fused scaled-dot-product attention (causal:
/// a position sees itself and earlier ones); `c_proj` mixes the heads back to [T, E].
public final class SelfAttention: Layer {
    public let embed: Int, heads: Int, causal: Bool
    public let queryKeyValue: Linear, projection: Linear
    public var isTraining = true

    /// Attention over `embed` features split into `heads` heads.
    public init(embed: Int, heads: Int, causal: Bool = true) throws(ModelError) {
        try Initialization.requirePositive(embed, "embed", of: "attention")
        try Initialization.requirePositive(heads, "heads", of: "attention")
        guard embed % heads == 0 else {
            throw ModelError("attention: \(heads) heads do not divide embed \(embed)",
                             hint: "each head gets embed / heads features; try heads: \(Self.divisor(of: embed, near: heads))")
        }
        (self.embed, self.heads, self.causal) = (embed, heads, causal)
        queryKeyValue = try Linear(inputSize: embed, outputSize: 3 * embed)
        projection = try Linear(inputSize: embed, outputSize: embed)
    }

    /// The divisor of `value` closest to `wanted` (for the hint).
    static func divisor(of value: Int, near wanted: Int) -> Int {
        (1...max(value, 1)).filter { value % $0 == 0 }.min { abs($0 - wanted) < abs($1 - wanted) } ?? 1
    }

    public var kind: String { "attention" }
    public var specification: LayerSpecification { .attention(embed: embed, heads: heads, causal: causal) }
    public var namedParameters: [(name: String, tensor: Tensor)] {
        queryKeyValue.namedParameters.map { ("c_attn.\($0.name)", $0.tensor) } + projection.namedParameters.map { ("c_proj.\($0.name)", $0.tensor) }
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try projection(Tensor.multiHeadAttention(packed: queryKeyValue(input), heads: heads, causal: causal))
    }

    /// The attention weights softmax(q·kᵀ/√d + mask) of every head for one batch: [B, heads, T, T]
    /// (for teaching: `show attention`, `step` narration).
    public func attentionWeights(_ input: Tensor) throws -> Tensor {
        let (query, key, _) = try headsOf(input)
        var scores = try query.matmul(key, transposingOther: true) * (1 / Float(embed / heads).squareRoot())
        if causal { scores = try scores + Tensor.causalMask(input.shape[1]) }
        return try scores.softmax(axis: -1)
    }

    /// Queries, keys and values of every head: `c_attn(input)` [B, T, 3E] split into three
    /// [B, heads, T, E/heads] tensors (for the teaching path; training reads them in place).
    private func headsOf(_ input: Tensor) throws -> (query: Tensor, key: Tensor, value: Tensor) {
        let (batch, steps) = (input.shape[0], input.shape[1])
        let combined = try queryKeyValue(input)
        func split(_ part: Int) throws -> Tensor {
            try combined.slice(axis: 2, start: part * embed, end: (part + 1) * embed).reshaped([batch, steps, heads, embed / heads])
                .permuted([0, 2, 1, 3])
        }
        return (try split(0), try split(1), try split(2))
    }

    public func outputShape(for input: Shape) throws(ModelError) -> Shape {
        guard input.rank == 2, input[1] == embed else {
            throw ModelError("\(self) expects [steps, \(embed)] per example, but receives \(input.compactDescription)")
        }
        return input
    }

    public func forwardFLOPs(for input: Shape) -> Int {
        let steps = input[0]
        let projections = queryKeyValue.forwardFLOPs(for: input) + projection.forwardFLOPs(for: input)
        let scoresAndMix = 2 * 2 * steps * steps * embed / (causal ? 2 : 1)
        return projections + scoresAndMix
    }
}

/// A pre-norm Transformer block (GPT-2's): x + attn(ln_1(x)), then x + mlp(ln_2(x)) with an MLP
/// of `mlp`·embed hidden units and tanh-GELU. Parameters are named as GPT-2 names them:
/// `ln_1.weight`, `attn.c_attn.weight`, `mlp.c_fc.weight`, `mlp.c_proj.weight`, …
public final class TransformerBlock: Layer {
    public let embed: Int, heads: Int, mlpRatio: Int
    public let firstNorm: LayerNorm, attention: SelfAttention, secondNorm: LayerNorm
    public let expand: Linear, activation: GELU, contract: Linear
    public var isTraining = true

    /// A block over `embed` features with `heads` causal heads.
    public init(embed: Int, heads: Int, mlpRatio: Int = 4) throws(ModelError) {
        try Initialization.requirePositive(mlpRatio, "mlp", of: "transformer_block")
        (self.embed, self.heads, self.mlpRatio) = (embed, heads, mlpRatio)
        attention = try SelfAttention(embed: embed, heads: heads, causal: true)
        firstNorm = try LayerNorm(dimension: embed)
        secondNorm = try LayerNorm(dimension: embed)
        expand = try Linear(inputSize: embed, outputSize: mlpRatio * embed)
        activation = GELU(approximate: .tanh)
        contract = try Linear(inputSize: mlpRatio * embed, outputSize: embed)
    }

    public var kind: String { "transformer_block" }
    public var specification: LayerSpecification { .transformerBlock(embed: embed, heads: heads, mlpRatio: mlpRatio) }
    public var namedParameters: [(name: String, tensor: Tensor)] {
        func prefixed(_ prefix: String, _ layer: any Layer) -> [(name: String, tensor: Tensor)] {
            layer.namedParameters.map { ("\(prefix).\($0.name)", $0.tensor) }
        }
        return prefixed("ln_1", firstNorm) + prefixed("attn", attention) + prefixed("ln_2", secondNorm)
            + prefixed("mlp.c_fc", expand) + prefixed("mlp.c_proj", contract)
    }

    /// The two residual projections GPT-2 scales at initialisation.
    public var residualProjections: [Tensor] { [attention.projection.weight, contract.weight] }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let attended = try input + attention(firstNorm(input))
        return try attended + contract(activation(expand(secondNorm(attended))))
    }

    public func outputShape(for input: Shape) throws(ModelError) -> Shape { try attention.outputShape(for: input) }

    public func forwardFLOPs(for input: Shape) -> Int {
        let hidden = Shape(input.dimensions.dropLast() + [mlpRatio * embed])
        return 2 * firstNorm.forwardFLOPs(for: input) + attention.forwardFLOPs(for: input) + expand.forwardFLOPs(for: input)
            + activation.forwardFLOPs(for: hidden) + contract.forwardFLOPs(for: hidden) + 2 * input.elementCount
    }
}

extension Sequential {
    /// The attention weights [batch, heads, T, T] of every transformer block (by layer index) for
    /// one forward pass over `input`, without recording a graph; empty for a model without blocks.
    public func attentionWeights(_ input: Tensor) throws -> [(layer: Int, weights: Tensor)] {
        try GradientMode.withoutRecording {
            var current = input
            var result: [(layer: Int, weights: Tensor)] = []
            for (index, layer) in layers.enumerated() {
                if let block = layer as? TransformerBlock {
                    result.append((index, try block.attention.attentionWeights(block.firstNorm(current))))
                }
                current = try layer(current)
            }
            return result
        }
    }
}
