/// Reductions over the middle axis of an (outer, reduced, inner) view of a contiguous buffer:
/// element (o, r, i) sits at o·reduced·inner + r·inner + i, and out[o·inner + i] receives the result.
public enum Reduction {
    /// out[o, i] = Σ_r x[o, r, i].
    public static func sum(
        _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, outer: Int, reduced: Int, inner: Int
    ) {
        if inner == 1 {
            Parallel.forEachChunk(count: outer, minimumPerChunk: max(1, Elementwise.minimumPerThread / max(reduced, 1))) { rows in
                for o in rows { out[o] = contiguousSum(x + o * reduced, count: reduced) }
            }
            return
        }
        Parallel.forEachChunk(count: outer * inner, minimumPerChunk: max(1, Elementwise.minimumPerThread / max(reduced, 1))) { range in
            // Each chunk covers whole or partial (o, ·) rows; walk it row by row.
            var position = range.lowerBound
            while position < range.upperBound {
                let o = position / inner, i0 = position % inner
                let i1 = min(inner, i0 + (range.upperBound - position))
                let destination = out + o * inner
                let source = x + o * reduced * inner
                for i in i0..<i1 { destination[i] = 0 }
                for r in 0..<reduced {
                    let row = source + r * inner
                    for i in i0..<i1 { destination[i] += row[i] }
                }
                position += i1 - i0
            }
        }
    }

    /// Σ x[0..<count] with sixteen partial sums (fast and more accurate than one running sum).
    @inlinable
    public static func contiguousSum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var partial = SIMD16<Float>()
        var i = 0
        let raw = UnsafeRawPointer(x)
        while i + 16 <= count {
            partial += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var total = partial.sum()
        while i < count {
            total += x[i]
            i += 1
        }
        return total
    }

    /// out[o, i] = max_r x[o, r, i] (NaN if any element is NaN), and, when `indices` is given,
    /// the first r attaining it.
    public static func maximum(
        _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>?,
        outer: Int, reduced: Int, inner: Int
    ) {
        Parallel.forEachChunk(count: outer, minimumPerChunk: Swift.max(1, Elementwise.minimumPerThread / Swift.max(reduced * inner, 1))) { rows in
            for o in rows {
                let source = x + o * reduced * inner
                for i in 0..<inner {
                    var best = source[i]
                    var bestIndex: Int32 = 0
                    if !best.isNaN {
                        for r in 1..<Swift.max(reduced, 1) {
                            let value = source[r * inner + i]
                            if value > best || value.isNaN {
                                best = value
                                bestIndex = Int32(r)
                                if value.isNaN { break }
                            }
                        }
                    }
                    out[o * inner + i] = best
                    indices?[o * inner + i] = bestIndex
                }
            }
        }
    }
}
