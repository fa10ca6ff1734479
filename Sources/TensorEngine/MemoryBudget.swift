#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// How many bytes tensors may hold at once, and how many they hold now. Every tensor whose size
/// comes from the user (creation with given sizes, layer parameters) or grows past its inputs
/// (broadcasting, matmul, concatenation, convolution) is checked here before it is allocated, so
/// `zeros(100000, 100000, 100)` is an error that names the shape and the bytes instead of an
/// allocation failure that ends the process.
public enum MemoryBudget {
    private static let limitBytes = Atomic<Int>(defaultLimit)
    private static let bytesInUse = Atomic<Int>(0)

    /// Three quarters of physical memory: room for the process and the system beside the tensors.
    public static let defaultLimit: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return 8 << 30 }
        return Int(pages) / 4 * 3 * Int(pageSize)
    }()

    /// The most bytes live tensors may hold (default `defaultLimit`); at least 1 MiB.
    public static var limit: Int {
        get { limitBytes.load(ordering: .relaxed) }
        set { limitBytes.store(Swift.max(newValue, 1 << 20), ordering: .relaxed) }
    }

    /// Bytes held by live tensors now.
    public static var inUse: Int { bytesInUse.load(ordering: .relaxed) }

    /// Bytes still free under the limit.
    public static var available: Int { Swift.max(0, limit - inUse) }

    /// Counts an allocation (positive) or a release (negative); only `TensorStorage` calls this.
    static func record(_ bytes: Int) { bytesInUse.add(bytes, ordering: .relaxed) }

    /// Throws unless a float32 tensor of `dimensions` fits: its element count must not overflow
    /// and its bytes (times `copies`, for a tensor built from a staging copy) must fit in what is
    /// free under the limit.
    public static func check(_ dimensions: [Int], for operation: String, copies: Int = 1) throws(TensorError) {
        guard let single = byteCount(of: dimensions), case (let bytes, false) = single.multipliedReportingOverflow(by: copies) else {
            throw TensorError("\(operation): the sizes \(Shape(dimensions)) multiply to more elements than any machine can hold",
                              hint: "check the sizes: one of them is far too large")
        }
        guard bytes > available else { return }
        let what = "\(operation): a tensor of shape \(Shape(dimensions)) needs \(describe(bytes))\(copies > 1 ? " while it is built" : "")"
        if bytes > limit {
            throw TensorError("\(what), more than tensorbook's memory limit of \(describe(limit))",
                              hint: "use smaller sizes" + (limit == defaultLimit
                                  ? " (the limit is 3/4 of this machine's memory; --memory-limit or :memory SIZE changes it)"
                                  : ", or raise the limit with :memory SIZE"))
        }
        throw TensorError("\(what), but only \(describe(available)) of the \(describe(limit)) memory limit is free (tensors hold \(describe(inUse)))",
                          hint: "free memory by reassigning large variables, use a smaller batch, or raise the limit with :memory SIZE")
    }

    /// 4 · the product of `dimensions`, or nil when a size is negative or the product of the
    /// nonzero sizes overflows `Int` (a shape such as [0, 2³², 2³²] holds nothing, but its strides
    /// would overflow every index computed from them).
    public static func byteCount(of dimensions: [Int]) -> Int? {
        var product = 4
        for size in dimensions {
            guard size >= 0 else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: Swift.max(size, 1))
            if overflow { return nil }
            product = next
        }
        return dimensions.contains(0) ? 0 : product
    }

    /// "4.0 TB"-style text for a byte count (powers of 1024, as `free -h`).
    public static func describe(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == 0 { return "\(bytes) bytes" }
        let rounded = (value * 10).rounded() / 10
        return "\(rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)) \(units[unit])"
    }

    /// Reads "8G", "512M", "2048K", "1.5 GiB" or a plain byte count; nil for anything else.
    public static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: " ").uppercased()
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number > 0 else { return nil }
        let suffix = trimmed.dropFirst(digits.count).trimmingCharacters(in: " ")
        let (kibi, mebi, gibi, tebi) = (1024.0, 1_048_576.0, 1_073_741_824.0, 1_099_511_627_776.0)
        let scales: [String: Double] = ["": 1, "B": 1, "K": kibi, "KB": kibi, "KIB": kibi, "M": mebi, "MB": mebi, "MIB": mebi,
                                        "G": gibi, "GB": gibi, "GIB": gibi, "T": tebi, "TB": tebi, "TIB": tebi]
        guard let scale = scales[suffix], number * scale < 9e18 else { return nil }
        return Int(number * scale)
    }
}

extension String {
    /// The string without leading and trailing `character`s.
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> String { String(self).trimmingCharacters(in: character) }
}
