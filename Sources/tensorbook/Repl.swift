import ArgumentParser

/// `tensorbook repl`: the interactive prompt.
struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the interactive prompt (the default).")

    @OptionGroup var common: CommonOptions

    func run() throws {
        try Repl.start(common)
    }

    static func start(_ options: CommonOptions) throws {
        throw ValidationError("the interactive prompt is not built yet; use -e or run")
    }
}
