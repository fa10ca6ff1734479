import TensorEngine
import TestSupport
import Testing

/// One differentiable primitive (or composition) at one set of input shapes.
struct GradientCase: CustomStringConvertible, Sendable {
    let name: String
    let shapes: [[Int]]
    /// Inputs drawn from [0.5, 2.5) instead of around zero (for log, sqrt, pow, division).
    var positive: Set<Int> = []
    let function: @Sendable ([Tensor]) throws -> Tensor

    var description: String { "\(name) \(shapes.map { Shape($0).description }.joined(separator: " "))" }

    /// Deterministic inputs whose values are at least 0.04 apart from each other and from 0, so
    /// kinks (relu, abs, max, pooling) stay further than ε from every evaluation point.
    func makeInputs() throws -> [Tensor] {
        var generator = RandomGenerator(seed: UInt64(name.utf8.count * 31 + shapes.count))
        return try shapes.enumerated().map { index, dimensions in
            let count = Shape(dimensions).elementCount
            var values = (0..<count).map { k in Float(k - count / 2) * 0.137 + 0.03 + 0.04 * Float(index) }
            if positive.contains(index) { values = (0..<count).map { k in 0.5 + Float(k) * 0.137 } }
            values.shuffle(using: &generator)
            return try Tensor(shape: Shape(dimensions), scalars: values)
        }
    }
}

private func index(_ values: [Float]) -> Tensor { Tensor(values) }

let gradientCases: [GradientCase] = [
    GradientCase(name: "add", shapes: [[2, 3], [2, 3]]) { try $0[0] + $0[1] },
    GradientCase(name: "add broadcast row", shapes: [[2, 3], [3]]) { try $0[0] + $0[1] },
    GradientCase(name: "add broadcast both", shapes: [[4, 1, 3], [2, 1]]) { try $0[0] + $0[1] },
    GradientCase(name: "subtract broadcast", shapes: [[3, 1], [1, 4]]) { try $0[0] - $0[1] },
    GradientCase(name: "multiply", shapes: [[2, 3], [2, 3]]) { try $0[0] * $0[1] },
    GradientCase(name: "multiply broadcast channel", shapes: [[2, 3, 2, 2], [1, 3, 1, 1]]) { try $0[0] * $0[1] },
    GradientCase(name: "divide", shapes: [[2, 3], [2, 3]], positive: [1]) { try $0[0] / $0[1] },
    GradientCase(name: "divide broadcast", shapes: [[2, 3], [2, 1]], positive: [1]) { try $0[0] / $0[1] },
    GradientCase(name: "pow", shapes: [[2, 3], [2, 3]], positive: [0]) { try $0[0].pow($0[1]) },
    GradientCase(name: "pow broadcast exponent", shapes: [[2, 3], [1]], positive: [0]) { try $0[0].pow($0[1]) },
    GradientCase(name: "maximum", shapes: [[2, 3], [2, 3]]) { try $0[0].maximum($0[1]) },
    GradientCase(name: "maximum broadcast", shapes: [[2, 3], [3]]) { try $0[0].maximum($0[1]) },
    GradientCase(name: "minimum broadcast", shapes: [[3, 1], [2]]) { try $0[0].minimum($0[1]) },
    GradientCase(name: "scalar affine", shapes: [[2, 3]]) { $0[0] * 2.5 - 1 },
    GradientCase(name: "number over tensor", shapes: [[5]], positive: [0]) { try 3 / $0[0] },
    GradientCase(name: "negate", shapes: [[2, 3]]) { -$0[0] },
    GradientCase(name: "exp", shapes: [[2, 3]]) { $0[0].exp() },
    GradientCase(name: "log", shapes: [[2, 3]], positive: [0]) { $0[0].log() },
    GradientCase(name: "sqrt", shapes: [[2, 3]], positive: [0]) { $0[0].sqrt() },
    GradientCase(name: "abs", shapes: [[2, 3]]) { $0[0].abs() },
    GradientCase(name: "relu", shapes: [[3, 4]]) { $0[0].relu() },
    GradientCase(name: "sigmoid", shapes: [[3, 4]]) { $0[0].sigmoid() },
    GradientCase(name: "tanh", shapes: [[3, 4]]) { $0[0].tanh() },
    GradientCase(name: "sin", shapes: [[3, 4]]) { $0[0].sin() },
    GradientCase(name: "cos", shapes: [[3, 4]]) { $0[0].cos() },
    GradientCase(name: "pow cube of negatives", shapes: [[2, 3]]) { try $0[0].pow(Tensor(3)) },
    GradientCase(name: "where broadcast", shapes: [[2, 3], [3]]) {
        try Tensor.selecting(Tensor(shape: [2, 3], scalars: [1, 0, 1, 0, 0, 1]), $0[0], $0[1])
    },
    GradientCase(name: "clamp both bounds", shapes: [[3, 4]]) { try $0[0].clamped(low: -0.3, high: 0.4) },
    GradientCase(name: "min axis keepdim", shapes: [[3, 4]]) { try $0[0].min(axes: [1], keepingDimensions: true) },
    GradientCase(name: "squeeze unsqueeze", shapes: [[3, 1, 2]]) { try $0[0].squeezed().unsqueezed(axis: 0) },
    GradientCase(name: "flatten middle axes", shapes: [[2, 3, 2, 2]]) { try $0[0].flattened(start: 1, end: 2) },
    GradientCase(name: "index by tensor rows (C[X])", shapes: [[5, 2]]) {
        try $0[0].indexed(by: [Tensor(shape: [2, 3], scalars: [1, 4, 1, 0, -1, 2])])
    },
    GradientCase(name: "index by two tensors (p[arange(n), ys])", shapes: [[3, 4]]) {
        try $0[0].indexed(by: [index([0, 1, 2, 2]), index([3, 0, 1, 1])])
    },
    GradientCase(name: "sum all", shapes: [[2, 3, 4]]) { try $0[0].sum() },
    GradientCase(name: "sum axis", shapes: [[2, 3, 4]]) { try $0[0].sum(axes: [1]) },
    GradientCase(name: "sum axes keepdims", shapes: [[2, 3, 4]]) { try $0[0].sum(axes: [0, 2], keepingDimensions: true) },
    GradientCase(name: "mean axes", shapes: [[2, 3, 4]]) { try $0[0].mean(axes: [-1, 0]) },
    GradientCase(name: "max all", shapes: [[3, 4]]) { try $0[0].max() },
    GradientCase(name: "max axis", shapes: [[3, 4]]) { try $0[0].max(axes: [1]) },
    GradientCase(name: "max axes keepdims", shapes: [[2, 3, 4]]) { try $0[0].max(axes: [0, 2], keepingDimensions: true) },
    GradientCase(name: "reshape", shapes: [[2, 6]]) { try $0[0].reshaped([3, -1]) * Tensor(shape: [3, 4], scalars: (0..<12).map(Float.init)) },
    GradientCase(name: "permute", shapes: [[2, 3, 4]]) { try $0[0].permuted([2, 0, 1]) },
    GradientCase(name: "transpose", shapes: [[3, 5]]) { try $0[0].transposed() },
    GradientCase(name: "expand", shapes: [[3, 1]]) { try $0[0].expanded(to: [2, 3, 4]) },
    GradientCase(name: "slice steps", shapes: [[5, 6]]) { try $0[0].sliced([SliceRange(start: 1, end: 5, step: 2), SliceRange(start: -5, step: 3)]) },
    GradientCase(name: "select", shapes: [[3, 4]]) { try $0[0].select(axis: 1, index: -2) },
    GradientCase(name: "concatenate", shapes: [[2, 3], [2, 1], [2, 2]]) { try Tensor.concatenate($0, axis: 1) },
    GradientCase(name: "stack", shapes: [[2, 3], [2, 3]]) { try Tensor.stack($0, axis: 1) },
    GradientCase(name: "index_select repeated", shapes: [[4, 3]]) { try $0[0].indexSelect(axis: 0, indices: index([3, 0, 3, 1])) },
    GradientCase(name: "index_select axis 1", shapes: [[2, 4, 2]]) { try $0[0].indexSelect(axis: 1, indices: index([2, 2, 0])) },
    GradientCase(name: "gather", shapes: [[3, 4]]) {
        try $0[0].gather(axis: 1, index: Tensor(shape: [3, 2], scalars: [0, 3, 1, 1, 2, 0]))
    },
    GradientCase(name: "embedding", shapes: [[5, 3]]) {
        try $0[0].embeddingLookup(Tensor(shape: [2, 3], scalars: [1, 4, 1, 0, 2, 4]))
    },
    GradientCase(name: "matmul", shapes: [[2, 3], [3, 4]]) { try $0[0].matmul($0[1]) },
    GradientCase(name: "matmul transposed right", shapes: [[2, 3], [4, 3]]) { try $0[0].matmul($0[1], transposingOther: true) },
    GradientCase(name: "matmul transposed left", shapes: [[3, 2], [3, 4]]) { try $0[0].matmul($0[1], transposingSelf: true) },
    GradientCase(name: "matmul transposed both", shapes: [[3, 2], [4, 3]]) {
        try $0[0].matmul($0[1], transposingSelf: true, transposingOther: true)
    },
    GradientCase(name: "matmul batched", shapes: [[2, 2, 3], [2, 3, 2]]) { try $0[0].matmul($0[1]) },
    GradientCase(name: "matmul batch times matrix", shapes: [[2, 2, 3], [3, 2]]) { try $0[0].matmul($0[1]) },
    GradientCase(name: "matmul matrix times batch", shapes: [[2, 3], [2, 3, 2]]) { try $0[0].matmul($0[1]) },
    GradientCase(name: "matmul broadcast batch", shapes: [[2, 1, 2, 3], [3, 3, 2]]) { try $0[0].matmul($0[1]) },
    GradientCase(name: "matmul vector matrix", shapes: [[3], [3, 2]]) { try $0[0].matmul($0[1]) },
    GradientCase(name: "matmul matrix vector", shapes: [[2, 3], [3]]) { try $0[0].matmul($0[1]) },
    GradientCase(name: "conv2d pad 1", shapes: [[2, 2, 4, 4], [3, 2, 3, 3], [3]]) {
        try $0[0].conv2d(weight: $0[1], bias: $0[2], padding: 1)
    },
    GradientCase(name: "conv2d stride 2 no bias", shapes: [[1, 2, 5, 5], [2, 2, 3, 3]]) {
        try $0[0].conv2d(weight: $0[1], stride: 2)
    },
    GradientCase(name: "conv2d 1x1", shapes: [[2, 3, 2, 2], [2, 3, 1, 1], [2]]) { try $0[0].conv2d(weight: $0[1], bias: $0[2]) },
    GradientCase(name: "maxpool 2", shapes: [[2, 2, 4, 4]]) { try $0[0].maxPool2d(kernel: 2) },
    GradientCase(name: "maxpool 3 stride 2 overlapping", shapes: [[1, 2, 5, 5]]) { try $0[0].maxPool2d(kernel: 3, stride: 2) },
    GradientCase(name: "maxpool odd size floors", shapes: [[1, 1, 5, 3]]) { try $0[0].maxPool2d(kernel: 2) },
    GradientCase(name: "log_softmax", shapes: [[3, 4]]) { try $0[0].logSoftmax() },
    GradientCase(name: "log_softmax middle axis", shapes: [[2, 3, 2]]) { try $0[0].logSoftmax(axis: 1) },
    GradientCase(name: "softmax", shapes: [[2, 5]]) { try $0[0].softmax() },
    GradientCase(name: "cross_entropy mean", shapes: [[4, 3]]) { try $0[0].crossEntropy(targets: index([0, 2, 1, 2])) },
    GradientCase(name: "cross_entropy sum", shapes: [[2, 5]]) { try $0[0].crossEntropy(targets: index([4, 0]), reduction: .sum) },
    GradientCase(name: "cross_entropy none", shapes: [[3, 4]]) { try $0[0].crossEntropy(targets: index([3, 0, 1]), reduction: .none) },
    GradientCase(name: "dropout fixed mask", shapes: [[3, 4]]) {
        var generator = RandomGenerator(seed: 7)
        return try $0[0] * Tensor.dropoutMask([3, 4], probability: 0.5, generator: &generator)
    },
    GradientCase(name: "lstm", shapes: [[2, 3, 2], [12, 2], [12, 3], [12], [12]]) {
        try Tensor.lstm(input: $0[0] * 0.5, weightIH: $0[1] * 0.5, weightHH: $0[2] * 0.5, biasIH: $0[3], biasHH: $0[4]).outputs
    },
    GradientCase(name: "lstm hidden 9 (vector lanes and tail)", shapes: [[2, 3, 2], [36, 2], [36, 9], [36], [36]]) {
        try Tensor.lstm(input: $0[0] * 0.5, weightIH: $0[1] * 0.2, weightHH: $0[2] * 0.2, biasIH: $0[3] * 0.2, biasHH: $0[4] * 0.2).outputs
    },
    GradientCase(name: "lstm batch 100 (three row pieces, their weight-gradient shares summed)",
                 shapes: [[100, 2, 2], [8, 2], [8, 2], [8], [8]]) {
        try Tensor.lstm(input: $0[0] * 0.5, weightIH: $0[1] * 0.5, weightHH: $0[2] * 0.5, biasIH: $0[3], biasHH: $0[4]).outputs
    },
    GradientCase(name: "lstm one step", shapes: [[3, 1, 4], [8, 4], [8, 2], [8], [8]]) {
        try Tensor.lstm(input: $0[0], weightIH: $0[1] * 0.5, weightHH: $0[2], biasIH: $0[3], biasHH: $0[4]).outputs
    },
    GradientCase(name: "composition mlp", shapes: [[4, 3], [5, 3], [5], [1, 5]]) {
        try ($0[0].matmul($0[1], transposingOther: true) + $0[2]).tanh().matmul($0[3], transposingOther: true).sigmoid()
    },
]

@Suite struct GradientCheckTests {
    @Test(arguments: gradientCases)
    func gradientsMatchCentralDifferences(_ testCase: GradientCase) throws {
        let report = try checkGradients(of: testCase.function, at: testCase.makeInputs())
        #expect(report.passed, "\(report)")
        #expect(report.checkedElements > 0)
    }
}
