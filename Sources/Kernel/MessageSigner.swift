import CCrypto

/// Signs and checks Jupyter messages: HMAC-SHA256 over header, parent header, metadata and
/// content, as lowercase hex (OpenSSL's libcrypto). An empty key means no signing.
public struct MessageSigner: Sendable {
    private let key: [UInt8]

    /// A signer with the connection file's key.
    public init(key: [UInt8]) { self.key = key }

    /// The hex signature of the four JSON parts ("" when there is no key).
    public func signature(of parts: [[UInt8]]) -> String {
        guard !key.isEmpty else { return "" }
        var data: [UInt8] = []
        data.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { data += part }
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = key.withUnsafeBytes { keyBytes in
            tb_hmac_sha256(keyBytes.baseAddress, Int32(key.count), data, data.count, &digest)
        }
        precondition(ok == 1, "HMAC-SHA256 failed in libcrypto")
        return digest.map { byte in
            let hex = Array("0123456789abcdef")
            return String([hex[Int(byte >> 4)], hex[Int(byte & 15)]])
        }.joined()
    }

    /// Whether `signature` is the right one for the parts (compared in constant time).
    public func isValid(_ signature: [UInt8], for parts: [[UInt8]]) -> Bool {
        let expected = Array(self.signature(of: parts).utf8)
        guard expected.count == signature.count else { return false }
        return tb_constant_time_equal(expected, signature, expected.count) == 1
    }
}
