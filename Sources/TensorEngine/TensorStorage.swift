/// A tensor's float32 elements: one contiguous, 64-byte aligned allocation, freed with its owner.
/// Several tensors share one storage after `reshaped` or `detached`.
@usableFromInline
final class TensorStorage {
    @usableFromInline let pointer: UnsafeMutablePointer<Float>
    @usableFromInline let count: Int

    /// Uninitialised room for `count` floats.
    @usableFromInline
    init(count: Int) {
        self.count = count
        MemoryBudget.record(count * 4)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: count >= 16 ? 64 : 16)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    deinit {
        MemoryBudget.record(-count * 4)
        UnsafeMutableRawPointer(pointer).deallocate()
    }
}
