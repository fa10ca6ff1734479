/// Whether operations record backward rules. Recording is on by default; evaluation and optimizer
/// updates run inside `withoutRecording`, where no graph is built and no saved values are kept.
public enum GradientMode {
    @TaskLocal static var recording = true

    /// Whether operations on the current thread or task record backward rules.
    public static var isEnabled: Bool { recording }

    /// Runs `body` with recording off (PyTorch's `torch.no_grad()`).
    public static func withoutRecording<R>(_ body: () throws -> R) rethrows -> R {
        try $recording.withValue(false) { try body() }
    }
}
