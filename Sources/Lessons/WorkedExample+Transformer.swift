import NeuralNetworks
import TensorEngine

/// The Transformer topics' worked examples, every number from the engine.
extension WorkedExample {
    /// Three positions, one head of depth 2, by hand (matmul, mask, softmax) and by the fused primitive.
    static func attention() throws -> [String] {
        let q = try Tensor([[1, 0], [0, 1], [1, 1]]), k = try Tensor([[1, 0], [1, 1], [0, 2]]), v = try Tensor([[1, 0], [0, 1], [2, 2]])
        let scores = try q.matmul(k, transposingOther: true) * (1 / Float(2).squareRoot())
        let weights = try (scores + Tensor.causalMask(3)).softmax(axis: -1)
        let out = try weights.matmul(v)
        let fused = try Tensor.scaledDotProductAttention(query: q.reshaped([1, 1, 3, 2]), key: k.reshaped([1, 1, 3, 2]),
                                                         value: v.reshaped([1, 1, 3, 2]), causal: true)
        func rows(_ t: Tensor) -> String { t.scalars.chunks(t.shape[t.rank - 1]).map { Number.list($0) }.joined(separator: ", ") }
        return ["Q = [[1, 0], [0, 1], [1, 1]], K = [[1, 0], [1, 1], [0, 2]], V = [[1, 0], [0, 1], [2, 2]] (3 positions, d = 2)",
                "Q·Kᵀ/√2 = \(rows(scores))",
                "masked and softmaxed, A = \(rows(weights))",
                "row 1 can only see position 1; row 3 sees all three and weighs them by how well its query matches each key",
                "A·V = \(rows(out)); the fused attention kernel gives \(rows(fused))"]
    }

    static func layerNorm() throws -> [String] {
        let x = try Tensor([[1, 2, 3, 6]])
        let y = try x.layerNorm()
        return ["x = [1, 2, 3, 6]: μ = 3, σ² = (4 + 1 + 0 + 9)/4 = 3.5, √(3.5 + 10⁻⁵) = \(Number.text(Float(3.5 + 1e-5).squareRoot()))",
                "y = (x − 3)/1.8708 = \(Number.list(y.scalars)) (γ = 1, β = 0): mean 0, variance 1, whatever the scale of x"]
    }

    static func gelu() throws -> [String] {
        let x = Tensor([-2, -1, -0.5, 0, 1, 2])
        return ["x            = \(Number.list(x.scalars))",
                "gelu(x)      = \(Number.list(x.gelu().scalars))",
                "tanh form    = \(Number.list(x.gelu(approximate: .tanh).scalars))",
                "relu(x)      = \(Number.list(x.relu().scalars)) — GELU dips slightly below 0 for negative x and is smooth at 0"]
    }

    /// A tiny GPT's shapes from ids to logits, its parameters, and the 6·N·D rule for it.
    static func gpt() throws -> [String] {
        let model = try Presets.gpt(vocab: 10, context: 8, layers: 2, heads: 2, embed: 16)
        let shapes = try model.layerOutputShapes(for: [8])
        let path = zip(model.layers, shapes).map { "\($0.kind) \($1.compactDescription)" }.joined(separator: " → ")
        let parameters = model.parameterCount, flops = model.forwardFLOPs(for: [8])
        return ["gpt(vocab: 10, context: 8, layers: 2, heads: 2, embed: 16) on a window of 8 ids:",
                "ids 8 → \(path)",
                "\(parameters) parameters; one window's forward pass is \(flops) FLOPs, about 2 per parameter per token (2·\(parameters)·8 = \(2 * parameters * 8)) plus attention's scores",
                "training on D tokens costs about 6·N·D FLOPs: forward (2) plus backward (4) for each weight and token"]
    }
}
