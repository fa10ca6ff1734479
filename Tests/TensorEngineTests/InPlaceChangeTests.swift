import TensorEngine
import TestSupport
import Testing

/// A primitive and a way to change, in place, one of the values its pullback saved.
struct SavedValueCase: CustomStringConvertible, Sendable {
    let name: String
    /// Builds the output from fresh inputs and returns it with the tensor to change afterwards.
    let make: @Sendable () throws -> (output: Tensor, changed: Tensor)
    var description: String { name }
}

private func leaf(_ shape: Shape, seed: UInt64) throws -> Tensor {
    var generator = RandomGenerator(seed: seed)
    let tensor = try Tensor.rand(shape, low: 0.5, high: 1.5, generator: &generator)
    tensor.requiresGrad = true
    return tensor
}

/// Every primitive that saves a value (its input or its output) for backward.
let savedValueCases: [SavedValueCase] = [
    SavedValueCase(name: "multiply saves its operands") { let x = try leaf([3], seed: 1); return (try (x * x).sum(), x) },
    SavedValueCase(name: "divide saves the divisor") { let (x, y) = (try leaf([3], seed: 1), try leaf([3], seed: 2)); return (try (x / y).sum(), y) },
    SavedValueCase(name: "pow saves the base") { let x = try leaf([3], seed: 1); return (try x.pow(Tensor(2)).sum(), x) },
    SavedValueCase(name: "exp saves its output") { let x = try leaf([3], seed: 1); let y = x.exp(); return (try y.sum(), y) },
    SavedValueCase(name: "log saves its input") { let x = try leaf([3], seed: 1); return (try x.log().sum(), x) },
    SavedValueCase(name: "sqrt saves its output") { let x = try leaf([3], seed: 1); let y = x.sqrt(); return (try y.sum(), y) },
    SavedValueCase(name: "relu saves its input") { let x = try leaf([3], seed: 1); return (try x.relu().sum(), x) },
    SavedValueCase(name: "sigmoid saves its output") { let x = try leaf([3], seed: 1); let y = x.sigmoid(); return (try y.sum(), y) },
    SavedValueCase(name: "tanh saves its output") { let x = try leaf([3], seed: 1); let y = x.tanh(); return (try y.sum(), y) },
    SavedValueCase(name: "max saves input and maxima") { let x = try leaf([2, 3], seed: 1); return (try x.max(axes: [1]).sum(), x) },
    SavedValueCase(name: "matmul saves its operands") {
        let (a, b) = (try leaf([2, 3], seed: 1), try leaf([3, 2], seed: 2)); return (try a.matmul(b).sum(), b)
    },
    SavedValueCase(name: "linear saves input and weight") {
        let (x, w) = (try leaf([2, 3], seed: 1), try leaf([4, 3], seed: 2)); return (try x.linear(weight: w, bias: nil).sum(), w)
    },
    SavedValueCase(name: "conv2d saves input and weight") {
        let (x, w) = (try leaf([1, 1, 4, 4], seed: 1), try leaf([2, 1, 3, 3], seed: 2)); return (try x.conv2d(weight: w).sum(), x)
    },
    SavedValueCase(name: "log_softmax saves its output") {
        let x = try leaf([2, 3], seed: 1); let y = try x.logSoftmax(); return (try (y * Tensor([1, 2, 3])).sum(), y)
    },
    SavedValueCase(name: "layer_norm saves input and weight") {
        let (x, w) = (try leaf([2, 4], seed: 1), try leaf([4], seed: 2)); return (try (x.layerNorm(weight: w) * x).sum(), w)
    },
    SavedValueCase(name: "attention saves queries, keys, values and output") {
        let (q, k, v) = (try leaf([1, 2, 2], seed: 1), try leaf([1, 2, 2], seed: 2), try leaf([1, 2, 2], seed: 3))
        return (try Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true).sum(), k)
    },
]

@Suite struct InPlaceChangeTests {
    /// A mark that says where the change happened, as the language's statement does.
    final class Site: ChangeSite {
        var summary: String { "by the test" }
    }

    @Test(arguments: savedValueCases)
    func changingASavedValueMakesBackwardRefuse(_ example: SavedValueCase) throws {
        let (output, changed) = try example.make()
        let site = Site()
        GradientMode.withoutRecording { changed.noteInPlaceChange(at: site) }
        let error = try #require(throws: TensorError.self) { try output.backward() }
        #expect(error.message.contains("saved for the gradient was changed in place (by the test)"), "\(error.message)")
        #expect(error.changeSite === site)
    }

    @Test(arguments: savedValueCases)
    func unchangedValuesDifferentiateAsBefore(_ example: SavedValueCase) throws {
        let (output, _) = try example.make()
        try output.backward()
    }

    @Test func operationsThatSaveNothingIgnoreTheChange() throws {
        let x = try leaf([3], seed: 1)
        let y = try ((x + 1) - x * 2).sum() + x.reshaped([3, 1]).sum()
        x.updateScalars { $0[0] = 100 }
        try y.backward()
        #expect(x.grad?.scalars == [0, 0, 0])
    }

    @Test func aRefusedBackwardLeavesGradientsAndGraphAlone() throws {
        let (a, b) = (try leaf([2], seed: 1), try leaf([2], seed: 2))
        let y = try (a * a).sum() + (b * 3).sum()
        a.updateScalars { $0[0] += 1 }
        #expect(throws: TensorError.self) { try y.backward() }
        #expect(a.grad == nil && b.grad == nil)
        a.updateScalars { $0[0] -= 1 }  // a new version, not the old one: still refused
        #expect(throws: TensorError.self) { try y.backward() }
    }

    @Test func anInPlaceChangeOfAComputedTensorIsRecorded() throws {
        let (a, b) = (Tensor([1]), Tensor([3]))
        a.requiresGrad = true
        b.requiresGrad = true
        let c = try a + b
        let changed = try c.changedInPlace(at: nil) { try $0 + ($0 + 1) }
        #expect(changed !== c && changed.scalars == [9] && c.scalars == [9], "same storage, new node")
        try changed.backward()
        #expect(a.grad?.scalars == [2] && b.grad?.scalars == [2])
    }

    @Test func aLeafThatNeedsAGradientChangesOnlyWithoutRecording() throws {
        let w = try leaf([2], seed: 1)
        #expect(throws: TensorError.self) { _ = try w.changedInPlace(at: nil) { $0 - 0.1 } }
        let version = w.version
        let same = try GradientMode.withoutRecording { try w.changedInPlace(at: nil) { $0 - 0.1 } }
        #expect(same === w && w.version == version + 1 && w.isLeaf)
    }

    @Test func overwrittenIsGradchecked() throws {
        let report = try checkGradients(of: { inputs in
            try (inputs[0] * 2).overwritten([SliceRange(start: 1, end: 3)], with: inputs[1]).tanh()
        }, at: [try leaf([2, 4], seed: 1), try leaf([4], seed: 2)])
        #expect(report.passed, "\(report)")
    }

    @Test func retainedGradientsOfIntermediateTensors() throws {
        let x = Tensor([1, 2, 3])
        x.requiresGrad = true
        let p = x * 3
        p.retainGrad()
        try (p * p).sum().backward()
        #expect(p.grad?.scalars == [6, 12, 18])
        #expect(x.grad?.scalars == [18, 36, 54])
    }
}
