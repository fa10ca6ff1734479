// libFuzzer entry points (PLATFORM.md "Fuzzing"): SwiftPM renames an executable's `main` to
// `LanguageFuzzer_main`, so that symbol hands control to libFuzzer's driver.
import Display
import Language
import Diagnostics
import Synchronization

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Engine hooks that stop a run after a fixed number of statements, so `while true:` and deep
/// loops end like a Ctrl-C instead of hanging the fuzzer.
final class StatementBudget: EngineHooks, @unchecked Sendable {
    private let remaining = Atomic<Int>(0)
    func refill() { remaining.store(2_000, ordering: .relaxed) }
    var isInterrupted: Bool { remaining.subtract(1, ordering: .relaxed).newValue < 0 }
    var interruptionReason: String { "the fuzzer's statement budget" }
    func clearInterruption() {}
    func requestInterruption(timeout seconds: Int) {}
    func withoutGradients<T>(_ body: () throws -> T) rethrows -> T { try body() }
    func seed(_ value: UInt64) {}
}

nonisolated(unsafe) let budget = StatementBudget()

/// One input: lex, parse and run it in an interpreter whose registry holds only the language's
/// own functions (no engine), so every path of the language itself — blocks, functions,
/// f-strings, lists, errors — is exercised; then render every diagnostic.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let registry = Registry()
    registry.engine = budget
    budget.refill()
    let interpreter = Interpreter(registry: registry, sink: CollectingSink())
    _ = interpreter.completeness(of: text, interactive: true)
    for diagnostic in interpreter.run(SourceFile(name: "fuzz", text: text)) {
        _ = DiagnosticRenderer(color: true).render(diagnostic)
    }
    return 0
}

@_cdecl("LanguageFuzzer_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
