import Foundation

/// The connection file Jupyter writes before starting a kernel: where to bind the five sockets
/// and the key that signs every message.
public struct ConnectionInfo: Sendable, Equatable {
    public var transport: String
    public var ip: String
    public var shellPort: Int, iopubPort: Int, stdinPort: Int, controlPort: Int, heartbeatPort: Int
    /// The HMAC key; empty means messages are not signed.
    public var key: [UInt8]
    /// "hmac-sha256" (the only scheme tensorbook supports) or "" for none.
    public var signatureScheme: String

    /// Reads and checks a connection file; every problem names the file and the field.
    public init(contentsOf path: String) throws(KernelError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw KernelError("connection file '\(path)' does not exist",
                              hint: "Jupyter passes it as --connection-file {connection_file}; run `tensorbook kernel install` and start the kernel from Jupyter")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KernelError("connection file '\(path)' cannot be read", hint: "check its permissions")
        }
        try self.init(json: [UInt8](data), path: path)
    }

    /// Parses the JSON text of a connection file.
    public init(json: [UInt8], path: String = "<connection>") throws(KernelError) {
        guard let value = JSONValue.parse(json), let fields = value.object else {
            throw KernelError("connection file '\(path)' is not a JSON object", hint: "it should look like {\"shell_port\": 5001, \"key\": \"…\", …}")
        }
        func port(_ name: String) throws(KernelError) -> Int {
            guard let port = fields[name]?.int else {
                throw KernelError("connection file '\(path)' has no whole-number \"\(name)\"", hint: "Jupyter writes all five ports: shell, iopub, stdin, control, hb")
            }
            guard (0...65535).contains(port) else { throw KernelError("\"\(name)\" in '\(path)' is \(port), not a port (0…65535)") }
            return port
        }
        transport = fields["transport"]?.string ?? "tcp"
        guard transport == "tcp" || transport == "ipc" else {
            throw KernelError("connection file '\(path)' asks for transport \"\(transport)\"", hint: "tensorbook speaks tcp and ipc")
        }
        ip = fields["ip"]?.string ?? "127.0.0.1"
        (shellPort, iopubPort, stdinPort) = (try port("shell_port"), try port("iopub_port"), try port("stdin_port"))
        (controlPort, heartbeatPort) = (try port("control_port"), try port("hb_port"))
        key = Array((fields["key"]?.string ?? "").utf8)
        signatureScheme = fields["signature_scheme"]?.string ?? "hmac-sha256"
        guard signatureScheme == "hmac-sha256" || key.isEmpty else {
            throw KernelError("connection file '\(path)' asks for signature scheme \"\(signatureScheme)\"", hint: "tensorbook signs with hmac-sha256")
        }
    }

    /// The ZeroMQ address of one port: "tcp://127.0.0.1:5001" (or "ipc://IP-5001").
    public func address(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}
