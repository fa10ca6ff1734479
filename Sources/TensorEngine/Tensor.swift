import Kernels

/// An N-dimensional array of float32 values in contiguous row-major order, with reverse-mode
/// automatic differentiation: operations on tensors that require a gradient record how to
/// propagate it, and `backward()` accumulates d(output)/d(leaf) into each leaf's `grad`.
///
/// Operations return new tensors and never modify their inputs. In-place changes (optimizer
/// steps through `updateScalars`, `overwrite`, `changedInPlace` for `c += …` on a computed tensor)
/// bump the storage's version, which `backward()` checks against the version each saved value had
/// when it was recorded.
public final class Tensor {
    /// Extents of the axes.
    public let shape: Shape
    @usableFromInline let storage: TensorStorage
    /// Whether operations on this tensor record a backward rule (true for parameters and for
    /// results computed from them while recording is on).
    public var requiresGrad: Bool
    /// The accumulated gradient of the last `backward()` calls, once one has reached this leaf.
    public internal(set) var grad: Tensor?
    /// How this tensor was computed, for backward.
    var origin: Origin = .leaf
    /// Whether `backward()` keeps this computed tensor's gradient in `grad` (`retainGrad()`).
    public internal(set) var retainsGrad = false

    /// A tensor over existing storage (shared, not copied).
    @usableFromInline
    init(shape: Shape, storage: TensorStorage, requiresGrad: Bool = false) {
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
        LiveTensorCount.add(1)
    }

    /// A tensor with uninitialised elements, for operations to fill.
    @usableFromInline
    convenience init(uninitialized shape: Shape) {
        self.init(shape: shape, storage: TensorStorage(count: shape.elementCount))
    }

    deinit {
        LiveTensorCount.add(-1)
    }

    /// Tensors created on the calling thread and not yet freed there (a debug counter for leak tests).
    public static var liveCountOnCurrentThread: Int { LiveTensorCount.value }

    /// Number of elements.
    public var elementCount: Int { storage.count }
    /// Number of axes.
    public var rank: Int { shape.rank }
    /// Whether this tensor was computed by a recorded operation (as opposed to created directly).
    public var isLeaf: Bool { if case .leaf = origin { true } else { false } }

    @inlinable var pointer: UnsafeMutablePointer<Float> { storage.pointer }

    /// The elements in row-major order.
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// The single element of a one-element tensor.
    public func item() throws(TensorError) -> Float {
        guard elementCount == 1 else {
            throw TensorError("item: tensor of shape \(shape) has \(elementCount) elements, not 1",
                              hint: "reduce it first, e.g. with sum() or mean()")
        }
        return storage.pointer[0]
    }

    /// Reads the elements without copying.
    public func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Updates the elements in place: for optimizers and initialisers, never inside a recorded
    /// computation (tensors sharing this storage see the change, and its version is bumped).
    public func updateScalars<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        storage.noteChange(at: nil)
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// How many in-place changes the elements have had (shared by every tensor on this storage).
    public var version: Int { storage.version }

    /// Records that the elements were changed in place at `site` (bumps the version).
    public func noteInPlaceChange(at site: (any ChangeSite)?) {
        storage.noteChange(at: site)
    }

    /// The same values, sharing storage, cut off from the graph (no gradient flows through it).
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// An independent copy of the values (no gradient history).
    public func copy() -> Tensor {
        let result = Tensor(uninitialized: shape)
        result.pointer.update(from: pointer, count: elementCount)
        return result
    }

    /// Forgets the accumulated gradient: `grad` is nil until the next backward reaches this
    /// tensor (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        grad = nil
    }
}
