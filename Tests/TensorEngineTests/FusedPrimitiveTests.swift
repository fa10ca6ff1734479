import TensorEngine
import TestSupport
import Testing

/// The fused paths the GPT trains through: `linear` (bias in the GEMM) and `multiHeadAttention`
/// (heads read in place from c_attn's output) give what their composed forms give, forward and
/// backward, and pass central differences.
@Suite struct FusedPrimitiveTests {
    /// Forward values and the gradients of every input under a fixed upstream.
    func valuesAndGradients(_ inputs: [Tensor], upstream: Tensor, _ function: ([Tensor]) throws -> Tensor) throws -> [[Float]] {
        let leaves = inputs.map { $0.copy() }
        for leaf in leaves { leaf.requiresGrad = true }
        let output = try function(leaves)
        try (output * upstream).sum().backward()
        return [output.scalars] + leaves.map { $0.grad?.scalars ?? [] }
    }

    @Test(arguments: [true, false])
    func linearIsMatmulThenAdd(_ withBias: Bool) throws {
        GlobalRandom.seed(11)
        let inputs = [try Tensor.randn([2, 3, 5]), try Tensor.randn([4, 5])] + (withBias ? [try Tensor.randn([4])] : [])
        let upstream = try Tensor.randn([2, 3, 4])
        let fused = try valuesAndGradients(inputs, upstream: upstream) { try $0[0].linear(weight: $0[1], bias: withBias ? $0[2] : nil) }
        let composed = try valuesAndGradients(inputs, upstream: upstream) { parts in
            let product = try parts[0].matmul(parts[1], transposingOther: true)
            return withBias ? try product + parts[2] : product
        }
        for (a, b) in zip(fused, composed) { #expect(mismatch(a, b, absoluteTolerance: 1e-6, relativeTolerance: 1e-6) == nil) }
        let report = try checkGradients(of: { try $0[0].linear(weight: $0[1], bias: withBias ? $0[2] : nil) }, at: inputs)
        #expect(report.passed, "\(report)")
    }

    @Test func linearOfAVectorAndItsShapeErrors() throws {
        let (weight, bias) = (try Tensor.randn([3, 2]), try Tensor.randn([3]))
        #expect(try Tensor.randn([2]).linear(weight: weight, bias: bias).shape == Shape([3]))
        #expect(throws: TensorError.self) { try Tensor.randn([4, 5]).linear(weight: weight, bias: bias) }
        #expect(throws: TensorError.self) { try Tensor.randn([4, 2]).linear(weight: weight, bias: try Tensor.randn([2])) }
    }

    /// q, k, v split from [B, T, 3E], one view per head, attention, heads joined again: the
    /// composed path that `multiHeadAttention` replaces.
    func composedAttention(_ packed: Tensor, heads: Int, causal: Bool) throws -> Tensor {
        let (batch, steps, embed) = (packed.shape[0], packed.shape[1], packed.shape[2] / 3)
        func split(_ part: Int) throws -> Tensor {
            try packed.slice(axis: 2, start: part * embed, end: (part + 1) * embed)
                .reshaped([batch, steps, heads, embed / heads]).permuted([0, 2, 1, 3])
        }
        let attended = try Tensor.scaledDotProductAttention(query: split(0), key: split(1), value: split(2), causal: causal)
        return try attended.permuted([0, 2, 1, 3]).reshaped([batch, steps, embed])
    }

    @Test(arguments: [true, false])
    func multiHeadAttentionIsSplitAttendJoin(_ causal: Bool) throws {
        GlobalRandom.seed(12)
        let packed = try Tensor.randn([2, 5, 18])  // 2 heads of depth 3
        let upstream = try Tensor.randn([2, 5, 6])
        let fused = try valuesAndGradients([packed], upstream: upstream) { try Tensor.multiHeadAttention(packed: $0[0], heads: 2, causal: causal) }
        let composed = try valuesAndGradients([packed], upstream: upstream) { try composedAttention($0[0], heads: 2, causal: causal) }
        for (a, b) in zip(fused, composed) { #expect(mismatch(a, b, absoluteTolerance: 1e-6, relativeTolerance: 1e-5) == nil) }
        let report = try checkGradients(of: { try Tensor.multiHeadAttention(packed: $0[0], heads: 2, causal: causal) },
                                        at: [try Tensor.randn([2, 4, 12])])
        #expect(report.passed, "\(report)")
    }

    @Test func multiHeadAttentionShapeErrors() throws {
        #expect(throws: TensorError.self) { try Tensor.multiHeadAttention(packed: try Tensor.randn([2, 5, 12]), heads: 5, causal: true) }
        #expect(throws: TensorError.self) { try Tensor.multiHeadAttention(packed: try Tensor.randn([5, 12]), heads: 2, causal: true) }
    }

    /// `rectifiedMaxPool2d` (what a model's ReLU → max-pool runs as) is `relu().maxPool2d(…)` bit for
    /// bit, forward and backward: negative and all-negative windows, ±0, ties, a NaN, overlapping and
    /// 2×2 windows; and without recording it gives the same values.
    @Test(arguments: [(2, 2), (3, 2), (2, 1)])
    func rectifiedMaxPoolIsReLUThenMaxPool(_ window: (kernel: Int, stride: Int)) throws {
        GlobalRandom.seed(13)
        var values = try Tensor.randn([2, 3, 6, 6]).scalars
        for index in stride(from: 0, to: 12, by: 1) { values[index] = -abs(values[index]) }  // all-negative windows
        values[20] = -0.0; values[21] = 0; values[30] = .nan; values[40] = values[41]  // ±0, a NaN, a tie
        let input = try Tensor(shape: [2, 3, 6, 6], scalars: values)
        let upstreamShape = try input.maxPool2d(kernel: window.kernel, stride: window.stride).shape
        let upstream = try Tensor.randn(upstreamShape)
        let fused = try valuesAndGradients([input], upstream: upstream) { try $0[0].rectifiedMaxPool2d(kernel: window.kernel, stride: window.stride) }
        let composed = try valuesAndGradients([input], upstream: upstream) { try $0[0].relu().maxPool2d(kernel: window.kernel, stride: window.stride) }
        #expect(fused.map { $0.map(\.bitPattern) } == composed.map { $0.map(\.bitPattern) })
        let unrecorded = try GradientMode.withoutRecording { try input.rectifiedMaxPool2d(kernel: window.kernel, stride: window.stride) }
        #expect(unrecorded.scalars.map(\.bitPattern) == fused[0].map(\.bitPattern))
    }
}
