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
    /// A class based on another takes the base's methods, its own replacing those of the same name.
    func define(_ definition: ClassDefinition) throws(Diagnostic) {
        var base: ClassObject?
        if let name = definition.base, let span = definition.baseSpan {
            guard let value = globals.value(at: name.id) ?? registry.functions[name.text].map(Value.function) else {
                throw Diagnostic("\(definition.name) is based on \(name), which is not defined", at: span,
                                 hint: "define class \(name): before it, or base it on nn.Module")
            }
            guard case .object(let found as ClassObject) = value else {
                throw Diagnostic("\(name) is a \(value.typeName), not a class, so \(definition.name) cannot be based on it", at: span,
                                 hint: "define class \(name): before it, or base it on nn.Module")
            }
            base = found
        }
        var methods = base?.methods ?? [:]
        for method in definition.methods { methods[method.name.text] = try function(method) }
        let type = ClassObject(definition, methods: methods, base: base, interpreter: self)
        for method in definition.methods { methodOwners[ObjectIdentifier(method)] = type }
        try assign(.object(type), to: Target(kind: .name(definition.name), span: definition.headerSpan))
    }

    /// `super()` in a method: the methods of the base of the class that defined it, bound to
    /// self; `super(Class, self)` names both. Without a base class (nn.Module) it offers the
    /// `__init__` that does nothing.
    func superObject(_ arguments: [Argument], at span: SourceSpan) throws(Diagnostic) -> Value {
        var values: [Value] = []
        for argument in arguments { values.append(try evaluate(argument.value)) }
        var owner: ClassObject?, receiver: Value?
        switch values.count {
        case 0:
            if let running = runningFunction, frame !== globals {
                owner = methodOwners[ObjectIdentifier(running)]
                receiver = frame.locals.first ?? nil
            }
        case 2:
            guard case .object(let type as ClassObject) = values[0] else {
                throw Diagnostic("super(Class, self) needs a class first, got a \(values[0].typeName)", at: span, hint: "or write super() inside a method")
            }
            (owner, receiver) = (type, values[1])
        default:
            throw Diagnostic("super takes no arguments, or a class and self", at: span, hint: "super().__init__(…) inside a method")
        }
        return .object(SuperObject(base: owner?.base, receiver: receiver))
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
        let locals = makeFrame(for: definition)
        for (slot, value) in arguments.enumerated() { locals.locals[slot] = value }
        return try run(definition, in: locals, at: span)
    }

    /// A scope for one call of `definition`: a finished call's scope of the same size when there
    /// is one (a call allocates nothing then), else a new one. Every slot is empty.
    func makeFrame(for definition: FunctionDefinition) -> Environment {
        let count = definition.localNames.count
        if count < spareFrames.count, let frame = spareFrames[count].popLast() { return frame }
        return Environment(slotCount: count, parent: globals)
    }

    /// Keeps a finished call's scope for the next call of its size, its slots emptied. Nothing
    /// outlives a call that could still refer to its scope (there are no closures; a loop's
    /// counter lives only while its loop runs), so the scope is free once the call returns.
    private func recycle(_ frame: Environment) {
        let count = frame.locals.count
        guard count < 32 else { return }
        for slot in frame.locals.indices { frame.locals[slot] = nil }
        if spareFrames.count <= count { spareFrames += Array(repeating: [], count: count + 1 - spareFrames.count) }
        if spareFrames[count].count < 64 { spareFrames[count].append(frame) }
    }

    /// Runs `definition`'s body in `locals` (its parameters stored already).
    func run(_ definition: FunctionDefinition, in locals: Environment, at span: SourceSpan) throws(Diagnostic) -> Value {
        if callDepth >= 32 && stackGuard == nil { stackGuard = StackGuard() }
        guard callDepth < Self.maximumCallDepth, stackGuard?.hasRoom ?? true else {
            recycle(locals)
            throw Diagnostic("\(definition.name)(…) called itself \(callDepth) calls deep without finishing", at: span,
                             hint: "a function that calls itself needs a case that returns without calling again, e.g. if n == 0: return 1")
        }
        let caller = frame, callerFunction = runningFunction
        frame = locals
        runningFunction = definition
        callDepth += 1
        defer {
            frame = caller
            runningFunction = callerFunction
            callDepth -= 1
            recycle(locals)
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
