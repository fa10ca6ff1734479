/// How a statement finished: normally, or by `break`, `continue` or `return`. Statements return
/// it rather than unwinding, so errors alone travel by `throws(Diagnostic)`.
enum Flow {
    case normal
    case breakLoop
    case continueLoop
    case returnValue(Value)
}
