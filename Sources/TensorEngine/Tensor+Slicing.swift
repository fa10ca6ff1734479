import Kernels

/// One axis of a slice, with Python semantics: nil bounds mean the whole axis, negative bounds
/// count from the end, out-of-range bounds are clamped; the step must be positive.
public struct SliceRange: Sendable, Equatable {
    /// First index (inclusive); nil means 0.
    public var start: Int?
    /// Last index (exclusive); nil means the axis size.
    public var end: Int?
    /// Distance between taken indices; nil means 1.
    public var step: Int?

    /// A slice `start:end:step`.
    public init(start: Int? = nil, end: Int? = nil, step: Int? = nil) {
        self.start = start
        self.end = end
        self.step = step
    }

    /// The whole axis.
    public static let all = SliceRange()

    /// Resolved (start, count, step) for an axis of this size.
    func resolved(size: Int, axis: Int) throws(TensorError) -> (start: Int, count: Int, step: Int) {
        let step = self.step ?? 1
        guard step > 0 else {
            throw TensorError("slice: step \(step) on axis \(axis) must be positive",
                              hint: step == 0 ? "a step of 0 would never advance" : "negative steps are not supported")
        }
        func clamp(_ index: Int) -> Int { Swift.min(Swift.max(index < 0 ? index + size : index, 0), size) }
        let first = clamp(start ?? 0)
        let last = clamp(end ?? size)
        let count = last > first ? (last - first + step - 1) / step : 0
        return (first, count, step)
    }
}

extension Tensor {
    /// Where `ranges` (one per leading axis; missing axes are whole) sit in the buffer: the first
    /// element's offset, the selection's shape and the strides that walk it.
    private func selection(_ ranges: [SliceRange], operation: String) throws(TensorError) -> (offset: Int, dimensions: [Int], strides: [Int]) {
        guard ranges.count <= rank else {
            throw TensorError("\(operation): \(ranges.count) ranges given for a tensor of rank \(rank) (shape \(shape))")
        }
        let strides = shape.contiguousStrides
        var offset = 0
        var dimensions: [Int] = []
        var sliceStrides: [Int] = []
        for axis in 0..<rank {
            let range = axis < ranges.count ? ranges[axis] : .all
            let (start, count, step) = try range.resolved(size: shape[axis], axis: axis)
            offset += start * strides[axis]
            dimensions.append(count)
            sliceStrides.append(strides[axis] * step)
        }
        return (offset, dimensions, sliceStrides)
    }

    /// A copy of the elements selected by one range per leading axis (missing axes are whole).
    public func sliced(_ ranges: [SliceRange]) throws(TensorError) -> Tensor {
        let (offset, dimensions, sliceStrides) = try selection(ranges, operation: "slice")
        let result = Tensor(uninitialized: Shape(dimensions))
        if result.elementCount > 0 {
            Movement.gather(from: pointer, offset: offset, strides: sliceStrides, into: result.pointer, shape: dimensions)
        }
        if Tensor.shouldRecord(self) {
            let inputShape = shape
            result.record("slice", inputs: [self]) { g in
                let gradient = Tensor.zeros(inputShape)
                if g.elementCount > 0 {
                    Movement.scatter(from: g.pointer, into: gradient.pointer, offset: offset, strides: sliceStrides,
                                     shape: g.shape.dimensions)
                }
                return [gradient]
            }
        }
        return result
    }

    /// `x[ranges] = values` in place: `values` is broadcast to the selection's shape (without the
    /// `indexedAxes`, which an index removes) and written over it. Not recorded (the caller
    /// checks gradient mode; `overwritten` is the recorded form); the version is bumped.
    public func overwrite(_ ranges: [SliceRange], indexedAxes: Set<Int> = [], with values: Tensor,
                          at site: (any ChangeSite)? = nil) throws(TensorError) {
        let (offset, dimensions, sliceStrides) = try selection(ranges, operation: "assign")
        var source = try values.detached().fitted(toSelection: dimensions, indexedAxes: indexedAxes)
        guard source.elementCount > 0 else { return }
        if source.storage === storage { source = source.copy() }  // x[1:] = x[:-1] reads what it overwrites
        Movement.scatter(from: source.pointer, into: pointer, offset: offset, strides: sliceStrides, shape: dimensions)
        storage.noteChange(at: site)
    }

    /// A copy of this tensor with `values` written over the selection (the out-of-place form of
    /// `x[ranges] = values`, recorded: the gradient reaches the kept elements and the values).
    public func overwritten(_ ranges: [SliceRange], indexedAxes: Set<Int> = [], with values: Tensor) throws(TensorError) -> Tensor {
        let (offset, dimensions, sliceStrides) = try selection(ranges, operation: "assign")
        let source = try values.fitted(toSelection: dimensions, indexedAxes: indexedAxes)
        let result = copy()
        if source.elementCount > 0 {
            Movement.scatter(from: source.pointer, into: result.pointer, offset: offset, strides: sliceStrides, shape: dimensions)
        }
        if Tensor.shouldRecord(self, source) {
            result.record("assign", inputs: [self, source]) { g in
                let kept = g.copy()
                let zeros = Tensor.zeros(Shape(dimensions))
                if zeros.elementCount > 0 {
                    Movement.scatter(from: zeros.pointer, into: kept.pointer, offset: offset, strides: sliceStrides, shape: dimensions)
                }
                return [kept, try g.sliced(ranges)]
            }
        }
        return result
    }

    /// These values broadcast to a selection's shape (`indexedAxes` are the axes an index removes).
    private func fitted(toSelection dimensions: [Int], indexedAxes: Set<Int>) throws(TensorError) -> Tensor {
        let selected = Shape(dimensions.enumerated().filter { !indexedAxes.contains($0.offset) }.map(\.element))
        do { return try expanded(to: selected).reshaped(dimensions) } catch {
            throw TensorError("cannot write a tensor of shape \(shape) into a selection of shape \(selected)",
                              hint: "the right side must have the selection's shape, or broadcast to it (one number always does)")
        }
    }

    /// Elements `start..<end` (stepping by `step`) along one axis.
    public func slice(axis: Int, start: Int? = nil, end: Int? = nil, step: Int? = nil) throws(TensorError) -> Tensor {
        let normalized = try ShapeRules.axis(axis, rank: rank, operation: "slice")
        var ranges = Array(repeating: SliceRange.all, count: normalized + 1)
        ranges[normalized] = SliceRange(start: start, end: end, step: step)
        return try sliced(ranges)
    }

    /// The sub-tensor at `index` along `axis`, with that axis removed (negative indices count from the end).
    public func select(axis: Int = 0, index: Int) throws(TensorError) -> Tensor {
        let normalized = try ShapeRules.axis(axis, rank: rank, operation: "index")
        let size = shape[normalized]
        guard index >= -size && index < size else {
            throw TensorError("index \(index) is out of range for axis \(normalized) of size \(size) (shape \(shape))",
                              hint: size == 0 ? "the axis is empty" : "valid indices are \(-size) to \(size - 1)")
        }
        let start = index < 0 ? index + size : index
        var dimensions = shape.dimensions
        dimensions.remove(at: normalized)
        return try slice(axis: normalized, start: start, end: start + 1).reshaped(dimensions)
    }
}
