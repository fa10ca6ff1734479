// libFuzzer entry points (PLATFORM.md "Fuzzing"): SwiftPM renames an executable's `main` to
// `LanguageFuzzer_main`, so that symbol hands control to libFuzzer's driver.
import Display
import Language
import Diagnostics

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// One input: lex, parse and run it in an interpreter whose registry is empty (no engine), so
/// every path of the language itself — arithmetic, lists, strings, errors — is exercised.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = Interpreter.isIncomplete(text)
    let interpreter = Interpreter(registry: Registry(), sink: CollectingSink())
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
