/// The extents of a tensor's axes, outermost first (row-major).
public struct Shape: Hashable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// Extent of each axis.
    public let dimensions: [Int]

    /// A shape with these extents; the caller guarantees they are non-negative (see `validated`).
    public init(_ dimensions: [Int]) {
        self.dimensions = dimensions
    }

    /// A shape from a literal such as `[2, 3]`.
    public init(arrayLiteral elements: Int...) {
        self.init(elements)
    }

    /// A shape from user-supplied extents, rejecting negative ones.
    public static func validated(_ dimensions: [Int], for operation: String) throws(TensorError) -> Shape {
        if let negative = dimensions.firstIndex(where: { $0 < 0 }) {
            throw TensorError(
                "\(operation): size \(dimensions[negative]) at axis \(negative) of \(Shape(dimensions)) is negative",
                hint: "every size must be 0 or more")
        }
        try MemoryBudget.check(dimensions, for: operation)
        return Shape(dimensions)
    }

    /// Number of axes.
    public var rank: Int { dimensions.count }
    /// Number of elements (1 for a scalar).
    public var elementCount: Int { dimensions.reduce(1, *) }
    /// Extent of one axis.
    public subscript(axis: Int) -> Int { dimensions[axis] }
    /// Row-major strides of a contiguous tensor of this shape.
    public var contiguousStrides: [Int] {
        var strides = Array(repeating: 1, count: rank)
        var running = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= dimensions[axis]
        }
        return strides
    }

    /// `[2, 3]`, as shapes appear in messages.
    public var description: String { "[" + dimensions.map(String.init).joined(separator: ", ") + "]" }
    /// `2x3`, as shapes appear in tables (`scalar` for rank 0).
    public var compactDescription: String {
        dimensions.isEmpty ? "scalar" : dimensions.map(String.init).joined(separator: "x")
    }
}
