import Kernels

extension Tensor {
    /// A tensor holding `scalars` in row-major order with this shape.
    public convenience init(shape: Shape, scalars: [Float]) throws(TensorError) {
        let checked = try Shape.validated(shape.dimensions, for: "tensor")
        guard scalars.count == checked.elementCount else {
            throw TensorError("tensor: \(scalars.count) values do not fill shape \(shape) (\(checked.elementCount) needed)")
        }
        self.init(uninitialized: checked)
        scalars.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// A one-element tensor of rank 0.
    public convenience init(_ scalar: Float) {
        self.init(uninitialized: [])
        pointer[0] = scalar
    }

    /// A vector.
    public convenience init(_ values: [Float]) {
        self.init(uninitialized: [values.count])
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// A matrix from rows of equal length.
    public convenience init(_ rows: [[Float]]) throws(TensorError) {
        try self.init(nested: .list(rows.map { .list($0.map(NestedScalars.scalar)) }))
    }

    /// A tensor from nested lists, which must be rectangular.
    public convenience init(nested: NestedScalars) throws(TensorError) {
        let shape = try nested.shape()
        var values: [Float] = []
        values.reserveCapacity(shape.elementCount)
        nested.flatten(into: &values)
        try self.init(shape: shape, scalars: values)
    }

    /// All elements `value`.
    public static func full(_ shape: Shape, value: Float) throws(TensorError) -> Tensor {
        let result = Tensor(uninitialized: try Shape.validated(shape.dimensions, for: "full"))
        Elementwise.fill(result.pointer, with: value, count: result.elementCount)
        return result
    }

    /// All elements 0.
    public static func zeros(_ shape: Shape) -> Tensor {
        let result = Tensor(uninitialized: shape)
        Elementwise.fill(result.pointer, with: 0, count: result.elementCount)
        return result
    }

    /// All elements 1.
    public static func ones(_ shape: Shape) -> Tensor {
        let result = Tensor(uninitialized: shape)
        Elementwise.fill(result.pointer, with: 1, count: result.elementCount)
        return result
    }

    /// Zeros with a validated user-given shape (negative sizes are an error).
    public static func zeros(validating dimensions: [Int]) throws(TensorError) -> Tensor {
        zeros(try Shape.validated(dimensions, for: "zeros"))
    }

    /// Ones with a validated user-given shape (negative sizes are an error).
    public static func ones(validating dimensions: [Int]) throws(TensorError) -> Tensor {
        ones(try Shape.validated(dimensions, for: "ones"))
    }

    /// start, start + step, … up to but excluding `end` (as `torch.arange`).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) throws(TensorError) -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw TensorError("arange: step must be a non-zero finite number, got \(step)")
        }
        let steps = (Double(end) - Double(start)) / Double(step)
        guard steps < 1e15 else {
            throw TensorError("arange(\(start), \(end), step: \(step)) would hold more than 10¹⁵ numbers, far more than memory holds",
                              hint: "use a larger step or a shorter range")
        }
        let count = Swift.max(0, Int(steps.rounded(.up)))
        let result = Tensor(uninitialized: try Shape.validated([count], for: "arange"))
        for i in 0..<count { result.pointer[i] = start + Float(i) * step }
        return result
    }

    /// The n×m identity (ones on the main diagonal).
    public static func eye(_ n: Int, _ m: Int? = nil) throws(TensorError) -> Tensor {
        let columns = m ?? n
        let result = zeros(try Shape.validated([n, columns], for: "eye"))
        for i in 0..<Swift.min(n, columns) { result.pointer[i * columns + i] = 1 }
        return result
    }

    /// Standard normal samples from the global generator (or `generator`).
    public static func randn(_ shape: Shape, generator: inout RandomGenerator) throws(TensorError) -> Tensor {
        let result = Tensor(uninitialized: try Shape.validated(shape.dimensions, for: "randn"))
        for i in 0..<result.elementCount { result.pointer[i] = generator.nextNormal() }
        return result
    }

    /// Uniform samples in [low, high).
    public static func rand(
        _ shape: Shape, low: Float = 0, high: Float = 1, generator: inout RandomGenerator
    ) throws(TensorError) -> Tensor {
        let result = Tensor(uninitialized: try Shape.validated(shape.dimensions, for: "rand"))
        let width = high - low
        for i in 0..<result.elementCount { result.pointer[i] = low + width * generator.nextUniform() }
        return result
    }

    /// Uniform integers in [low, high), stored as floats.
    public static func randint(
        _ low: Int, _ high: Int, _ shape: Shape, generator: inout RandomGenerator
    ) throws(TensorError) -> Tensor {
        guard high > low else {
            throw TensorError("randint: high (\(high)) must be greater than low (\(low))")
        }
        let result = Tensor(uninitialized: try Shape.validated(shape.dimensions, for: "randint"))
        for i in 0..<result.elementCount { result.pointer[i] = Float(generator.nextInt(in: low..<high)) }
        return result
    }

    /// Standard normal samples from the global generator.
    public static func randn(_ shape: Shape) throws(TensorError) -> Tensor {
        try GlobalRandom.withGenerator { (generator) throws(TensorError) in try randn(shape, generator: &generator) }
    }

    /// Uniform samples in [low, high) from the global generator.
    public static func rand(_ shape: Shape, low: Float = 0, high: Float = 1) throws(TensorError) -> Tensor {
        try GlobalRandom.withGenerator { (generator) throws(TensorError) in
            try rand(shape, low: low, high: high, generator: &generator)
        }
    }

    /// Uniform integers in [low, high) from the global generator.
    public static func randint(_ low: Int, _ high: Int, _ shape: Shape) throws(TensorError) -> Tensor {
        try GlobalRandom.withGenerator { (generator) throws(TensorError) in
            try randint(low, high, shape, generator: &generator)
        }
    }
}

/// Nested lists of numbers, the input form of `Tensor(nested:)` (the language builds these).
public indirect enum NestedScalars: Sendable, Equatable {
    case scalar(Float)
    case list([NestedScalars])

    /// The shape, or an error naming the first ragged or mixed position.
    func shape(path: [Int] = []) throws(TensorError) -> Shape {
        switch self {
        case .scalar: return []
        case .list(let items):
            guard let first = items.first else { return [0] }
            let inner = try first.shape(path: path + [0])
            for (index, item) in items.enumerated().dropFirst() {
                let itemShape = try item.shape(path: path + [index])
                guard itemShape == inner else {
                    let location = (path + [index]).map { "[\($0)]" }.joined()
                    throw TensorError(
                        "tensor: nested lists are ragged: element \(location) has shape \(itemShape), but element \((path + [0]).map { "[\($0)]" }.joined()) has shape \(inner)",
                        hint: "every row must have the same length")
                }
            }
            return Shape([items.count] + inner.dimensions)
        }
    }

    func flatten(into values: inout [Float]) {
        switch self {
        case .scalar(let value): values.append(value)
        case .list(let items): for item in items { item.flatten(into: &values) }
        }
    }
}
