import Foundation
import Testing

@testable import Kernel
import Display

/// The signed wire format: HMAC-SHA256 (RFC 4231 vector), frames out and back, and what a bad
/// message is dropped for.
@Suite struct MessageSigningTests {
    @Test func hmacMatchesTheRFC4231Vector() {
        let signer = MessageSigner(key: Array("Jefe".utf8))
        #expect(signer.signature(of: [Array("what do ya want ".utf8), Array("for nothing?".utf8)])
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func noKeyMeansNoSignature() {
        #expect(MessageSigner(key: []).signature(of: [Array("{}".utf8)]) == "")
    }

    @Test func framesRoundTripWithIdentities() throws {
        let signer = MessageSigner(key: Array("secret".utf8))
        var message = Message.make("execute_request", content: ["code": "1 + 1", "silent": false], session: "s")
        message.identities = [[1, 2, 3]]
        let read = try Message(frames: message.frames(signedBy: signer), signer: signer)
        #expect(read.identities == [[1, 2, 3]])
        #expect(read.type == "execute_request")
        #expect(read.content["code"]?.string == "1 + 1")
        #expect(read.header["version"]?.string == "5.3")
    }

    @Test func aWrongSignatureIsRejectedBeforeParsing() {
        let message = Message.make("execute_request", content: ["code": "1"], session: "s")
        let frames = message.frames(signedBy: MessageSigner(key: Array("other key".utf8)))
        #expect(throws: Message.ReadError.badSignature) { try Message(frames: frames, signer: MessageSigner(key: Array("secret".utf8))) }
    }

    @Test func brokenFramesAreRejected() {
        let signer = MessageSigner(key: [])
        #expect(throws: Message.ReadError.noDelimiter) { try Message(frames: [Array("{}".utf8)], signer: signer) }
        #expect(throws: Message.ReadError.tooFewFrames) { try Message(frames: [Message.delimiter, [], Array("{}".utf8)], signer: signer) }
        let notJSON = [Message.delimiter, [], Array("{".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
        #expect(throws: Message.ReadError.notJSON(part: "header")) { try Message(frames: notJSON, signer: signer) }
    }

    @Test func timestampsAreISO8601WithMicroseconds() {
        let stamp = Message.timestamp()
        #expect(stamp.count == 27)
        #expect(stamp.hasSuffix("Z"))
        #expect(stamp.dropFirst(10).first == "T")
    }
}

/// Connection files: every field checked, every problem named.
@Suite struct ConnectionFileTests {
    let good = """
        {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
         "ip": "127.0.0.1", "key": "abc", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "tensorbook"}
        """

    @Test func readsEveryPortAndTheKey() throws {
        let info = try ConnectionInfo(json: Array(good.utf8))
        #expect(info.shellPort == 5001 && info.heartbeatPort == 5005)
        #expect(info.key == Array("abc".utf8))
        #expect(info.address(info.iopubPort) == "tcp://127.0.0.1:5002")
    }

    @Test func aMissingFileIsNamedWithAHint() {
        #expect { try ConnectionInfo(contentsOf: "/nonexistent/kernel-1.json") } throws: { error in
            let error = error as? KernelError
            return error?.message.contains("/nonexistent/kernel-1.json") == true && error?.hint != nil
        }
    }

    @Test func malformedFilesSayWhatIsWrong() {
        func message(_ text: String) -> String? {
            do { _ = try ConnectionInfo(json: Array(text.utf8)); return nil } catch { return error.message }
        }
        #expect(message("not json")?.contains("not a JSON object") == true)
        #expect(message("[1, 2]")?.contains("not a JSON object") == true)
        #expect(message(good.replacingOccurrences(of: "\"hb_port\": 5005,", with: ""))?.contains("\"hb_port\"") == true)
        #expect(message(good.replacingOccurrences(of: "5001", with: "\"x\""))?.contains("\"shell_port\"") == true)
        #expect(message(good.replacingOccurrences(of: "5001", with: "70000"))?.contains("not a port") == true)
        #expect(message(good.replacingOccurrences(of: "hmac-sha256", with: "hmac-md5"))?.contains("hmac-md5") == true)
        #expect(message(good.replacingOccurrences(of: "\"tcp\"", with: "\"udp\""))?.contains("udp") == true)
    }

    @Test func anUnreadableFileIsAnError() {
        // A directory in the file's place cannot be read, even by root (a chmod 000 file can).
        #expect { try ConnectionInfo(contentsOf: NSTemporaryDirectory()) } throws: { error in
            (error as? KernelError)?.message.contains("cannot be read") == true
        }
    }
}

/// `history_request` answers and IPython's pager syntax.
@Suite struct HistoryAndPagerTests {
    @Test func globPatterns() {
        func glob(_ pattern: String, _ text: String) -> Bool { ExecutionHistory.glob(Array(pattern), matches: Array(text)) }
        #expect(glob("1?2*", "1+2"))
        #expect(glob("1?+*", "1 + 2"))
        #expect(glob("*", ""))
        #expect(glob("a*c", "abbbc"))
        #expect(!glob("a*c", "abbbd"))
        #expect(!glob("?", ""))
    }

    @Test func tailRangeAndSearch() {
        var history = ExecutionHistory()
        for (line, code) in ["1 + 2", "x = 3", "1 + 2", "print(x)"].enumerated() { history.record(line: line + 1, input: code, output: "out \(line + 1)") }
        #expect(history.reply(["hist_access_type": "tail", "n": 2, "output": false]) == [[1, 3, "1 + 2"], [1, 4, "print(x)"]])
        #expect(history.reply(["hist_access_type": "range", "session": 1, "start": 2, "stop": 3, "output": true]) == [[1, 2, ["x = 3", "out 2"]]])
        #expect(history.reply(["hist_access_type": "search", "pattern": "1?+*", "output": false]) == [[1, 1, "1 + 2"], [1, 3, "1 + 2"]])
        #expect(history.reply(["hist_access_type": "search", "pattern": "1?+*", "unique": true]) == [[1, 3, "1 + 2"]])
        #expect(history.reply(["hist_access_type": "search", "pattern": "*", "n": 1]) == [[1, 4, "print(x)"]])
    }

    @Test func pagerTopics() {
        #expect(Kernel.pagerTopic("relu?") == "relu")
        #expect(Kernel.pagerTopic("?relu") == "relu")
        #expect(Kernel.pagerTopic("  model??\n") == "model")
        #expect(Kernel.pagerTopic("x = 1 if a else 2") == nil)
        #expect(Kernel.pagerTopic("print(\"why?\")") == nil)
        #expect(Kernel.pagerTopic("?") == nil)
    }

    @Test func tablesBecomeEscapedHTML() {
        let html = Table(title: "a<b", headers: ["layer", "params"], rows: [["linear", "7850"]]).html
        #expect(html.contains("<caption>a&lt;b</caption>"))
        #expect(html.contains("<th style=\"text-align:left\">layer</th><th style=\"text-align:right\">params</th>"))
        #expect(html.contains("<td style=\"text-align:left\">linear</td><td style=\"text-align:right\">7850</td>"))
    }
}
