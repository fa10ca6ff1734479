import Kernels

extension Tensor {
    /// Sum over `axes` (all axes when nil), keeping them as size 1 if asked.
    public func sum(axes: [Int]? = nil, keepingDimensions: Bool = false) throws(TensorError) -> Tensor {
        let reducedAxes = try ShapeRules.axes(axes, rank: rank, operation: "sum")
        let kept = ShapeRules.reduced(shape, axes: reducedAxes, keepingDimensions: true)
        let result = reduceRuns(reducedAxes) { x, out, outer, reduced, inner in
            Reduction.sum(x, out, outer: outer, reduced: reduced, inner: inner)
        }.reshapedUnrecorded(ShapeRules.reduced(shape, axes: reducedAxes, keepingDimensions: keepingDimensions))
        if Tensor.shouldRecord(self) {
            let inputShape = shape
            result.record("sum", inputs: [self]) { g in [try g.reshaped(kept.dimensions).expanded(to: inputShape)] }
        }
        return result
    }

    /// Mean over `axes` (all axes when nil); the mean of no elements is an error.
    public func mean(axes: [Int]? = nil, keepingDimensions: Bool = false) throws(TensorError) -> Tensor {
        let reducedAxes = try ShapeRules.axes(axes, rank: rank, operation: "mean")
        let count = reducedAxes.reduce(1) { $0 * shape[$1] }
        guard count > 0 else {
            throw TensorError("mean: no elements to average over in a tensor of shape \(shape)")
        }
        return try sum(axes: reducedAxes, keepingDimensions: keepingDimensions) * (1 / Float(count))
    }

    /// Maximum over `axes` (all axes when nil). The gradient is shared evenly between tied maxima
    /// (as `torch.amax`).
    public func max(axes: [Int]? = nil, keepingDimensions: Bool = false) throws(TensorError) -> Tensor {
        let reducedAxes = try ShapeRules.axes(axes, rank: rank, operation: "max")
        try requireElements(along: reducedAxes, "max")
        let kept = ShapeRules.reduced(shape, axes: reducedAxes, keepingDimensions: true)
        let keptResult = reduceRuns(reducedAxes) { x, out, outer, reduced, inner in
            Reduction.maximum(x, out, indices: nil, outer: outer, reduced: reduced, inner: inner)
        }
        let result = keptResult.reshapedUnrecorded(ShapeRules.reduced(shape, axes: reducedAxes, keepingDimensions: keepingDimensions))
        if Tensor.shouldRecord(self) {
            let (x, maxima) = (detached(), keptResult)
            result.record("max", inputs: [self], saving: [x, maxima]) { g in
                let winners = try x.equal(maxima)
                let share = try winners / winners.sum(axes: reducedAxes, keepingDimensions: true)
                return [try g.reshaped(kept.dimensions) * share]
            }
        }
        return result
    }

    /// Minimum over `axes` (all axes when nil): the maximum of −x, negated, so ties share the
    /// gradient evenly as in `max` (`torch.amin`).
    public func min(axes: [Int]? = nil, keepingDimensions: Bool = false) throws(TensorError) -> Tensor {
        -(try (-self).max(axes: axes, keepingDimensions: keepingDimensions))
    }

    /// Index of the (first) minimum along `axis`, or over the flattened tensor when nil; as floats.
    public func argmin(axis: Int? = nil, keepingDimensions: Bool = false) throws(TensorError) -> Tensor {
        try (-detached()).argmax(axis: axis, keepingDimensions: keepingDimensions)
    }

    /// Index of the (first) maximum along `axis`, or over the flattened tensor when nil; as floats.
    public func argmax(axis: Int? = nil, keepingDimensions: Bool = false) throws(TensorError) -> Tensor {
        if axis == nil {
            return try reshaped([-1]).argmax(axis: 0).reshapedUnrecorded(keepingDimensions ? Shape(Array(repeating: 1, count: rank)) : [])
        }
        let normalized = try ShapeRules.axis(axis!, rank: rank, operation: "argmax")
        try requireElements(along: [normalized], "argmax")
        let outer = shape.dimensions[..<normalized].reduce(1, *)
        let inner = shape.dimensions[(normalized + 1)...].reduce(1, *)
        let values = Tensor(uninitialized: [outer * inner])
        var indices = [Int32](repeating: 0, count: outer * inner)
        indices.withUnsafeMutableBufferPointer { buffer in
            Reduction.maximum(pointer, values.pointer, indices: buffer.baseAddress, outer: outer, reduced: shape[normalized], inner: inner)
        }
        let result = Tensor(uninitialized: ShapeRules.reduced(shape, axes: [normalized], keepingDimensions: keepingDimensions))
        for i in 0..<indices.count { result.pointer[i] = Float(indices[i]) }
        return result
    }

    private func requireElements(along axes: [Int], _ operation: String) throws(TensorError) {
        if elementCount == 0 || axes.contains(where: { shape[$0] == 0 }) {
            throw TensorError("\(operation): the tensor of shape \(shape) is empty along the reduced axes",
                              hint: "\(operation) of no elements is undefined")
        }
    }

    /// Reduces runs of adjacent axes one kernel call per run, last run first; the result keeps
    /// the reduced axes as size 1.
    private func reduceRuns(
        _ axes: [Int],
        _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int, Int) -> Void
    ) -> Tensor {
        var current = self
        var dimensions = shape.dimensions
        for run in Tensor.adjacentRuns(axes).reversed() {
            let outer = dimensions[..<run.lowerBound].reduce(1, *)
            let reduced = dimensions[run].reduce(1, *)
            let inner = dimensions[run.upperBound...].reduce(1, *)
            for axis in run { dimensions[axis] = 1 }
            let next = Tensor(uninitialized: Shape(dimensions))
            kernel(current.pointer, next.pointer, outer, reduced, inner)
            current = next
        }
        return current === self ? copy() : current
    }

    /// Sorted axes grouped into maximal runs of consecutive integers.
    static func adjacentRuns(_ axes: [Int]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        for axis in axes {
            if let last = runs.last, last.upperBound == axis {
                runs[runs.count - 1] = last.lowerBound..<(axis + 1)
            } else {
                runs.append(axis..<(axis + 1))
            }
        }
        return runs
    }
}
