import CZMQ
import Foundation
import Synchronization

/// The five Jupyter channels, bound as the connection file says: shell and control (ROUTER,
/// requests and replies), stdin (ROUTER, unused: tensorbook never asks for input), iopub (XPUB,
/// everything the kernel broadcasts) and heartbeat (an echo on its own thread).
final class KernelChannels: @unchecked Sendable {
    let shell: Socket, control: Socket, stdin: Socket
    private let iopub: Socket
    private let heartbeat: Socket
    /// Guards `iopub`, which both the shell thread (outputs) and the control thread (status of
    /// control requests, welcome messages) use.
    private let iopubLock = Mutex(())
    let signer: MessageSigner
    /// Jupyter's session id for messages this kernel starts.
    let session: String
    /// Where dropped messages are logged (standard error: Jupyter shows it in its log).
    let log: @Sendable (String) -> Void

    /// Binds every socket; fails with the address that could not be bound.
    init(_ connection: ConnectionInfo, log: @escaping @Sendable (String) -> Void) throws(KernelError) {
        guard let context = zmq_ctx_new() else { throw KernelError("cannot start ZeroMQ: \(Socket.lastError)") }
        shell = try Socket(context: context, type: ZMQ_ROUTER, address: connection.address(connection.shellPort))
        control = try Socket(context: context, type: ZMQ_ROUTER, address: connection.address(connection.controlPort))
        stdin = try Socket(context: context, type: ZMQ_ROUTER, address: connection.address(connection.stdinPort))
        // A front end that reconnects under the same identity (jupyter_client uses its session id)
        // takes over the old connection instead of being refused.
        for socket in [shell, control, stdin] { socket.setOption(ZMQ_ROUTER_HANDOVER, 1) }
        iopub = try Socket(context: context, type: ZMQ_XPUB, address: connection.address(connection.iopubPort))
        iopub.setOption(ZMQ_XPUB_VERBOSE, 1)
        heartbeat = try Socket(context: context, type: ZMQ_ROUTER, address: connection.address(connection.heartbeatPort))
        signer = MessageSigner(key: connection.key)
        session = UUID().uuidString.lowercased()
        self.log = log
    }

    /// Starts the heartbeat echo: every ping comes straight back, even while a cell runs.
    func startHeartbeat() {
        let socket = heartbeat
        Thread.detachNewThread { zmq_proxy(socket.handle, socket.handle, nil) }
    }

    /// Reads one request from `socket`; a message with a bad signature or broken JSON is logged
    /// and dropped (nil), never handled.
    func read(from socket: Socket, wait: Bool = true) -> Message? {
        guard let frames = socket.receive(wait: wait) else { return nil }
        do throws(Message.ReadError) {
            return try Message(frames: frames, signer: signer)
        } catch {
            log("tensorbook kernel: dropped a message: \(error)")
            return nil
        }
    }

    /// Sends a reply on the channel its request came from.
    func reply(_ message: Message, on socket: Socket) {
        socket.send(message.frames(signedBy: signer))
    }

    /// Broadcasts `type` on iopub, as a child of `parent`.
    func publish(_ type: String, _ content: JSONValue, parent: Message?) {
        let frames = frames(of: type, content, parent: parent)
        iopubLock.withLock { _ in
            welcomeNewSubscribers()  // one that joined since the last poll hears its welcome first
            _ = iopub.send(frames)
        }
    }

    /// Answers new iopub subscriptions with `iopub_welcome` (protocol 5.4), so a front end knows
    /// its subscription is live; called regularly from the control thread, and before each message.
    func welcomeSubscribers() {
        iopubLock.withLock { _ in welcomeNewSubscribers() }
    }

    /// With the iopub lock held: a welcome for each subscription that arrived since the last look.
    private func welcomeNewSubscribers() {
        while let subscription = iopub.receive(wait: false) {
            for frame in subscription where frame.first == 1 {
                let topic = String(decoding: frame.dropFirst(), as: UTF8.self)
                _ = iopub.send(frames(of: "iopub_welcome", ["subscription": .string(topic)], parent: nil))
            }
        }
    }

    private func frames(of type: String, _ content: JSONValue, parent: Message?) -> [[UInt8]] {
        var message = Message.make(type, content: content, session: session, parent: parent, identities: [])
        message.identities = [Array("kernel.\(session).\(type)".utf8)]
        return message.frames(signedBy: signer)
    }
}
