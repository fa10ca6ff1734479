import Foundation
import TensorEngine

/// Exact PyTorch results for small fixed cases (`Tests/Goldens/pytorch-goldens.json`), the oracle
/// for numerics that must match PyTorch.
public struct PyTorchGoldens: @unchecked Sendable {
    /// Each case: field name → JSON value (numbers, nested arrays of numbers, strings).
    public let cases: [String: [String: Any]]

    /// Loads a golden file from the repository's Tests/Goldens folder: the shared
    /// `pytorch-goldens.json`, or one a script beside it wrote (`transformer-goldens.json`).
    public static func load(_ file: String = "pytorch-goldens.json") throws -> PyTorchGoldens {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Goldens/\(file)")
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return PyTorchGoldens(cases: (root?["cases"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] })
    }

    /// A field flattened to floats in row-major order, with its shape.
    public func array(_ caseName: String, _ field: String) -> (shape: [Int], values: [Float]) {
        var values: [Float] = []
        func shape(of value: Any) -> [Int] {
            if let list = value as? [Any] { return [list.count] + (list.first.map(shape(of:)) ?? []) }
            return []
        }
        func flatten(_ value: Any) {
            if let list = value as? [Any] { list.forEach(flatten) } else if let number = value as? NSNumber { values.append(number.floatValue) }
        }
        let value = cases[caseName]?[field] as Any
        flatten(value)
        return (shape(of: value), values)
    }

    /// A field holding a list of arrays (`inputs`, `grads`) as tensors; nil items stay nil.
    public func tensorList(_ caseName: String, _ field: String) throws -> [Tensor?] {
        guard let items = cases[caseName]?[field] as? [Any] else { return [] }
        return try items.map { item in
            if item is NSNull { return nil }
            let single = PyTorchGoldens(cases: ["item": ["value": item]])
            return try single.tensor("item", "value")
        }
    }

    /// A scalar field.
    public func number(_ caseName: String, _ field: String) -> Float {
        (cases[caseName]?[field] as? NSNumber)?.floatValue ?? .nan
    }

    /// A field as a tensor of its shape, optionally a leaf that records gradients.
    public func tensor(_ caseName: String, _ field: String, requiresGrad: Bool = false) throws -> Tensor {
        let (shape, values) = array(caseName, field)
        let result = try Tensor(shape: Shape(shape), scalars: values)
        result.requiresGrad = requiresGrad
        return result
    }

    /// Where `actual` differs from a field (shape or values beyond 1e-5), described; nil when it matches.
    public func mismatchOf(_ actual: Tensor?, _ caseName: String, _ field: String) -> String? {
        let (shape, values) = array(caseName, field)
        guard let actual, actual.shape == Shape(shape) else { return "\(caseName).\(field): shape \(actual.map { "\($0.shape)" } ?? "nil") vs \(shape)" }
        return mismatch(actual.scalars, values).map { "\(caseName).\(field): \($0)" }
    }
}
