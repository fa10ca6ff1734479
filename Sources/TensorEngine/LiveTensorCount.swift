#if canImport(Glibc)
import Glibc
#endif

/// A debug counter of live tensors, kept per thread so that tests running in parallel do not
/// disturb each other: tensors created on this thread minus tensors freed on this thread.
enum LiveTensorCount {
    /// The count lives in the thread-specific slot's pointer bits: no allocation, no lock.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    @inline(__always)
    static var value: Int { Int(bitPattern: pthread_getspecific(key)) }

    @inline(__always)
    static func add(_ delta: Int) {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: value + delta))
    }
}
