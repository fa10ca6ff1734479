import Foundation

/// One Jupyter message (protocol 5.3): routing identities, header, parent header, metadata,
/// content and binary buffers. On the wire: identities, `<IDS|MSG>`, the signature, then the
/// four JSON parts and the buffers.
public struct Message: Sendable {
    /// The ZeroMQ routing prefix (who sent a shell request; the topic on iopub).
    public var identities: [[UInt8]]
    public var header: JSONValue
    public var parentHeader: JSONValue
    public var metadata: JSONValue
    public var content: JSONValue
    public var buffers: [[UInt8]]

    /// The message type from the header: "execute_request", "status", …
    public var type: String { header["msg_type"]?.string ?? "" }
    /// The message id from the header.
    public var id: String { header["msg_id"]?.string ?? "" }

    /// The protocol version tensorbook speaks.
    public static let protocolVersion = "5.3"
    /// The frame that ends the routing prefix.
    static let delimiter = Array("<IDS|MSG>".utf8)

    /// A message as it is read off or put on the wire.
    public init(identities: [[UInt8]] = [], header: JSONValue, parentHeader: JSONValue = [:], metadata: JSONValue = [:],
                content: JSONValue, buffers: [[UInt8]] = []) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// A new message of `type` in `session`, answering `parent` when given (its identities are
    /// reused, so a reply goes back to whoever asked).
    public static func make(_ type: String, content: JSONValue, session: String, parent: Message? = nil,
                            metadata: JSONValue = [:], identities: [[UInt8]]? = nil) -> Message {
        let header: JSONValue = [
            "msg_id": .string(UUID().uuidString.lowercased()), "session": .string(session), "username": "tensorbook",
            "date": .string(Self.timestamp()), "msg_type": .string(type), "version": .string(protocolVersion),
        ]
        return Message(identities: identities ?? parent?.identities ?? [], header: header, parentHeader: parent?.header ?? [:],
                       metadata: metadata, content: content)
    }

    /// ISO 8601 with microseconds, in UTC, as Jupyter writes dates.
    static func timestamp() -> String {
        let now = Date().timeIntervalSince1970
        let seconds = floor(now)
        let micro = Int((now - seconds) * 1_000_000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let fraction = String(micro + 1_000_000).dropFirst()
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }

    /// The frames to send, signed by `signer`.
    public func frames(signedBy signer: MessageSigner) -> [[UInt8]] {
        let parts = [header.bytes, parentHeader.bytes, metadata.bytes, content.bytes]
        return identities + [Self.delimiter, Array(signer.signature(of: parts).utf8)] + parts + buffers
    }

    /// Why a received message was dropped.
    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case noDelimiter, tooFewFrames, badSignature, notJSON(part: String)

        public var description: String {
            switch self {
            case .noDelimiter: "no <IDS|MSG> delimiter frame"
            case .tooFewFrames: "fewer than the signature and four JSON frames"
            case .badSignature: "the HMAC signature does not match the connection file's key"
            case .notJSON(let part): "the \(part) frame is not a JSON object"
            }
        }
    }

    /// Reads a message from its frames, checking the signature before parsing anything.
    public init(frames: [[UInt8]], signer: MessageSigner) throws(ReadError) {
        guard let delimiter = frames.firstIndex(of: Self.delimiter) else { throw .noDelimiter }
        let rest = frames[(delimiter + 1)...]
        guard rest.count >= 5 else { throw .tooFewFrames }
        let start = rest.startIndex
        let parts = Array(rest[(start + 1)..<(start + 5)])
        guard signer.isValid(rest[start], for: parts) else { throw .badSignature }
        var values: [JSONValue] = []
        for (name, part) in zip(["header", "parent_header", "metadata", "content"], parts) {
            guard let value = JSONValue.parse(part), value.object != nil else { throw .notJSON(part: name) }
            values.append(value)
        }
        self.init(identities: Array(frames[..<delimiter]), header: values[0], parentHeader: values[1], metadata: values[2],
                  content: values[3], buffers: Array(rest[(start + 5)...]))
    }
}
