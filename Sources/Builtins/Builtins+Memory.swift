import Language
import TensorEngine

extension Builtins {
    /// `memory()`: what tensors hold against the memory limit; `memory(limit: "8G")` changes it.
    static func registerMemoryFunctions(in registry: Registry) {
        register(registry, "memory", parameters: [.init("limit", default: .none, namedOnly: true)],
                 "Memory held by tensors and the limit; memory(limit: \"8G\") sets the limit (K, M, G, T; default 3/4 of RAM).") { arguments in
            switch arguments.value("limit") {
            case .string(let text)?:
                guard let bytes = MemoryBudget.parseSize(text), bytes >= 1 << 20 else {
                    throw HostError("memory: cannot read \"\(text)\" as a size of at least 1 MiB",
                                    hint: "write it like \"8G\", \"512M\" or \"1.5G\"", argument: "limit")
                }
                MemoryBudget.limit = bytes
            case .number(let number)?:
                guard number >= Double(1 << 20), number < 9e18 else {
                    throw HostError("memory: a limit of \(Value.format(number)) bytes is below 1 MiB or too large",
                                    hint: "write it like \"8G\" or \"512M\"", argument: "limit")
                }
                MemoryBudget.limit = Int(number)
            case .none?, nil: break
            case let other?: throw arguments.mismatch("limit", expected: "a size such as \"8G\"", got: other)
            }
            return .string(memoryReport())
        }
    }

    /// "tensors hold 12 MiB of the 18 GiB limit (18 GiB free)".
    static func memoryReport() -> String {
        "tensors hold \(MemoryBudget.describe(MemoryBudget.inUse)) of the \(MemoryBudget.describe(MemoryBudget.limit)) limit (\(MemoryBudget.describe(MemoryBudget.available)) free)"
    }
}
