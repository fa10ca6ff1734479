/// A tensor's float32 elements: one contiguous, 64-byte aligned allocation, freed with its owner.
/// Several tensors share one storage after `reshaped` or `detached`.
@usableFromInline
final class TensorStorage {
    @usableFromInline let pointer: UnsafeMutablePointer<Float>
    @usableFromInline let count: Int
    /// Bumped by every in-place change of the elements (as PyTorch's version counter), so a
    /// pullback that saved these values can tell that they are no longer the ones it saw.
    var version = 0
    /// Where the last in-place change came from, when the caller said.
    var lastChange: (any ChangeSite)?

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

    /// Counts one in-place change.
    func noteChange(at site: (any ChangeSite)?) {
        version &+= 1
        lastChange = site
    }
}

/// Where a tensor's elements were changed in place: a mark the caller attaches (the language puts
/// the statement's source location in it) and gets back in the error a later `backward()` raises.
public protocol ChangeSite: AnyObject, Sendable {
    /// The change in words, e.g. "a -= 1".
    var summary: String { get }
}
