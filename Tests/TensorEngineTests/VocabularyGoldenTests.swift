import TensorEngine
import TestSupport
import Testing

/// One operation of the tutorials' vocabulary, as the engine computes the case PyTorch recorded
/// in `Tests/Goldens/vocabulary-goldens.json` (written by `vocabulary_goldens.py` beside it).
struct VocabularyCase: CustomStringConvertible, Sendable {
    let name: String
    let function: @Sendable ([Tensor]) throws -> Tensor
    var description: String { name }
}

private func indices(_ values: [Float], _ shape: [Int]? = nil) throws -> Tensor {
    try Tensor(shape: Shape(shape ?? [values.count]), scalars: values)
}

/// X of the golden script, as a condition `X > 0`.
private func positiveMask(_ x: Tensor) throws -> Tensor { try x.detached().greater(Tensor(0)) }

let vocabularyCases: [VocabularyCase] = [
    VocabularyCase(name: "sin") { $0[0].sin() },
    VocabularyCase(name: "cos") { $0[0].cos() },
    VocabularyCase(name: "sin_wide") { $0[0].sin() },
    VocabularyCase(name: "pow_number") { try $0[0].pow(Tensor(3)) },
    VocabularyCase(name: "pow_tensor") { try $0[0].unsqueezed(axis: -1).pow($0[1]) },
    VocabularyCase(name: "where") { try Tensor.selecting(try positiveMask($0[0]), $0[0], $0[1]) },
    VocabularyCase(name: "clamp") { try $0[0].clamped(low: -1, high: 2) },
    VocabularyCase(name: "clamp_min") { try $0[0].clamped(low: 0, high: nil) },
    VocabularyCase(name: "min_dim_keepdim") { try $0[0].min(axes: [1], keepingDimensions: true) },
    VocabularyCase(name: "max_dim") { try $0[0].max(axes: [0]) },
    VocabularyCase(name: "min_all") { try $0[0].min() },
    VocabularyCase(name: "sum_keepdim") { try $0[0].sum(axes: [1], keepingDimensions: true) },
    VocabularyCase(name: "mean_keepdim") { try $0[0].mean(axes: [0], keepingDimensions: true) },
    VocabularyCase(name: "squeeze_unsqueeze") { try $0[0].unsqueezed(axis: 1).unsqueezed(axis: 0).squeezed() },
    VocabularyCase(name: "cat") { try Tensor.concatenate($0, axis: 1) },
    VocabularyCase(name: "stack") { try Tensor.stack($0, axis: 1) },
    VocabularyCase(name: "flatten") { try $0[0].reshaped([3, 2, 2]).flattened(start: 1) },
    VocabularyCase(name: "index_rows") { try $0[0].indexed(by: [try indices([1, 0, 2, 2, 2, -1], [2, 3])]) },
    VocabularyCase(name: "index_pairs") { try $0[0].indexed(by: [try Tensor.arange(0, 3), try indices([3, 0, 1])]) },
    VocabularyCase(name: "cross_entropy_none") { try $0[0].crossEntropy(targets: try indices([3, 0, 1]), reduction: .none) },
    VocabularyCase(name: "cross_entropy_sum") { try $0[0].crossEntropy(targets: try indices([3, 0, 1]), reduction: .sum) },
    VocabularyCase(name: "linspace") { _ in try Tensor.linspace(-Float.pi, Float.pi, steps: 2000) },
    VocabularyCase(name: "linspace_short") { _ in try Tensor.linspace(0, 1, steps: 7) },
    VocabularyCase(name: "one_hot") { _ in try indices([0, 3, 1]).oneHot(classes: 5) },
    VocabularyCase(name: "argmax_dim_keepdim") { try $0[0].argmax(axis: 1, keepingDimensions: true) },
    VocabularyCase(name: "argmin") { try $0[0].argmin() },
    VocabularyCase(name: "long") { $0[0].truncated() },
    VocabularyCase(name: "count_equal") { try $0[0].truncated().equal(Tensor(0)).sum() },
]

@Suite struct VocabularyGoldenTests {
    static let goldens = try! PyTorchGoldens.load("vocabulary-goldens.json")

    /// The output and, where PyTorch differentiated, the gradient of sum(output · (1, 2, 3, …))
    /// for every input, within 1e-5.
    @Test(arguments: vocabularyCases)
    func matchesPyTorch(_ testCase: VocabularyCase) throws {
        let goldens = Self.goldens
        #expect(goldens.cases[testCase.name] != nil, "no golden case '\(testCase.name)'")
        let differentiable = goldens.cases[testCase.name]?["grads"] != nil
        let inputs = try goldens.tensorList(testCase.name, "inputs").map { tensor -> Tensor in
            tensor!.requiresGrad = differentiable
            return tensor!
        }
        let output = try testCase.function(inputs)
        #expect(goldens.mismatchOf(output, testCase.name, "output") == nil, "\(goldens.mismatchOf(output, testCase.name, "output") ?? "")")
        guard differentiable else { return }
        let weights = try Tensor(shape: output.shape, scalars: (1...max(output.elementCount, 1)).prefix(output.elementCount).map(Float.init))
        try (output * weights).sum().backward()
        for (index, expected) in try goldens.tensorList(testCase.name, "grads").enumerated() {
            guard let expected else { continue }
            let gradient = inputs[index].grad ?? Tensor.zeros(inputs[index].shape)
            let difference = mismatch(gradient.scalars, expected.scalars)
            #expect(gradient.shape == expected.shape && difference == nil, "grad \(index): \(difference ?? "shape \(gradient.shape) vs \(expected.shape)")")
        }
    }
}
