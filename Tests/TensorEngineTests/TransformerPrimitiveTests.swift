import TensorEngine
import TestSupport
import Testing

/// layer_norm, gelu, causal softmax and fused attention against PyTorch
/// (Tests/Goldens/transformer-goldens.json, written by transformer_goldens.py) to 1e-5, and
/// against central differences.
@Suite struct TransformerGoldenTests {
    let goldens: PyTorchGoldens

    init() throws {
        goldens = try PyTorchGoldens.load("transformer-goldens.json")
    }

    func tensor(_ caseName: String, _ field: String, requiresGrad: Bool = false) throws -> Tensor {
        try goldens.tensor(caseName, field, requiresGrad: requiresGrad)
    }

    func expectMatches(_ actual: Tensor?, _ caseName: String, _ field: String) {
        let problem = goldens.mismatchOf(actual, caseName, field)
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test func layerNorm() throws {
        let (x, weight, bias) = (try tensor("layer_norm", "x", requiresGrad: true), try tensor("layer_norm", "weight", requiresGrad: true),
                                 try tensor("layer_norm", "bias", requiresGrad: true))
        let y = try x.layerNorm(weight: weight, bias: bias)
        expectMatches(y, "layer_norm", "y")
        try (y * tensor("layer_norm", "upstream")).sum().backward()
        expectMatches(x.grad, "layer_norm", "dx")
        expectMatches(weight.grad, "layer_norm", "dweight")
        expectMatches(bias.grad, "layer_norm", "dbias")
    }

    @Test(arguments: [GELUApproximation.none, .tanh])
    func gelu(_ approximate: GELUApproximation) throws {
        let name = "gelu_\(approximate.rawValue)"
        let x = try tensor(name, "x", requiresGrad: true)
        let y = x.gelu(approximate: approximate)
        expectMatches(y, name, "y")
        try (y * tensor(name, "upstream")).sum().backward()
        expectMatches(x.grad, name, "dx")
    }

    @Test func causalSoftmaxHandlesMinusInfinity() throws {
        let scores = try tensor("causal_softmax", "scores", requiresGrad: true)
        let p = try (scores + Tensor.causalMask(4)).softmax(axis: -1)
        expectMatches(p, "causal_softmax", "p")
        try (p * tensor("causal_softmax", "upstream")).sum().backward()
        expectMatches(scores.grad, "causal_softmax", "dscores")
        #expect(p.scalars[1] == 0 && p.scalars[3] == 0, "above the diagonal is exactly 0")
    }

    @Test(arguments: [("attention_causal", true), ("attention_cross", false)])
    func fusedAttention(_ name: String, _ causal: Bool) throws {
        let (q, k, v) = (try tensor(name, "q", requiresGrad: true), try tensor(name, "k", requiresGrad: true), try tensor(name, "v", requiresGrad: true))
        let out = try Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: causal)
        expectMatches(out, name, "out")
        try (out * tensor(name, "upstream")).sum().backward()
        expectMatches(q.grad, name, "dq")
        expectMatches(k.grad, name, "dk")
        expectMatches(v.grad, name, "dv")
    }
}

/// The same primitives against central differences on fresh random inputs.
@Suite struct TransformerGradientTests {
    @Test func layerNormGradients() throws {
        GlobalRandom.seed(3)
        let inputs = [try Tensor.randn([3, 6]), try Tensor.randn([6]), try Tensor.randn([6])]
        let report = try checkGradients(of: { try $0[0].layerNorm(weight: $0[1], bias: $0[2]) }, at: inputs)
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: [GELUApproximation.none, .tanh])
    func geluGradients(_ approximate: GELUApproximation) throws {
        GlobalRandom.seed(4)
        let report = try checkGradients(of: { $0[0].gelu(approximate: approximate) }, at: [try Tensor.randn([10])])
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: [true, false])
    func attentionGradients(_ causal: Bool) throws {
        GlobalRandom.seed(5)
        let inputs = [try Tensor.randn([2, 3, 4]), try Tensor.randn([2, 3, 4]), try Tensor.randn([2, 3, 4])]
        let report = try checkGradients(of: { try Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], causal: causal) },
                                        at: inputs)
        #expect(report.passed, "\(report)")
    }

    @Test func attentionEqualsTheComposedFormula() throws {
        GlobalRandom.seed(6)
        let (q, k, v) = (try Tensor.randn([2, 5, 4]), try Tensor.randn([2, 5, 4]), try Tensor.randn([2, 5, 4]))
        let fused = try Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true)
        let scores = try q.matmul(k, transposingOther: true) * 0.5 + Tensor.causalMask(5)
        let composed = try scores.softmax(axis: -1).matmul(v)
        #expect(mismatch(fused.scalars, composed.scalars, absoluteTolerance: 1e-5, relativeTolerance: 1e-4) == nil)
    }

    @Test func badShapesAreClearErrors() throws {
        let q = try Tensor.randn([2, 3, 4])
        #expect(throws: TensorError.self) { try Tensor.scaledDotProductAttention(query: q, key: try Tensor.randn([2, 3, 5]), value: q, causal: true) }
        #expect(throws: TensorError.self) { try q.layerNorm(weight: try Tensor.randn([3])) }
    }
}
