import Language
import TensorEngine

/// The items of `x[…]` on a tensor as one slice range per axis, with the axes an index removes:
/// `x[0, 1:3]` is rows 0..<1 and columns 1..<3 with axis 0 dropped, as PyTorch reads it.
struct TensorSelection {
    /// One range per indexed axis (the rest are whole).
    var ranges: [SliceRange] = []
    /// Axes given a single index, removed from the result's shape.
    var droppedAxes: Set<Int> = []

    init(_ items: [SubscriptValue], shape: Shape) throws(HostError) {
        guard items.count <= shape.rank else {
            throw HostError("too many indices for a tensor of shape \(shape): \(items.count) given, it has \(shape.rank) ax\(shape.rank == 1 ? "is" : "es")",
                            hint: shape.rank == 0 ? "a one-number tensor is not indexed; use x.item()" : "give at most \(shape.rank), e.g. x[\(Array(repeating: "0", count: shape.rank).joined(separator: ", "))]")
        }
        for (axis, item) in items.enumerated() {
            switch item {
            case .index(let value): ranges.append(try Self.single(value, axis: axis, of: shape))
                droppedAxes.insert(axis)
            case .slice(let start, let end, let step):
                let stride = try Builtins.optionalInteger(step, "a slice step")
                if let stride, stride <= 0 {
                    throw HostError("a tensor slice step must be positive, got \(stride)",
                                    hint: stride == 0 ? "::1 takes every element" : "a tensor is not reversed by slicing, as in PyTorch; take x[a:b] with a < b")
                }
                ranges.append(SliceRange(start: try Builtins.optionalInteger(start, "a slice start"),
                                         end: try Builtins.optionalInteger(end, "a slice end"), step: stride))
            }
        }
    }

    /// The leading index tensors of `x[ix, …]` (whole numbers next to them count as 0-d index
    /// tensors, as in PyTorch) and the slices after them; nil when no item is a tensor.
    static func indexTensors(_ items: [SubscriptValue]) throws(HostError) -> (tensors: [Tensor], rest: [SubscriptValue])? {
        guard items.contains(where: { if case .index(.object(let object)) = $0 { object is TensorObject } else { false } }) else { return nil }
        var tensors: [Tensor] = []
        var position = 0
        while position < items.count, case .index(let value) = items[position] {
            switch value {
            case .object(let object as TensorObject): tensors.append(object.tensor)
            case .number(let number): tensors.append(Tensor(Float(number)))
            default: throw HostError("a tensor index must be a whole number, a slice or a tensor of indices, got \(value.typeName) \(value.quotedDescription)")
            }
            position += 1
        }
        let rest = Array(items[position...])
        if rest.contains(where: { if case .index = $0 { true } else { false } }) {
            throw HostError("index tensors must come first, before any slice",
                            hint: "write x[ix] or x[ix, 1:3]; for x[:, ix] use x.T[ix].T or gather(x, 1, …)")
        }
        return (tensors, rest)
    }

    /// The range of one element at `value` along `axis`, or why it is out of range.
    private static func single(_ value: Value, axis: Int, of shape: Shape) throws(HostError) -> SliceRange {
        let size = shape.dimensions[axis]
        guard let index = try Builtins.optionalInteger(value, "a tensor index"), case .number = value else {
            throw HostError("a tensor index must be a whole number or a slice, got \(value.typeName) \(value.quotedDescription)")
        }
        guard index >= -size && index < size else {
            throw HostError("index \(index) is out of range for axis \(axis) of size \(size) (shape \(shape))",
                            hint: size == 0 ? "the axis is empty" : "valid indices are \(-size) to \(size - 1)")
        }
        let start = index < 0 ? index + size : index
        return SliceRange(start: start, end: start + 1)
    }

    /// The result's shape from the sliced tensor's: the indexed axes removed.
    func keptAxes(of sliced: Shape) -> [Int] {
        sliced.dimensions.enumerated().filter { !droppedAxes.contains($0.offset) }.map(\.element)
    }
}
