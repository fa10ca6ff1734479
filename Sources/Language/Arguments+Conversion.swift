extension Arguments {
    /// A required or defaulted number.
    public func number(_ name: String) throws(HostError) -> Double {
        switch value(name) {
        case .number(let value)?: return value
        case .bool(let value)?: return value ? 1 : 0
        case let other?: throw mismatch(name, expected: "a number", got: other)
        case nil: throw HostError("\(functionName): missing argument '\(name)'")
        }
    }

    /// A number given as `name`, or nil when absent.
    public func optionalNumber(_ name: String) throws(HostError) -> Double? {
        self[name] == nil ? nil : try number(name)
    }

    /// A whole number, at least `minimum`.
    public func integer(_ name: String, minimum: Int = .min) throws(HostError) -> Int {
        try Self.wholeNumber(try number(name), name, minimum: minimum, function: functionName)
    }

    /// A whole number given as `name`, or nil when absent.
    public func optionalInteger(_ name: String, minimum: Int = .min) throws(HostError) -> Int? {
        self[name] == nil ? nil : try integer(name, minimum: minimum)
    }

    /// A string.
    public func string(_ name: String) throws(HostError) -> String {
        guard case .string(let text)? = value(name) else {
            throw mismatch(name, expected: "a string", got: value(name) ?? .none)
        }
        return text
    }

    /// A host object of a given type (e.g. a tensor), described as `expected` in messages.
    public func object<T: HostObject>(_ name: String, as type: T.Type, expected: String) throws(HostError) -> T {
        guard case .object(let object)? = value(name), let typed = object as? T else {
            throw mismatch(name, expected: expected, got: value(name) ?? .none)
        }
        return typed
    }

    /// The variadic values as whole numbers (e.g. the sizes of `mlp(10, 64, 1)`).
    public func restIntegers(minimum: Int = .min) throws(HostError) -> [Int] {
        var result: [Int] = []
        for (index, value) in rest.enumerated() {
            guard case .number(let number) = value else {
                throw HostError("\(functionName): argument \(index + 1) must be a number, got \(value.typeName) \(value.quotedDescription)",
                                argument: "#\(index)")
            }
            result.append(try Self.wholeNumber(number, "#\(index)", minimum: minimum, function: functionName))
        }
        return result
    }

    /// The error for a value of the wrong type.
    public func mismatch(_ name: String, expected: String, got value: Value) -> HostError {
        HostError("\(functionName): '\(name)' must be \(expected), got \(value.typeName) \(value.quotedDescription)", argument: name)
    }

    /// `value` as an Int, or an error naming the argument when it is not whole or below `minimum`.
    public static func wholeNumber(_ value: Double, _ name: String, minimum: Int, function: String) throws(HostError) -> Int {
        guard value == value.rounded(), abs(value) < 1e15 else {
            throw HostError("\(function): '\(name)' must be a whole number, got \(Value.format(value))", argument: name)
        }
        guard Int(value) >= minimum else {
            throw HostError("\(function): '\(name)' must be at least \(minimum), got \(Value.format(value))", argument: name)
        }
        return Int(value)
    }
}
