import Display

/// What the language needs from the engine, without importing it (DESIGN.md §2a): provided by
/// the host (Builtins), so the interpreter can stop on Ctrl-C and run `no_grad:` blocks.
public protocol EngineHooks: AnyObject, Sendable {
    /// Whether running work should stop now (Ctrl-C, a notebook cell's timeout). Checked before
    /// every statement, so it must be cheap.
    var isInterrupted: Bool { get }
    /// Why it should stop, for the message: "Ctrl-C", "the --timeout of 5 s".
    var interruptionReason: String { get }
    /// Clears a pending interruption (done before each run).
    func clearInterruption()
    /// Asks running work to stop because it ran past a time limit of `seconds` (a notebook
    /// cell's `--timeout`); may be called from any thread.
    func requestInterruption(timeout seconds: Int)
    /// Runs `body` with gradient recording off (`no_grad:`).
    func withoutGradients<T>(_ body: () throws -> T) rethrows -> T
    /// Makes every later random draw repeatable (`--seed N`).
    func seed(_ value: UInt64)
    /// Training batches run so far (a counter the prompt reads around an entry).
    var trainingBatchesRun: Int { get }
    /// Stops training as Ctrl-C did once `batches` more have run (replaying an interrupted
    /// notebook cell); nil lets it run.
    func stopTraining(afterBatches batches: Int?)
    /// Whether training may run its next batch (false when interrupted, or when a replayed
    /// stop is reached, which then counts as an interruption); counts the batches that run.
    func mayTrainNextBatch() -> Bool
}

extension EngineHooks {
    /// Hooks that do not count batches or replay a stop: only an interruption stops training.
    public var trainingBatchesRun: Int { 0 }
    public func stopTraining(afterBatches batches: Int?) {}
    public func mayTrainNextBatch() -> Bool { !isInterrupted }
}

/// Hooks for a language without an engine (language tests, the fuzzer): never interrupted,
/// nothing to switch off.
public final class NoEngine: EngineHooks {
    /// The hooks.
    public init() {}
    public var isInterrupted: Bool { false }
    public var interruptionReason: String { "a request to stop" }
    public func clearInterruption() {}
    public func requestInterruption(timeout seconds: Int) {}
    public func withoutGradients<T>(_ body: () throws -> T) rethrows -> T { try body() }
    public func seed(_ value: UInt64) {}
}

/// What one run of the interpreter works with, injected by the front end that runs it: where
/// output goes, whether it may show wall-clock figures, and the engine hooks.
public struct ExecutionContext: Sendable {
    /// Where everything shown goes.
    public var sink: any DisplaySink
    /// Whether output may include wall-clock times and other machine-dependent figures.
    public var showsTimings: Bool
    /// Interrupts, no-grad, seeding.
    public var engine: any EngineHooks

    /// A context.
    public init(sink: any DisplaySink, showsTimings: Bool = false, engine: any EngineHooks = NoEngine()) {
        self.sink = sink
        self.showsTimings = showsTimings
        self.engine = engine
    }
}
