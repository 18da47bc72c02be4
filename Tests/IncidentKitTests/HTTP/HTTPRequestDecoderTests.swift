import Foundation
import Testing

@testable import IncidentKit

@Suite struct HTTPRequestDecoderTests {
    func decode(
        _ text: String, limits: HTTPLimits = HTTPLimits()
    ) throws(HTTPError) -> (HTTPRequestHead, Int)? {
        try HTTPRequestDecoder.decodeHead(Array(text.utf8), limits: limits)
    }

    @Test func readsAlertmanagersRequestHead() throws {
        let text =
            "POST /alertmanager HTTP/1.1\r\nHost: 127.0.0.1:9095\r\nUser-Agent: "
            + "Alertmanager/0.25.0\r\nContent-Length: 12\r\n"
            + "Content-Type: application/json\r\nAuthorization: Bearer abc\r\n\r\n{\"version\":4"
        let (head, consumed) = try #require(try decode(text))
        #expect(
            head.method == "POST" && head.target == "/alertmanager" && head.version == "HTTP/1.1")
        #expect(
            head.header("Content-Type") == "application/json"
                && head.header("AUTHORIZATION") == "Bearer abc")
        #expect(consumed == text.utf8.count - 12, "the body starts after the blank line")
        #expect(try HTTPRequestDecoder.bodyLength(head) == 12)
        #expect(head.keepAlive)
    }

    @Test func waitsForTheWholeHead() throws {
        #expect(try decode("") == nil)
        #expect(try decode("POST /alertmanager HTTP/1.1\r\nHost: x\r\n") == nil)
    }

    @Test func keepAliveFollowsTheVersionAndConnectionHeader() throws {
        #expect(try decode("POST / HTTP/1.1\r\nConnection: close\r\n\r\n")?.0.keepAlive == false)
        #expect(try decode("POST / HTTP/1.0\r\n\r\n")?.0.keepAlive == false)
        #expect(
            try decode("POST / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")?.0.keepAlive == true)
        #expect(
            try decode("\r\nGET /a?b=c HTTP/1.1\r\n\r\n")?.0.path == "/a",
            "a blank line before the request is allowed")
    }

    @Test(
        arguments: [
            ("GARBAGE\r\n\r\n", 400), ("POST /x\r\n\r\n", 400), ("post /x HTTP/1.1\r\n\r\n", 400),
            ("POST x HTTP/1.1\r\n\r\n", 400),
            ("POST /x HTTP/2.0\r\n\r\n", 505), ("POST /x FTP/1.0\r\n\r\n", 400),
            ("POST /x HTTP/1.1\r\nNoColon\r\n\r\n", 400),
            ("POST /x HTTP/1.1\r\nBad Name: v\r\n\r\n", 400),
            ("POST /x HTTP/1.1\r\n folded: v\r\n\r\n", 400),
            ("POST /x HTTP/1.1\r\nA: b\u{1}c\r\n\r\n", 400),
            ("POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        ] as [(String, Int)])
    func malformedHeadsAreRefused(_ text: String, _ status: Int) {
        #expect { _ = try decode(text) } throws: { ($0 as? HTTPError)?.status == status }
    }

    @Test func headsPastTheLimitsAreRefused() {
        let limits = HTTPLimits(maxHeadBytes: 200, maxHeaderCount: 3)
        #expect {
            _ = try decode(
                "POST /x HTTP/1.1\r\nX: " + String(repeating: "a", count: 300), limits: limits)
        } throws: {
            ($0 as? HTTPError)?.status == 431
        }
        #expect {
            _ = try decode(
                "POST /x HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", limits: limits)
        } throws: {
            ($0 as? HTTPError)?.status == 431
        }
    }

    @Test(
        arguments: [
            ("", 411), ("Transfer-Encoding: chunked\r\n", 411), ("Content-Length: -1\r\n", 400),
            ("Content-Length: 1e3\r\n", 400),
            ("Content-Length: 99999999999999999999999\r\n", 400),
            ("Content-Length: 4194305\r\n", 413),
        ] as [(String, Int)])
    func theBodyLengthIsRequiredAndCapped(_ header: String, _ status: Int) throws {
        let (head, _) = try #require(
            try decode("POST /alertmanager HTTP/1.1\r\n" + header + "\r\n"))
        #expect { _ = try HTTPRequestDecoder.bodyLength(head) } throws: {
            ($0 as? HTTPError)?.status == status
        }
    }

    @Test func responsesSaySizeAndConnection() {
        let bytes = HTTPResponse.text(413, "too big").serialized(keepAlive: false)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
        #expect(
            text.contains("Content-Length: 8\r\n") && text.contains("Connection: close\r\n")
                && text.hasSuffix("\r\n\r\ntoo big\n"))
    }

    @Test(arguments: [
        "127.0.0.1:9095", "localhost:1", "0.0.0.0:0", "[::1]:9095", "[::]:80", "10.1.2.3:65535",
    ])
    func listenAddressesParse(_ text: String) throws {
        let address = try ListenAddress(text)
        #expect(
            address.isLoopback
                == (text.hasPrefix("127") || text.hasPrefix("localhost") || text.hasPrefix("[::1]"))
        )
    }

    @Test(arguments: [
        "9095", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "example.com:80",
        "[::1:80", "1.2.3:80", "",
    ])
    func badListenAddressesAreRefused(_ text: String) {
        #expect(throws: ValueError.self) { _ = try ListenAddress(text) }
    }

    @Test func bearerTokensCompareWhole() {
        let token = BearerToken("s3cret-token")
        #expect(token.accepts(authorization: "Bearer s3cret-token"))
        #expect(token.accepts(authorization: "bearer s3cret-token"))
        for wrong in [
            nil, "", "Bearer", "Bearer ", "Bearer s3cret-toke", "Bearer s3cret-token2",
            "Basic s3cret-token", "s3cret-token",
        ] as [String?] {
            #expect(!token.accepts(authorization: wrong), "\(wrong ?? "nil")")
        }
    }

    /// Credentials are read from a head that has not arrived whole, line by line.
    @Test(
        arguments: [
            ("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer abc\r\n", "Bearer abc"),
            ("POST / HTTP/1.1\r\nauthorization:Bearer abc\r\nHost", "Bearer abc"),
            ("\r\nPOST / HTTP/1.1\r\nAUTHORIZATION: Bearer abc\r\n", "Bearer abc"),
            ("POST / HTTP/1.1\r\nAuthorization: Bearer ab", nil),
            ("POST / HTTP/1.1\r\nX-Authorization: Bearer abc\r\n", nil),
            ("POST / HTTP/1.1\r\n", nil),
            ("POST / HTTP/1.1\r\nHost: x\r\n\r\nAuthorization: Bearer abc\r\n", nil),
        ] as [(String, String?)])
    func findsTheAuthorizationLineBeforeTheHeadEnds(_ text: String, _ expected: String?) {
        #expect(HTTPRequestDecoder.earlyHeader("authorization", in: Array(text.utf8)) == expected)
    }
}
