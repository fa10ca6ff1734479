/// Copies between contiguous and strided layouts: permute, broadcast-expand, slice and their inverses.
public enum Movement {
    /// dst (contiguous, shape `shape`) = src read at `sourceOffset + Σ index·sourceStrides`.
    public static func gather(
        from source: UnsafePointer<Float>, offset sourceOffset: Int, strides sourceStrides: [Int],
        into destination: UnsafeMutablePointer<Float>, shape: [Int]
    ) {
        let layout = StridedLayout(shape: shape, strides: [contiguousStrides(shape), sourceStrides])
        if layout.count == 0 { return }
        copy(layout, from: source + sourceOffset, to: destination, sourceOperand: 1, destinationOperand: 0)
    }

    /// dst read at `destinationOffset + Σ index·destinationStrides` = src (contiguous, shape `shape`).
    /// The strided positions must not overlap.
    public static func scatter(
        from source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>,
        offset destinationOffset: Int, strides destinationStrides: [Int], shape: [Int]
    ) {
        let layout = StridedLayout(shape: shape, strides: [contiguousStrides(shape), destinationStrides])
        if layout.count == 0 { return }
        copy(layout, from: source, to: destination + destinationOffset, sourceOperand: 0, destinationOperand: 1)
    }

    private static func copy(
        _ layout: StridedLayout, from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>,
        sourceOperand: Int, destinationOperand: Int
    ) {
        let inner = layout.innerCount
        let sourceStride = layout.strides[sourceOperand].last!
        let destinationStride = layout.strides[destinationOperand].last!
        Parallel.forEachChunk(count: layout.outerCount, minimumPerChunk: max(1, Elementwise.minimumPerThread / inner)) { rows in
            layout.forEachRow(in: rows) { offsets in
                let s = source + offsets[sourceOperand], d = destination + offsets[destinationOperand]
                if sourceStride == 1 && destinationStride == 1 {
                    d.update(from: s, count: inner)
                } else if sourceStride == 0 {
                    let value = s[0]
                    for i in 0..<inner { d[i * destinationStride] = value }
                } else {
                    for i in 0..<inner { d[i * destinationStride] = s[i * sourceStride] }
                }
            }
        }
    }

    /// Row-major strides of a contiguous buffer with this shape.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = Array(repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// For each (o, j): out block (o, j) ← x block (o, index[j]), blocks of `inner` elements,
    /// where x has `sourceCount` blocks per o and out has `index.count`.
    public static func selectBlocks(
        _ x: UnsafePointer<Float>, index: UnsafeBufferPointer<Int32>, _ out: UnsafeMutablePointer<Float>,
        outer: Int, sourceCount: Int, inner: Int
    ) {
        let selected = index.count
        Parallel.forEachChunk(count: outer * selected, minimumPerChunk: max(1, Elementwise.minimumPerThread / max(inner, 1))) { range in
            for position in range {
                let (o, j) = outer == 1 ? (0, position) : (position / selected, position % selected)
                let source = x + (o * sourceCount + Int(index[j])) * inner, target = out + position * inner
                // Short rows (an embedding of 10) copy faster in a loop than through memcpy.
                if inner <= 16 { for k in 0..<inner { target[k] = source[k] } } else { target.update(from: source, count: inner) }
            }
        }
    }

    /// The adjoint of `selectBlocks`: gradient block (o, index[j]) += upstream block (o, j).
    /// Sequential, because repeated indices add into the same block.
    public static func accumulateBlocks(
        _ upstream: UnsafePointer<Float>, index: UnsafeBufferPointer<Int32>, into gradient: UnsafeMutablePointer<Float>,
        outer: Int, sourceCount: Int, inner: Int
    ) {
        let selected = index.count
        for o in 0..<outer {
            for j in 0..<selected {
                let destination = gradient + (o * sourceCount + Int(index[j])) * inner
                let source = upstream + (o * selected + j) * inner
                for i in 0..<inner { destination[i] += source[i] }
            }
        }
    }

    /// torch.gather over the middle axis: out[o, j, i] = x[o, index[o, j, i], i].
    public static func gatherAlongAxis(
        _ x: UnsafePointer<Float>, index: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Float>,
        outer: Int, sourceCount: Int, selected: Int, inner: Int
    ) {
        for o in 0..<outer {
            for j in 0..<selected {
                for i in 0..<inner {
                    let position = (o * selected + j) * inner + i
                    out[position] = x[(o * sourceCount + Int(index[position])) * inner + i]
                }
            }
        }
    }

    /// The adjoint of `gatherAlongAxis`: gradient[o, index[o, j, i], i] += upstream[o, j, i].
    public static func scatterAddAlongAxis(
        _ upstream: UnsafePointer<Float>, index: UnsafePointer<Int32>, into gradient: UnsafeMutablePointer<Float>,
        outer: Int, sourceCount: Int, selected: Int, inner: Int
    ) {
        for o in 0..<outer {
            for j in 0..<selected {
                for i in 0..<inner {
                    let position = (o * selected + j) * inner + i
                    gradient[(o * sourceCount + Int(index[position])) * inner + i] += upstream[position]
                }
            }
        }
    }

    /// destination [columns, rows] = the transpose of the row-major `source` [rows, columns], in
    /// 16×16 tiles so that both sides stay in cache.
    public static func transpose(
        _ source: UnsafePointer<Float>, rows: Int, columns: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        let tile = 16
        for rowStart in stride(from: 0, to: rows, by: tile) {
            for columnStart in stride(from: 0, to: columns, by: tile) {
                for row in rowStart..<min(rowStart + tile, rows) {
                    for column in columnStart..<min(columnStart + tile, columns) {
                        destination[column * rows + row] = source[row * columns + column]
                    }
                }
            }
        }
    }
}
