import CZMQ
import Foundation

/// One ZeroMQ socket (libzmq). Not thread-safe, like the socket under it: each is used by one
/// thread, except iopub, which `KernelChannels` guards with a lock.
final class Socket: @unchecked Sendable {
    /// The libzmq socket handle.
    let handle: UnsafeMutableRawPointer

    /// A socket of `type` (ZMQ_ROUTER, ZMQ_XPUB, …) bound to `address`.
    init(context: UnsafeMutableRawPointer, type: Int32, address: String) throws(KernelError) {
        guard let handle = zmq_socket(context, type) else { throw KernelError("cannot make a ZeroMQ socket: \(Self.lastError)") }
        self.handle = handle
        setOption(ZMQ_LINGER, 1000)
        guard zmq_bind(handle, address) == 0 else {
            let reason = Self.lastError
            zmq_close(handle)
            throw KernelError("cannot listen on \(address): \(reason)",
                              hint: "another program holds the port; let Jupyter pick free ports (it writes them into the connection file)")
        }
    }

    /// Sets an integer socket option.
    func setOption(_ option: Int32, _ value: Int32) {
        var value = value
        zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size)
    }

    /// Sends a multipart message; false when libzmq refused it (it logs nothing itself).
    @discardableResult
    func send(_ frames: [[UInt8]]) -> Bool {
        for (index, frame) in frames.enumerated() {
            let flags = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            let sent = frame.withUnsafeBytes { bytes in zmq_send(handle, bytes.baseAddress, frame.count, flags) }
            if sent < 0 { return false }
        }
        return true
    }

    /// Receives one multipart message; nil when nothing is waiting (`wait: false`) or on error.
    func receive(wait: Bool = true) -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        while true {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            if zmq_msg_recv(&message, handle, wait ? 0 : ZMQ_DONTWAIT) < 0 { return frames.isEmpty ? nil : frames }
            let size = zmq_msg_size(&message)
            let data = zmq_msg_data(&message)
            frames.append(size == 0 || data == nil ? [] : [UInt8](UnsafeRawBufferPointer(start: data, count: size)))
            if zmq_msg_more(&message) == 0 { return frames }
        }
    }

    /// Waits up to `milliseconds` for any of `sockets` to have a message; returns the ready ones
    /// (none on timeout or when a signal interrupted the wait).
    static func poll(_ sockets: [Socket], milliseconds: Int) -> [Socket] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        guard zmq_poll(&items, Int32(items.count), milliseconds) > 0 else { return [] }
        return zip(sockets, items).filter { $0.1.revents & Int16(ZMQ_POLLIN) != 0 }.map(\.0)
    }

    /// libzmq's text for the last error.
    static var lastError: String { String(cString: zmq_strerror(zmq_errno())) }
}
