import Display
import Foundation

/// Sends what one `execute_request` shows to iopub: text as `stream` stdout, pictures and tables
/// as `display_data`, the cell's last result as `execute_result`, and training progress as one
/// display updated in place (at most every half second, and at each epoch's end) that ends as
/// the epoch lines a notebook records.
final class KernelSink: DisplaySink, @unchecked Sendable {
    private let channels: KernelChannels
    private let pictures: any PNGProvider
    private let parent: Message
    private let silent: Bool
    /// A result not yet sent: it becomes `execute_result` if nothing else follows it.
    private var pendingResult: DisplayValue?
    /// The live training display, while one is open.
    private var progress: (id: String, epochLines: [String], lastUpdate: Double, lastText: String)?
    /// Everything shown, as plain text, for `history` with output.
    private(set) var plainOutput: [String] = []
    /// The streamed text of the current run of pieces.
    private var streamed = ""

    /// A sink answering `parent`; a silent request shows nothing.
    init(channels: KernelChannels, pictures: any PNGProvider, parent: Message, silent: Bool) {
        self.channels = channels
        self.pictures = pictures
        self.parent = parent
        self.silent = silent
    }

    func emit(_ value: DisplayValue) {
        if case .progress(let update) = value { return show(update) }
        if case .stream(let piece, let isLast) = value { return stream(piece, isLast: isLast) }
        if value == .clearOutput { return clear() }
        flushPending()
        closeProgress()
        send(value)
    }

    func emitResult(_ value: DisplayValue) {
        flushPending()
        closeProgress()
        pendingResult = value
    }

    /// Ends the run: the last result goes out as `execute_result` with the execution count.
    func finish(executionCount: Int) {
        closeProgress()
        guard let result = pendingResult else { return }
        pendingResult = nil
        record(result)
        guard !silent else { return }
        channels.publish("execute_result", ["execution_count": .int(executionCount), "data": MimeBundle.resultBundle(for: result, pictures: pictures),
                                            "metadata": [:]], parent: parent)
    }

    /// `clear`: the front end clears the cell's output when the next output arrives (`wait`, so a
    /// redrawn plot does not flicker).
    private func clear() {
        pendingResult = nil
        closeProgress()
        plainOutput = []
        if !silent { channels.publish("clear_output", ["wait": true], parent: parent) }
    }

    /// A piece of streamed text goes out at once as `stream` stdout; the front end joins them.
    private func stream(_ piece: String, isLast: Bool) {
        flushPending()
        closeProgress()
        streamed += piece
        if isLast { record(.text(streamed)); streamed = "" }
        let text = isLast ? piece + "\n" : piece
        if !silent, !text.isEmpty { channels.publish("stream", ["name": "stdout", "text": .string(text)], parent: parent) }
    }

    /// Text for `stderr` (warnings).
    func warn(_ text: String) {
        flushPending()
        closeProgress()
        if !silent { channels.publish("stream", ["name": "stderr", "text": .string(text)], parent: parent) }
    }

    /// A result followed by more output is shown where it stood, as a display.
    private func flushPending() {
        guard let result = pendingResult else { return }
        pendingResult = nil
        send(result)
    }

    private func send(_ value: DisplayValue) {
        record(value)
        guard !silent else { return }
        if let bundle = MimeBundle.bundle(for: value, pictures: pictures) {
            channels.publish("display_data", ["data": bundle, "metadata": [:], "transient": [:]], parent: parent)
        } else {
            let text = value.plainText(showsTimings: false)
            channels.publish("stream", ["name": "stdout", "text": .string(text.hasSuffix("\n") ? text : text + "\n")], parent: parent)
        }
    }

    private func record(_ value: DisplayValue) {
        let text = value.plainText(showsTimings: false)
        if !text.isEmpty { plainOutput.append(text) }
    }

    /// Opens the training display on the first update, then redraws it at most twice a second
    /// (every reported epoch summary is drawn; a long run reports about ten, as notebooks do).
    private func show(_ update: Display.Progress) {
        flushPending()
        let now = Date().timeIntervalSinceReferenceDate
        let isReported = update.isEpochSummary && Display.Progress.isReportedEpoch(update.epoch, of: update.epochs)
        if isReported { record(.progress(update)) }
        var current = progress ?? (id: UUID().uuidString.lowercased(), epochLines: [], lastUpdate: -1, lastText: "")
        let isNew = progress == nil
        if isReported { current.epochLines.append(update.summaryLine(withTiming: false)) }
        progress = current
        guard isReported || isNew || now - current.lastUpdate >= 0.5 else { return }
        let live = isReported ? [] : [update.isEpochSummary ? update.summaryLine(withTiming: false) : Self.liveLine(update)]
        publishProgress((current.epochLines + live).joined(separator: "\n"), isNew: isNew, at: now)
    }

    /// "epoch 1/3  batch 200/938  loss 0.4512": the line under the finished epochs.
    static func liveLine(_ update: Display.Progress) -> String {
        var line = "epoch \(update.epoch)/\(update.epochs)  batch \(update.batch)/\(update.batches)  loss \(Display.Progress.format(update.loss, digits: 4))"
        if let accuracy = update.accuracy { line += "  accuracy \(Display.Progress.format(accuracy * 100, digits: 2))%" }
        return line
    }

    /// Leaves the display showing only the finished epochs, as the `.nb` file records them.
    private func closeProgress() {
        guard let current = progress else { return }
        let final = current.epochLines.joined(separator: "\n")
        // Stopped inside its first epoch there is no epoch line: the last live line stays, rather
        // than an empty output the notebook would keep.
        if !final.isEmpty, final != current.lastText { publishProgress(final, isNew: false, at: current.lastUpdate) }
        progress = nil
    }

    private func publishProgress(_ text: String, isNew: Bool, at time: Double) {
        guard var current = progress else { return }
        current.lastUpdate = time
        current.lastText = text
        progress = current
        guard !silent else { return }
        let content: JSONValue = ["data": ["text/plain": .string(text)], "metadata": [:], "transient": ["display_id": .string(current.id)]]
        channels.publish(isNew ? "display_data" : "update_display_data", content, parent: parent)
    }
}
