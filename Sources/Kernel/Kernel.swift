import Diagnostics
import Display
import Foundation
import Language

/// A Jupyter kernel (messaging protocol 5.3) over one tensorbook `Session`: JupyterLab, Notebook,
/// VS Code, nbclient and papermill run the tensorbook language through it. Shell requests run on
/// the thread that calls `run()`; control requests (interrupt, shutdown) on their own thread, so
/// they are answered while a cell trains; the heartbeat echoes on a third.
public final class Kernel: @unchecked Sendable {
    /// What the host (the executable) provides besides the session.
    public struct Host: Sendable {
        /// tensorbook's version, for `kernel_info`.
        public var version: String
        /// Pictures as PNG (the `Terminal` rasteriser; the kernel may not import it).
        public var pictures: any PNGProvider
        /// Stops the running cell at its next batch or statement (the engine's interrupt flag).
        public var interrupt: @Sendable () -> Void
        /// Where the kernel logs what it drops (standard error, which Jupyter shows in its log).
        public var log: @Sendable (String) -> Void

        /// The host's parts.
        public init(version: String, pictures: any PNGProvider, interrupt: @escaping @Sendable () -> Void,
                    log: @escaping @Sendable (String) -> Void) {
            self.version = version
            self.pictures = pictures
            self.interrupt = interrupt
            self.log = log
        }
    }

    let channels: KernelChannels
    let session: Session
    let host: Host
    let completer: Completer
    var executionCount = 0
    var history = ExecutionHistory()

    /// Binds the sockets the connection file names; the session runs every cell.
    public init(connection: ConnectionInfo, session: Session, host: Host) throws(KernelError) {
        channels = try KernelChannels(connection, log: host.log)
        self.session = session
        self.host = host
        completer = session.makeCompleter()
    }

    /// Serves requests until a `shutdown_request`, whose handler ends the process (`shutdown`
    /// exits with 0), so this never returns normally; the result type is the caller's exit code.
    public func run() -> Int32 {
        channels.startHeartbeat()
        startControlThread()
        channels.publish("status", ["execution_state": "starting"], parent: nil)
        while true {
            for socket in Socket.poll([channels.shell, channels.stdin], milliseconds: 500) {
                guard let request = channels.read(from: socket, wait: false) else { continue }
                if socket === channels.stdin { continue }  // no input is ever asked for
                handleShell(request)
            }
        }
    }

    /// Answers one shell request between `busy` and `idle` statuses.
    func handleShell(_ request: Message) {
        channels.publish("status", ["execution_state": "busy"], parent: request)
        defer { channels.publish("status", ["execution_state": "idle"], parent: request) }
        let content: JSONValue
        switch request.type {
        case "execute_request": content = execute(request)
        case "kernel_info_request": content = kernelInfo
        case "complete_request": content = complete(request.content)
        case "inspect_request": content = inspect(request.content)
        case "is_complete_request": content = isComplete(request.content)
        case "history_request": content = ["status": "ok", "history": history.reply(request.content)]
        case "comm_info_request": content = ["status": "ok", "comms": [:]]
        case "shutdown_request": return shutdown(request, on: channels.shell)
        default: content = unknown(request)
        }
        channels.reply(reply(to: request, content), on: channels.shell)
        if request.type == "execute_request", content["status"]?.string == "error", request.content["stop_on_error"]?.bool ?? true {
            abortQueuedExecutions()
        }
    }

    /// The reply to `request`: `x_request` becomes `x_reply`.
    func reply(to request: Message, _ content: JSONValue) -> Message {
        let type = request.type.hasSuffix("_request") ? String(request.type.dropLast("_request".count)) + "_reply" : request.type + "_reply"
        return Message.make(type, content: content, session: channels.session, parent: request)
    }

    /// An error reply for a message type tensorbook does not know; the kernel keeps running.
    func unknown(_ request: Message) -> JSONValue {
        host.log("tensorbook kernel: no handler for message type '\(request.type)'")
        return ["status": "error", "ename": "UnknownMessageType",
                "evalue": .string("tensorbook's kernel does not handle '\(request.type)' messages"), "traceback": []]
    }

    /// Interrupt and shutdown (and kernel_info) on the control channel, while a cell may be running.
    private func startControlThread() {
        Thread.detachNewThread { [self] in
            while true {
                for socket in Socket.poll([channels.control], milliseconds: 50) {
                    guard let request = channels.read(from: socket, wait: false) else { continue }
                    handleControl(request)
                }
                channels.welcomeSubscribers()
            }
        }
    }

    private func handleControl(_ request: Message) {
        channels.publish("status", ["execution_state": "busy"], parent: request)
        defer { channels.publish("status", ["execution_state": "idle"], parent: request) }
        switch request.type {
        case "interrupt_request":
            host.interrupt()
            channels.reply(reply(to: request, ["status": "ok"]), on: channels.control)
        case "shutdown_request": shutdown(request, on: channels.control)
        case "kernel_info_request": channels.reply(reply(to: request, kernelInfo), on: channels.control)
        default: channels.reply(reply(to: request, unknown(request)), on: channels.control)
        }
    }

    /// Replies, lets the reply leave, and ends the process (Jupyter starts a new one to restart).
    private func shutdown(_ request: Message, on socket: Socket) {
        let restart = request.content["restart"]?.bool ?? false
        channels.reply(reply(to: request, ["status": "ok", "restart": .bool(restart)]), on: socket)
        channels.publish("status", ["execution_state": "idle"], parent: request)
        usleep(200_000)
        exit(0)
    }

    /// `kernel_info_reply`: who we are and how front ends should treat the language.
    var kernelInfo: JSONValue {
        [
            "status": "ok", "protocol_version": .string(Message.protocolVersion), "implementation": "tensorbook",
            "implementation_version": .string(host.version),
            "language_info": [
                "name": "tensorbook", "version": .string(host.version), "mimetype": "text/x-tensorbook", "file_extension": ".tb",
                "codemirror_mode": "python", "pygments_lexer": "python",
            ],
            "banner": .string("tensorbook \(host.version): neural networks from tensors up. help lists everything; explain TOPIC teaches it."),
            "help_links": [
                ["text": "PyTorch nn (the layers tensorbook mirrors)", "url": "https://pytorch.org/docs/stable/nn.html"],
            ],
            "debugger": false,
        ]
    }
}
