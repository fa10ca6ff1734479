import TensorEngine
import Testing

@Suite struct LifetimeTests {
    /// The graph of each step is freed: the live-tensor debug counter returns to its start.
    @Test func tenThousandTrainingStepsLeaveNoTensorsBehind() throws {
        let weight = try Tensor.randn([4, 3])
        let bias = Tensor.zeros([4])
        weight.requiresGrad = true
        bias.requiresGrad = true
        let input = try Tensor.randn([8, 3])
        let target = Tensor([0, 1, 2, 3, 0, 1, 2, 3])
        let start = Tensor.liveCountOnCurrentThread
        for _ in 0..<10_000 {
            let hidden = try (input.matmul(weight, transposingOther: true) + bias).relu()
            let loss = try hidden.crossEntropy(targets: target)
            try loss.backward()
            GradientMode.withoutRecording {
                weight.updateScalars { w in weight.grad!.withUnsafeScalars { g in for i in w.indices { w[i] -= 0.01 * g[i] } } }
            }
            weight.zeroGrad()
            bias.zeroGrad()
        }
        #expect(Tensor.liveCountOnCurrentThread == start)
    }

    /// A forward pass that is never differentiated is freed as well.
    @Test func abandonedGraphIsFreed() throws {
        let start = Tensor.liveCountOnCurrentThread
        do {
            let x = try Tensor.randn([3, 3])
            x.requiresGrad = true
            _ = try x.matmul(x).tanh().sum()
        }
        #expect(Tensor.liveCountOnCurrentThread == start)
    }

    @Test func noGradientModeRecordsNothing() throws {
        let x = Tensor([1, 2])
        x.requiresGrad = true
        let y = GradientMode.withoutRecording { x.exp() * 2 }
        #expect(!y.requiresGrad)
        #expect(y.isLeaf)
        let z = x.exp()
        #expect(z.requiresGrad && !z.isLeaf)
    }

    @Test func gradientsAccumulateAcrossBackwardCallsUntilZeroed() throws {
        let x = Tensor([1, 2])
        x.requiresGrad = true
        try (x * 3).sum().backward()
        try (x * 3).sum().backward()
        #expect(x.grad?.scalars == [6, 6])
        x.zeroGrad()
        try (x * x).sum().backward()
        #expect(x.grad?.scalars == [2, 4])
    }

    @Test func sharedSubexpressionAccumulatesBothPaths() throws {
        let x = Tensor([3])
        x.requiresGrad = true
        let y = x * 2
        try (y * y + y).sum().backward()  // d/dx (4x² + 2x) = 8x + 2
        #expect(x.grad?.scalars == [26])
    }
}
