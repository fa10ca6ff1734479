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
        case "comm_open": return refuseComm(request)
        case "comm_msg", "comm_close": return  // no comm is ever open; comm messages get no reply
        default: return ignore(request)
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

    /// A message type tensorbook does not know: logged, not answered (as ipykernel and xeus do).
    func ignore(_ request: Message) {
        host.log("tensorbook kernel: no handler for message type '\(request.type)'; ignored")
    }

    /// `comm_open` from a widget: tensorbook has no comm targets, so the comm is closed at once
    /// on iopub (no shell reply, as ipykernel does for an unknown target) and the log says why.
    func refuseComm(_ request: Message) {
        let target = request.content["target_name"]?.string ?? ""
        let id = request.content["comm_id"] ?? ""
        host.log("tensorbook kernel: no comm target '\(target)' (tensorbook has no widgets); closing comm \(id.string ?? "")")
        channels.publish("comm_close", ["comm_id": id, "data": [:]], parent: request)
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
        default: ignore(request)
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
                "codemirror_mode": "python", "pygments_lexer": "tensorbook",
            ],
            "banner": .string("tensorbook \(host.version): neural networks from tensors up. help lists everything; explain TOPIC teaches it."),
            "help_links": [
                ["text": "PyTorch nn (the layers tensorbook mirrors)", "url": "https://pytorch.org/docs/stable/nn.html"],
            ],
            "debugger": false,
        ]
    }
}
