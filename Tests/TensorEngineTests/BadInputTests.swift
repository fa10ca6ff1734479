import TensorEngine
import Testing

/// One kind of bad input and a fragment the error message must contain.
struct BadInputCase: CustomStringConvertible, Sendable {
    let name: String
    let expectedMessage: String
    let operation: @Sendable () throws -> Tensor
    var description: String { name }
}

private func t(_ dimensions: [Int]) -> Tensor { Tensor.zeros(Shape(dimensions)) }

let badInputCases: [BadInputCase] = [
    BadInputCase(name: "add mismatched shapes", expectedMessage: "add: shapes [2, 3] and [4] cannot be broadcast together (axis -1: 3 vs 4)") {
        try t([2, 3]) + t([4])
    },
    BadInputCase(name: "matmul inner sizes", expectedMessage: "matmul: shapes [2, 3] and [4, 5] cannot be multiplied (3 != 4)") {
        try t([2, 3]).matmul(t([4, 5]))
    },
    BadInputCase(name: "matmul scalar", expectedMessage: "matmul: both operands need at least one axis") {
        try Tensor(2).matmul(t([2]))
    },
    BadInputCase(name: "matmul batch axes", expectedMessage: "matmul (batch axes): shapes [2] and [3] cannot be broadcast") {
        try t([2, 2, 3]).matmul(t([3, 3, 2]))
    },
    BadInputCase(name: "sum axis out of range", expectedMessage: "sum: axis 2 is out of range for a tensor of rank 2") {
        try t([2, 3]).sum(axes: [2])
    },
    BadInputCase(name: "negative axis out of range", expectedMessage: "log_softmax: axis -3 is out of range for a tensor of rank 2") {
        try t([2, 3]).logSoftmax(axis: -3)
    },
    BadInputCase(name: "repeated axis", expectedMessage: "mean: axis -1 is repeated in [1, -1]") {
        try t([2, 3]).mean(axes: [1, -1])
    },
    BadInputCase(name: "select index out of range", expectedMessage: "index 3 is out of range for axis 0 of size 3") {
        try t([3, 2]).select(axis: 0, index: 3)
    },
    BadInputCase(name: "index_select out of range", expectedMessage: "index_select: index 5 is out of range for size 4") {
        try t([4, 2]).indexSelect(axis: 0, indices: Tensor([1, 5]))
    },
    BadInputCase(name: "index_select fractional", expectedMessage: "index_select: index 1.5 is out of range for size 4") {
        try t([4, 2]).indexSelect(axis: 0, indices: Tensor([1.5]))
    },
    BadInputCase(name: "embedding index out of range", expectedMessage: "embedding: index 7 is out of range for size 5") {
        try t([5, 2]).embeddingLookup(Tensor([7]))
    },
    BadInputCase(name: "cross entropy target out of range", expectedMessage: "cross_entropy: target: index 10 is out of range for size 10") {
        try t([2, 10]).crossEntropy(targets: Tensor([3, 10]))
    },
    BadInputCase(name: "cross entropy target count", expectedMessage: "cross_entropy: targets of shape [3] do not match logits of shape [2, 10]") {
        try t([2, 10]).crossEntropy(targets: Tensor([1, 2, 3]))
    },
    BadInputCase(name: "negative size", expectedMessage: "zeros: size -2 at axis 1 of [3, -2] is negative") {
        try Tensor.zeros(validating: [3, -2])
    },
    BadInputCase(name: "negative size randn", expectedMessage: "randn: size -1 at axis 0 of [-1] is negative") {
        try Tensor.randn([-1])
    },
    BadInputCase(name: "values do not fill shape", expectedMessage: "tensor: 5 values do not fill shape [2, 3] (6 needed)") {
        try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5])
    },
    BadInputCase(name: "ragged nested lists", expectedMessage: "nested lists are ragged: element [1] has shape [1], but element [0] has shape [2]") {
        try Tensor([[1, 2], [3]])
    },
    BadInputCase(name: "reshape count", expectedMessage: "reshape: cannot reshape [2, 3] (6 elements) into [4, 2] (8 elements)") {
        try t([2, 3]).reshaped([4, 2])
    },
    BadInputCase(name: "reshape two inferred", expectedMessage: "reshape: only one size can be -1") {
        try t([2, 3]).reshaped([-1, -1])
    },
    BadInputCase(name: "permute not an ordering", expectedMessage: "permute: [0, 0] is not an ordering of the 2 axes") {
        try t([2, 3]).permuted([0, 0])
    },
    BadInputCase(name: "expand incompatible", expectedMessage: "expand: shapes [3] and [2, 4] cannot be broadcast together") {
        try t([3]).expanded(to: [2, 4])
    },
    BadInputCase(name: "slice zero step", expectedMessage: "slice: step 0 on axis 0 must be positive") {
        try t([4]).slice(axis: 0, step: 0)
    },
    BadInputCase(name: "concatenate sizes", expectedMessage: "concatenate: tensor 1 has shape [3, 3], tensor 0 has shape [2, 3] (axis 0: 3 vs 2)") {
        try Tensor.concatenate([t([2, 3]), t([3, 3])], axis: 1)
    },
    BadInputCase(name: "stack shapes", expectedMessage: "stack: tensor 1 has shape [3], tensor 0 has shape [2]") {
        try Tensor.stack([t([2]), t([3])])
    },
    BadInputCase(name: "conv2d channels", expectedMessage: "conv2d: weight [16, 3, 3, 3] expects 3 input channels, but the input [1, 1, 28, 28] has 1") {
        try t([1, 1, 28, 28]).conv2d(weight: t([16, 3, 3, 3]))
    },
    BadInputCase(name: "conv2d rank", expectedMessage: "conv2d: input must have 4 axes [batch, channels, height, width], got shape [1, 28, 28]") {
        try t([1, 28, 28]).conv2d(weight: t([16, 1, 3, 3]))
    },
    BadInputCase(name: "conv2d kernel too large", expectedMessage: "conv2d: a 5x5 kernel does not fit a 3x3 input with padding 0") {
        try t([1, 1, 3, 3]).conv2d(weight: t([1, 1, 5, 5]))
    },
    BadInputCase(name: "maxpool window too large", expectedMessage: "maxpool: a 4x4 window does not fit a 3x3 input") {
        try t([1, 1, 3, 3]).maxPool2d(kernel: 4)
    },
    BadInputCase(name: "max of empty", expectedMessage: "max: the tensor of shape [0, 3] is empty along the reduced axes") {
        try t([0, 3]).max()
    },
    BadInputCase(name: "argmax of empty", expectedMessage: "argmax: the tensor of shape [0] is empty") {
        try t([0]).argmax()
    },
    BadInputCase(name: "mean of empty", expectedMessage: "mean: no elements to average over in a tensor of shape [2, 0]") {
        try t([2, 0]).mean(axes: [1])
    },
    BadInputCase(name: "cross entropy empty batch", expectedMessage: "cross_entropy: the batch is empty") {
        try t([0, 3]).crossEntropy(targets: t([0]))
    },
    BadInputCase(name: "dropout probability", expectedMessage: "dropout: probability must be in [0, 1), got 1.0") {
        try t([2]).dropout(probability: 1)
    },
    BadInputCase(name: "randint empty range", expectedMessage: "randint: high (3) must be greater than low (3)") {
        try Tensor.randint(3, 3, [2])
    },
    BadInputCase(name: "arange zero step", expectedMessage: "arange: step must be a non-zero finite number, got 0.0") {
        try Tensor.arange(0, 5, step: 0)
    },
]

@Suite struct BadInputTests {
    @Test(arguments: badInputCases)
    func throwsNamedError(_ testCase: BadInputCase) {
        #expect {
            _ = try testCase.operation()
        } throws: { error in
            let message = (error as? TensorError)?.message ?? ""
            return message.contains(testCase.expectedMessage)
        }
    }

    @Test func itemOfManyElementsIsAnError() {
        #expect(throws: TensorError.self) { try Tensor.zeros([2]).item() }
    }

    @Test func backwardOfNonScalarNeedsAGradient() throws {
        let x = Tensor.ones([3])
        x.requiresGrad = true
        #expect { try (x * 2).backward() } throws: { error in
            (error as? TensorError)?.message.contains("not one element") == true
        }
    }

    @Test func backwardOfConstantIsAnError() {
        #expect(throws: TensorError.self) { try Tensor.ones([1]).backward() }
    }

    @Test func secondBackwardThroughReleasedGraphIsAnError() throws {
        let x = Tensor([1, 2, 3])
        x.requiresGrad = true
        let y = x.exp()
        try y.sum().backward()
        #expect { try (y * 2).sum().backward() } throws: { error in
            (error as? TensorError)?.message.contains("already used by an earlier backward()") == true
        }
    }

    @Test func emptyTensorsWorkWhereDefined() throws {
        #expect(try Tensor.zeros([0, 3]).sum().item() == 0)
        #expect(try (Tensor.zeros([0, 3]) + Tensor.zeros([3])).shape == [0, 3])
        #expect(try Tensor.zeros([2, 0]).matmul(Tensor.zeros([0, 3])).scalars == [0, 0, 0, 0, 0, 0])
    }
}
