import Diagnostics

extension Parser {
    /// Blocks nest at most this deep (as expressions do), so no input can overflow the stack.
    static let maximumBlockDepth = 100

    /// `if c: … elif c: … else: …`
    mutating func parseConditional() throws(Diagnostic) -> Statement {
        let start = current.span
        var branches: [ConditionalBranch] = []
        var otherwise: Block?
        repeat {
            let keyword = advance()
            let condition = try parseExpression()
            branches.append(ConditionalBranch(condition: condition, body: try parseBlock(after: keyword)))
        } while check(word: "elif")
        if check(word: "else") {
            let keyword = advance()
            otherwise = try parseBlock(after: keyword)
        }
        return Statement(kind: .conditional(branches, otherwise: otherwise), span: start.through((otherwise ?? branches.last!.body).span))
    }

    /// `while c: …`
    mutating func parseWhile() throws(Diagnostic) -> Statement {
        let keyword = advance()
        let condition = try parseExpression()
        let body = try parseLoopBody(after: keyword)
        return Statement(kind: .whileLoop(condition, body), span: keyword.span.through(body.span))
    }

    /// `for target in iterable: …`
    mutating func parseFor() throws(Diagnostic) -> Statement {
        let keyword = advance()
        let target = try parseLoopTarget()
        guard check(word: "in") else {
            throw Diagnostic("expected 'in' after the names of a for loop, found \(current.description)", at: errorSpan, kind: .syntax,
                             hint: "for example: for i in range(10):")
        }
        advance()
        let iterable = try parseExpressionList()
        let body = try parseLoopBody(after: keyword)
        return Statement(kind: .forLoop(target, iterable, body), span: keyword.span.through(body.span))
    }

    private mutating func parseLoopBody(after keyword: Token) throws(Diagnostic) -> Block {
        loopDepth += 1
        defer { loopDepth -= 1 }
        return try parseBlock(after: keyword)
    }

    /// `no_grad: …`
    mutating func parseNoGrad() throws(Diagnostic) -> Statement {
        let keyword = advance()
        let body = try parseBlock(after: keyword)
        return Statement(kind: .noGrad(body), span: keyword.span.through(body.span))
    }

    /// PyTorch's `with torch.no_grad():` (also `with no_grad():`), the same block as `no_grad:`.
    mutating func parseWithNoGrad() throws(Diagnostic) -> Statement {
        let with = advance()
        if check(word: "torch"), next.kind == .dot { advance(); advance() }
        guard check(word: "no_grad"), next.kind == .leftParen, tokens[min(position + 2, tokens.count - 1)].kind == .rightParen else {
            throw Diagnostic("'with' is accepted only as with no_grad():", at: with.span.through(current.span), kind: .syntax,
                             hint: "tensorbook has no context managers besides gradients: no_grad: (or with no_grad():) turns recording off for its block")
        }
        advance()
        advance()
        let close = advance()
        let body = try parseBlock(after: close)
        return Statement(kind: .noGrad(body), span: with.span.through(body.span))
    }

    /// `import torch`, `from torch import nn`: nothing to import, so an answer instead.
    func importHint() -> Diagnostic {
        Diagnostic("tensorbook has no import: its tensors, layers, optimizers and datasets are built in", at: current.span.through(next.span), kind: .syntax,
                   hint: "drop the import and write the PyTorch code with tensorbook's names: torch.randn → randn, nn.Linear → linear, optim.Adam → adam, F.relu → relu (help lists them all)")
    }

    /// `@staticmethod` on the line before a `def` (the decorator torch.autograd.Function's forward
    /// and backward are written with); no other decorator is understood.
    mutating func parseDecoratedFunction() throws(Diagnostic) -> Statement {
        let at = advance()
        let decorator = try parseExpression()
        guard decorator.span.text == "staticmethod" else {
            throw Diagnostic("the decorator @\(decorator.span.text) is not understood here", at: at.span.through(decorator.span), kind: .syntax,
                             hint: "only @staticmethod is (for torch.autograd.Function's forward and backward); call the function instead: f = decorate(f)")
        }
        guard match(.newline), current.identifier == "def" else {
            throw Diagnostic("@staticmethod must stand on its own line, just before a def", at: errorSpan, kind: .syntax,
                             hint: "@staticmethod\n    def forward(ctx, x):")
        }
        return try parseFunction(isStatic: true)
    }

    /// `def name(a, b, c: 1): …` — the body's names are resolved to local slots afterwards.
    mutating func parseFunction(isStatic: Bool = false) throws(Diagnostic) -> Statement {
        let keyword = advance()
        guard !inFunction else {
            throw Diagnostic("a def inside a function", at: keyword.span, kind: .syntax,
                             hint: "define functions at the top level of a cell, file or prompt, and call them from here")
        }
        guard let text = current.identifier, !Self.reservedWords.contains(text) else {
            throw Diagnostic("expected the function's name after 'def', found \(current.description)", at: errorSpan, kind: .syntax,
                             hint: "for example: def square(x):")
        }
        let name = Name(text)
        advance()
        _ = try expect(.leftParen, "'('", after: "the function's name")
        let parameters = try parseParameters(of: text)
        let close = try expect(.rightParen, "',' or ')'", after: "a parameter")
        let savedLoops = loopDepth
        (loopDepth, inFunction) = (0, true)
        defer { (loopDepth, inFunction) = (savedLoops, false) }
        let body = try parseBlock(after: keyword)
        let definition = Resolver.resolve(name: name, parameters: parameters, body: body, headerSpan: keyword.span.through(close.span),
                                          isStatic: isStatic)
        return Statement(kind: .function(definition), span: keyword.span.through(body.span))
    }

    /// `class Name:` or `class Name(nn.Module):` with a block of methods. The base is not
    /// evaluated: `nn.Module`, `Module` and `object` are what every class is here already;
    /// `torch.autograd.Function` makes an operation with its own backward.
    mutating func parseClass() throws(Diagnostic) -> Statement {
        let keyword = advance()
        guard !inFunction else {
            throw Diagnostic("a class inside a function", at: keyword.span, kind: .syntax, hint: "define classes at the top level of a cell, file or prompt")
        }
        guard let text = current.identifier, !Self.reservedWords.contains(text) else {
            throw Diagnostic("expected the class's name after 'class', found \(current.description)", at: errorSpan, kind: .syntax,
                             hint: "for example: class TwoLayerNet:")
        }
        let name = Name(text)
        var header = advance().span
        var base: (name: Name, span: SourceSpan)?
        var isAutogradFunction = false
        if match(.leftParen) {
            if !check(.rightParen) {
                let written = try parseExpression()
                if ["torch.autograd.Function", "autograd.Function", "Function"].contains(written.span.text) {
                    isAutogradFunction = true
                } else if case .identifier(let baseName) = written.kind, !["Module", "object"].contains(baseName.text) {
                    base = (baseName, written.span)
                } else if !["nn.Module", "Module", "torch.nn.Module", "object"].contains(written.span.text) {
                    throw Diagnostic("a class here can be based on nn.Module, torch.autograd.Function or a class written here, found '\(written.span.text)'",
                                     at: written.span, kind: .syntax,
                                     hint: "write class \(text): (every class is an nn.Module already), or class \(text)(Base): with Base a class of this session")
                }
            }
            header = keyword.span.through(try expect(.rightParen, "')'", after: "the base class").span)
        }
        let body = try parseBlock(after: keyword)
        var methods: [FunctionDefinition] = [], documentation = ""
        for (index, statement) in body.statements.enumerated() {
            if index == 0, case .expression(let value) = statement.kind, case .string(let text) = value.kind {
                documentation = text
                continue
            }
            switch statement.kind {
            case .function(let method):
                guard method.isStatic || (method.parameters.first.map { $0.defaultValue == nil } ?? false) else {
                    throw Diagnostic("the method \(method.name) needs self as its first parameter", at: method.headerSpan, kind: .syntax,
                                     hint: "def \(method.name)(self\(method.parameters.isEmpty ? "" : ", …")):")
                }
                if let earlier = methods.first(where: { $0.name == method.name }) {
                    throw Diagnostic("the method \(method.name) is defined twice", at: method.headerSpan, kind: .syntax,
                                     notes: [.init("first defined here", span: earlier.headerSpan)])
                }
                methods.append(method)
            case .pass: break
            default:
                throw Diagnostic("a class body holds methods (def) only", at: statement.span, kind: .syntax,
                                 hint: "set attributes in __init__: self.name = value")
            }
        }
        let definition = ClassDefinition(name: name, base: base?.name, baseSpan: base?.span, methods: methods, documentation: documentation,
                                         headerSpan: keyword.span.through(header), isAutogradFunction: isAutogradFunction)
        if isAutogradFunction {
            for required in ["forward", "backward"] where !methods.contains(where: { $0.name.text == required }) {
                // Reported, not thrown: the body is parsed, so the next statement is not skipped.
                report(Diagnostic("the autograd function \(text) has no \(required) method", at: definition.headerSpan, kind: .syntax,
                                  hint: "@staticmethod\n    def forward(ctx, x): …\n\n    @staticmethod\n    def backward(ctx, grad_output): …"))
            }
        }
        return Statement(kind: .classDefinition(definition), span: keyword.span.through(body.span))
    }

    /// `a, b, c: 1` (Python's `c=1` is accepted too); a parameter with a default comes last.
    private mutating func parseParameters(of function: String) throws(Diagnostic) -> [ParameterDefinition] {
        var parameters: [ParameterDefinition] = []
        while let text = current.identifier {
            let nameToken = advance()
            guard !Self.reservedWords.contains(text) else {
                throw Diagnostic("'\(text)' is a keyword and cannot name a parameter", at: nameToken.span, kind: .syntax, hint: "choose another name")
            }
            if let earlier = parameters.first(where: { $0.name.text == text }) {
                throw Diagnostic("the parameter '\(text)' is named twice", at: nameToken.span, kind: .syntax,
                                 notes: [.init("first named here", span: earlier.span)])
            }
            var defaultValue: Expression?
            if match(.colon) || match(.assign) { defaultValue = try parseExpression() }
            if defaultValue == nil, let previous = parameters.last, previous.defaultValue != nil {
                throw Diagnostic("'\(text)' has no default but comes after '\(previous.name)', which has one", at: nameToken.span, kind: .syntax,
                                 hint: "put parameters with defaults last: def \(function)(\(text), …, \(previous.name): …)")
            }
            parameters.append(ParameterDefinition(name: Name(text), defaultValue: defaultValue,
                                                  span: nameToken.span.through(defaultValue?.span ?? nameToken.span)))
            if !match(.comma) { break }
        }
        return parameters
    }

    /// `:` then either one simple statement on the same line, or an indented block.
    mutating func parseBlock(after keyword: Token) throws(Diagnostic) -> Block {
        let word = keyword.span.text
        guard match(.colon) else {
            throw Diagnostic("expected ':' at the end of the '\(word)' line, found \(current.description)", at: errorSpan, kind: .syntax,
                             hint: "a line that opens a block ends with ':'")
        }
        if !atStatementEnd {
            let statement = try parseSimpleStatement()
            try endStatement()
            return Block(statements: [statement], span: keyword.span.through(statement.span))
        }
        _ = match(.newline)
        guard check(.indent) else {
            // Only the closing of outer blocks is left: the input stops here (a nested block
            // typed line by line, `def f():` then `for …:`), so more lines are needed.
            if tokens[position...].allSatisfy({ $0.kind == .dedent || $0.kind == .newline || $0.kind == .end }) {
                throw Diagnostic("expected an indented block after '\(word)'", at: keyword.span, kind: .incompleteInput,
                                 hint: "indent the lines of the block, e.g. by 4 spaces")
            }
            let line = keyword.span.source.location(of: keyword.span.start).line
            throw Diagnostic("expected an indented block after the '\(word)' on line \(line)", at: current.span, kind: .syntax,
                             hint: "indent the lines that belong to it by 4 spaces; an empty block is written pass")
        }
        blockDepth += 1
        defer { blockDepth -= 1 }
        guard blockDepth <= Self.maximumBlockDepth else {
            throw Diagnostic("blocks are nested more than \(Self.maximumBlockDepth) levels deep", at: keyword.span, kind: .syntax,
                             hint: "move the inner part into a function")
        }
        advance()
        let statements = parseStatements(untilDedent: true)
        _ = match(.dedent)
        return Block(statements: statements, span: keyword.span.through(statements.last?.span ?? keyword.span))
    }
}
