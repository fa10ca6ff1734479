/// A walk over an N-d index space where each operand has its own element strides (0 where it is
/// broadcast). Adjacent dimensions that are contiguous for every operand are merged first, so the
/// innermost loop is as long as possible and usually has unit or zero stride.
public struct StridedLayout: Sendable {
    /// Extent of each merged dimension; the last one is walked by the innermost loop.
    public private(set) var dims: [Int]
    /// Strides per operand, one array per operand, aligned with `dims`.
    public private(set) var strides: [[Int]]

    /// Builds the merged walk for `shape` and one stride array per operand.
    public init(shape: [Int], strides operandStrides: [[Int]]) {
        var mergedDims: [Int] = []
        var mergedStrides: [[Int]] = Array(repeating: [], count: operandStrides.count)
        for axis in shape.indices where shape[axis] != 1 {
            let canMerge = !mergedDims.isEmpty && operandStrides.indices.allSatisfy { operand in
                mergedStrides[operand].last! == operandStrides[operand][axis] * shape[axis]
            }
            if canMerge {
                mergedDims[mergedDims.count - 1] *= shape[axis]
                for operand in operandStrides.indices {
                    mergedStrides[operand][mergedStrides[operand].count - 1] = operandStrides[operand][axis]
                }
            } else {
                mergedDims.append(shape[axis])
                for operand in operandStrides.indices { mergedStrides[operand].append(operandStrides[operand][axis]) }
            }
        }
        if mergedDims.isEmpty {
            mergedDims = [1]
            mergedStrides = Array(repeating: [0], count: operandStrides.count)
        }
        dims = mergedDims
        strides = mergedStrides
    }

    /// Number of elements in the walk.
    public var count: Int { dims.reduce(1, *) }
    /// Length of the innermost loop.
    public var innerCount: Int { dims[dims.count - 1] }
    /// Number of innermost loops.
    public var outerCount: Int { innerCount == 0 ? 0 : count / innerCount }

    /// Calls `body(offsets, innerStrides)` for outer iterations `range`, where `offsets[k]` is
    /// operand k's element offset at the start of that inner row.
    @inlinable
    public func forEachRow(in range: Range<Int>, _ body: (_ offsets: UnsafeBufferPointer<Int>) -> Void) {
        let rank = dims.count
        let operands = strides.count
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(rank, 1) + operands) { scratch in
            let index = scratch.baseAddress!
            let offsets = scratch.baseAddress! + max(rank, 1)
            // Decompose the first outer index into a multi-index over dims[0..<rank-1].
            var remainder = range.lowerBound
            for axis in stride(from: rank - 2, through: 0, by: -1) {
                index[axis] = remainder % dims[axis]
                remainder /= dims[axis]
            }
            for operand in 0..<operands {
                var offset = 0
                for axis in 0..<(rank - 1) { offset += index[axis] * strides[operand][axis] }
                offsets[operand] = offset
            }
            let offsetBuffer = UnsafeBufferPointer(start: offsets, count: operands)
            for _ in range {
                body(offsetBuffer)
                // Odometer increment over the outer axes.
                var axis = rank - 2
                while axis >= 0 {
                    index[axis] += 1
                    for operand in 0..<operands { offsets[operand] += strides[operand][axis] }
                    if index[axis] < dims[axis] { break }
                    for operand in 0..<operands { offsets[operand] -= strides[operand][axis] * dims[axis] }
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}
