import Diagnostics
import Glibc

extension Interpreter {
    /// User functions may nest calls this deep (Python's default limit); the stack guard may stop sooner.
    static let maximumCallDepth = 1000

    /// `def`: makes the function value, evaluating the defaults now (as Python does).
    func define(_ definition: FunctionDefinition) throws(Diagnostic) {
        try assign(.function(try function(definition)), to: Target(kind: .name(definition.name), span: definition.headerSpan))
    }

    /// `class`: the class value with each method made as a function.
    func define(_ definition: ClassDefinition) throws(Diagnostic) {
        var methods: [String: Callable] = [:]
        for method in definition.methods { methods[method.name.text] = try function(method) }
        try assign(.object(ClassObject(definition, methods: methods)), to: Target(kind: .name(definition.name), span: definition.headerSpan))
    }

    private func function(_ definition: FunctionDefinition) throws(Diagnostic) -> Callable {
        var parameters: [Signature.Parameter] = []
        for parameter in definition.parameters {
            if let expression = parameter.defaultValue {
                parameters.append(.init(parameter.name.text, default: try evaluate(expression)))
            } else {
                parameters.append(.init(parameter.name.text))
            }
        }
        let signature = Signature(definition.name.text, parameters: parameters, documentation: definition.documentation)
        return Callable(definition, signature: signature)
    }

    /// Runs a user function in a fresh local scope whose parent is the globals.
    func callUserFunction(_ definition: FunctionDefinition, _ arguments: [Value], at span: SourceSpan) throws(Diagnostic) -> Value {
        if callDepth >= 32 && stackGuard == nil { stackGuard = StackGuard() }
        guard callDepth < Self.maximumCallDepth, stackGuard?.hasRoom ?? true else {
            throw Diagnostic("\(definition.name)(…) called itself \(callDepth) calls deep without finishing", at: span,
                             hint: "a function that calls itself needs a case that returns without calling again, e.g. if n == 0: return 1")
        }
        let locals = Environment(slotCount: definition.localNames.count, parent: globals)
        for (slot, value) in arguments.enumerated() { locals.locals[slot] = value }
        let caller = frame
        frame = locals
        callDepth += 1
        defer {
            frame = caller
            callDepth -= 1
        }
        do {
            if case .returnValue(let value) = try execute(definition.body) { return value }
            return .none
        } catch var error {
            // One note per call site: a deep recursion reads as one line, not a thousand.
            guard error.kind != .interrupted, error.notes.count < 8,
                  !error.notes.contains(where: { $0.span?.start == span.start && $0.span?.source === span.source }) else { throw error }
            error.notes.append(.init("in \(definition.name)(…), called here", span: span))
            throw error
        }
    }

    /// A local variable's value, or an error when the function has not assigned it yet.
    func localValue(_ slot: Int, _ name: Name, at span: SourceSpan) throws(Diagnostic) -> Value {
        if let value = frame.locals[slot] { return value }
        let isGlobal = globals.value(at: name.id) != nil || registry.functions[name.text] != nil
        throw Diagnostic("'\(name)' is used before this function assigns it", at: span,
                         hint: isGlobal ? "'\(name)' is assigned somewhere in this function, so it is local here; to change the session's \(name), write global \(name) first"
                             : "assign it before this line")
    }
}

/// Where this thread's stack ends, with a margin: recursion stops with an error before a crash,
/// whatever the thread's stack size (8 MiB on the main thread, less on worker threads).
struct StackGuard {
    /// The lowest address a call may still use.
    private let limit: UInt

    /// The guard for the calling thread.
    init() {
        var attributes = pthread_attr_t()
        var base: UnsafeMutableRawPointer?
        var size = 0
        guard let getAttributes = Self.getThreadAttributes, getAttributes(pthread_self(), &attributes) == 0 else {
            limit = 0
            return
        }
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_getstack(&attributes, &base, &size)
        limit = UInt(bitPattern: base) + UInt(min(size / 4, 256 * 1024))
    }

    /// glibc's `pthread_getattr_np`, a GNU extension the Glibc module does not import.
    private static let getThreadAttributes: (@convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "pthread_getattr_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32).self)
    }()

    /// Whether the stack still has room for another call.
    var hasRoom: Bool {
        var marker = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } > limit
    }
}
