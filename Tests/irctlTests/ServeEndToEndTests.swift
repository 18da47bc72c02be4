import Foundation
import Glibc
import Testing

/// `irctl serve` through the built binary, driven by raw sockets.
@Suite(.timeLimit(.minutes(5))) struct ServeEndToEndTests {
    typealias P = AlertPayloads
    static let token = "b6f1c0de-test-token-7d2a"

    func tokenFile(_ box: borrowing Sandbox) throws -> String {
        let path = box.root + "/token"
        try Data((Self.token + "\n").utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        return path
    }

    func incidents(_ box: borrowing Sandbox) throws -> [[String: Any]] {
        let text = try box.ok(["list", "--all", "--json"])
        return text.isEmpty ? [] : try #require(try Sandbox.json(text) as? [[String: Any]])
    }

    static let body = P.json([P.alert("a1")])
    static let version3 = #"{"version":"3","groupKey":"g","alerts":[]}"#

    /// Every refusal, each with its status, a one-line reason, a closed connection and a log line;
    /// none of them writes anything.
    @Test func refusals() throws {
        let box = try Sandbox()
        let serve = try ServeProcess(box, ["--token-file", try tokenFile(box)])
        let auth = "Authorization: Bearer \(Self.token)\r\n"
        let json = "Content-Type: application/json\r\n"
        let cases: [(String, Int, String)] = [
            (
                "POST /alertmanager HTTP/1.1\r\nHost: x\r\n\(json)Content-Length: "
                    + "\(Self.body.utf8.count)\r\n\r\n\(Self.body)",
                401, "bearer token required"
            ),
            (
                "POST /alertmanager HTTP/1.1\r\nAuthorization: Bearer "
                    + "wrong\r\n\(json)Content-Length: \(Self.body.utf8.count)\r\n\r\n\(Self.body)",
                401, "wrong bearer token"
            ),
            (
                "POST /alertmanagerx HTTP/1.1\r\n\(auth)\(json)Content-Length: 2\r\n\r\n{}", 404,
                "not found"
            ),
            ("GET /alertmanager HTTP/1.1\r\n\(auth)\r\n", 405, "method GET not allowed"),
            (
                "POST /alertmanager HTTP/1.1\r\n\(auth)\(json)\r\n\(Self.body)", 411,
                "Content-Length required"
            ),
            (
                "POST /alertmanager HTTP/1.1\r\n\(auth)\(json)Transfer-Encoding: "
                    + "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                411, "chunked bodies are not accepted"
            ),
            (
                "POST /alertmanager HTTP/1.1\r\n\(auth)\(json)Content-Length: 50000000\r\n\r\n",
                413, "over the limit of 4194304 bytes"
            ),
            (
                "POST /alertmanager HTTP/1.1\r\n\(auth)Content-Type: text/plain\r\nContent-Length: "
                    + "2\r\n\r\n{}",
                415, "Content-Type must be application/json"
            ),
            (
                "POST /alertmanager HTTP/1.1\r\n\(auth)\(json)Content-Length: 7\r\n\r\ngarbage",
                400, "not valid JSON"
            ),
            (
                "POST /alertmanager HTTP/1.1\r\n\(auth)\(json)Content-Length: "
                    + "\(Self.version3.utf8.count)\r\n\r\n\(Self.version3)",
                400, "version '3' is not supported"
            ),
            (
                "POST /alertmanager HTTP/1.1\r\nX-Big: "
                    + "\(String(repeating: "a", count: 20000))\r\n\r\n",
                431, "request headers larger than"
            ),
            ("HELLO\r\n\r\n", 400, "malformed request line"),
        ]
        for (request, status, words) in cases {
            let client = try RawClient(port: serve.port)
            client.send(request)
            let reply = client.response()
            #expect(reply.status == status, "\(request.prefix(60)): \(reply.status) \(reply.body)")
            #expect(
                reply.body.contains(words) && reply.body.hasSuffix("\n")
                    && reply.body.filter { $0 == "\n" }.count == 1,
                "\(status): \(reply.body)")
            #expect(reply.headers["connection"] == "close")
            #expect(client.closedByServer(), "a refused request ends the connection")
        }
        #expect(try incidents(box).isEmpty, "no refusal writes anything")
        #expect(serve.stop() == 0)
        let log = serve.log.split(separator: "\n").dropFirst()
        for (_, status, _) in cases {
            #expect(log.contains { $0.contains(" \(status) ") }, "a log line for \(status)")
        }
        #expect(
            log.contains { $0.contains("127.0.0.1:") && $0.contains(" GET /alertmanager 405 ") })
    }

    @Test func alertmanagersKeepAliveConnectionCarriesSeveralNotifications() throws {
        let box = try Sandbox()
        let serve = try ServeProcess(box, ["--token-file", try tokenFile(box)])
        let client = try RawClient(port: serve.port)
        func post(_ body: String) -> HTTPReply {
            client.send(
                "POST /alertmanager HTTP/1.1\r\nHost: irctl\r\nUser-Agent: "
                    + "Alertmanager/0.25.0\r\nAuthorization: Bearer \(Self.token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                    + body)
            return client.response()
        }
        let first = post(Self.body)
        #expect(first.status == 200 && first.headers["connection"] == "keep-alive", "\(first.body)")
        let result = try #require(try Sandbox.json(first.body) as? [String: Any])
        #expect(result["action"] as? String == "opened" && result["incident"] as? String == "INC-1")
        #expect(post(Self.body).body.contains("\"action\":\"unchanged\""))
        #expect(post(P.json([P.alert("a1", "resolved")])).body.contains("\"action\":\"closed\""))
        let inc = try #require(try Sandbox.json(box.ok(["show", "1", "--json"])) as? [String: Any])
        #expect(inc["open"] as? Bool == false)
        #expect(serve.stop() == 0)
        #expect(
            serve.log.contains("POST /alertmanager 200 ")
                && serve.log.contains("INC-1 opened: SEV2 · detect (1 firing)"))
    }

    /// A client that sends half a request and stalls holds only its own connection: others are
    /// served meanwhile, and it is answered 408 when its deadline passes.
    @Test func aSlowClientDoesNotBlockOthers() throws {
        let box = try Sandbox()
        let serve = try ServeProcess(box, ["--request-timeout", "4"])
        let slow = try RawClient(port: serve.port)
        slow.send("POST /alertmanager HTTP/1.1\r\nHost: x\r\nContent-Type: appl")
        let silent = try RawClient(port: serve.port)  // connects and sends nothing at all
        let reply = try serve.post(Self.body)
        #expect(reply.status == 200, "\(reply.body)")
        let slowReply = slow.response()
        #expect(
            slowReply.status == 408 && slowReply.body.contains("request not received within 4s"),
            "\(slowReply.body)")
        #expect(silent.response().status == 408)
        #expect(serve.stop() == 0)
        let log = serve.log
        let served = try #require(log.range(of: "POST /alertmanager 200 "))
        let timedOut = try #require(log.range(of: " 408 "))
        #expect(
            served.lowerBound < timedOut.lowerBound,
            "the other client was served before the slow one timed out")
    }

    @Test func aBodyOverTheCapIsRefusedBeforeItIsRead() throws {
        let box = try Sandbox()
        let serve = try ServeProcess(box)
        let client = try RawClient(port: serve.port)
        let size = 4 * 1024 * 1024 + 1
        client.send(
            "POST /alertmanager HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                + "\(size)\r\n\r\n"
        )
        client.send([UInt8](repeating: 0x20, count: 65536))
        let reply = client.response()
        #expect(
            reply.status == 413 && reply.body.contains("body of 4194305 bytes is over the limit"),
            "\(reply.body)")
        #expect(client.closedByServer())
        // The server is still fine.
        #expect(try serve.post(Self.body).status == 200)
    }

    @Test func tooManyConnectionsAreAnswered503() throws {
        let box = try Sandbox()
        let serve = try ServeProcess(box, ["--max-connections", "2"])
        // Two clients whose heads were admitted (no token is asked on loopback), slow with the
        // body: the server answers 100 Continue once it has admitted a head.
        var held = try (0..<2).map { _ in try RawClient(port: serve.port) }
        for client in held {
            client.send(
                "POST /alertmanager HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n"
                    + "Expect: 100-continue\r\n\r\n")
            #expect(client.interimStatus(timeout: 60) == 100, "\(serve.log)")
        }
        // Every slot holds an admitted client: the third is answered at once.
        let reply = try serve.post(Self.body)
        #expect(
            reply.status == 503 && reply.body.contains("too many connections (2)"),
            "\(reply.status) \(reply.body)")
        held.removeAll()
        // The server notices the closes on its own threads: poll (bounded) until a slot is free.
        var again = try serve.post(Self.body)
        for _ in 0..<50 where again.status == 503 {
            usleep(100_000)
            again = try serve.post(Self.body)
        }
        #expect(
            again.status == 200, "slots are free again once those connections end: \(again.body)")
        #expect(serve.stop() == 0)
    }

    /// Notifications posted at once, while people write to the same store from the command line:
    /// every post and every note lands.
    @Test func concurrentPostsAndCommandLineWritersLoseNothing() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Busy incident"])
        let serve = try ServeProcess(box)
        let port = serve.port
        let posts = 12
        let results = PostStatuses()
        var threads: [Thread] = []
        for i in 0..<posts {
            let body = P.json(
                [P.alert("f\(i)")], groupKey: "{}:{alertname=\"HighErrorRate\",shard=\"\(i)\"}")
            let thread = Thread {
                let status =
                    (try? RawClient(port: port)).map { client -> Int in
                        client.send(
                            "POST /alertmanager HTTP/1.1\r\nContent-Type: "
                                + "application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                                + body)
                        return client.response(timeout: 60).status
                    } ?? -1
                results.add(status)
            }
            threads.append(thread)
        }
        for thread in threads { thread.start() }
        let writers = try box.sh(
            """
            for i in $(seq 1 20); do "$IRCTL" log 1 "note $i" > /dev/null 2>&1 || echo "failed $i" \
            & done
            wait
            """, env: ["IRCTL_LOCK_TIMEOUT": "30"], timeout: 120)
        #expect(
            writers.status == 0 && writers.stdout.isEmpty, "\(writers.stdout) \(writers.stderr)")
        let deadline = Date().addingTimeInterval(90)
        while results.count < posts, Date() < deadline { usleep(50_000) }
        #expect(results.all.sorted() == Array(repeating: 200, count: posts), "\(results.all)")
        let all = try incidents(box)
        #expect(all.count == posts + 1, "one incident per group, and the person's")
        let busy = try #require(
            try Sandbox.json(box.ok(["show", "1", "--json"])) as? [String: Any])
        let notes = (busy["timeline"] as? [[String: Any]] ?? []).filter {
            $0["kind"] as? String == "note"
        }
        #expect(notes.count == 20)
        #expect(try box.run(["verify"]).status == 0)
        #expect(serve.stop() == 0)
    }

    @Test func answers503WhenTheStoreIsLockedSoAlertmanagerRetries() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Holder"])
        let serve = try ServeProcess(box, [], env: ["IRCTL_LOCK_TIMEOUT": "1"])
        let holder = try box.sh(
            "flock \"$IRCTL_DIR/lock\" sleep 4 > /dev/null 2>&1 & sleep 0.3; echo started")
        #expect(holder.stdout == "started\n")
        let reply = try serve.post(Self.body)
        #expect(
            reply.status == 503 && reply.body.contains("the store is locked by process"),
            "\(reply.body)")
        // Once the lock is free, the retry lands.
        var retry = reply
        for _ in 0..<40 where retry.status != 200 {
            usleep(250_000)
            retry = try serve.post(Self.body)
        }
        #expect(retry.status == 200, "\(retry.body)")
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func stopsCleanlyOnASignal(_ signal: Int32) throws {
        let box = try Sandbox()
        let serve = try ServeProcess(box)
        #expect(try serve.post(Self.body).status == 200)
        // an idle keep-alive connection does not hold the stop up
        let idle = try RawClient(port: serve.port)
        _ = idle
        #expect(serve.stop(signal) == 0)
        #expect(
            serve.log.hasSuffix("stopped on \(signal == SIGTERM ? "SIGTERM" : "SIGINT")\n"),
            "\(serve.log)")
        #expect(throws: (any Error).self) { _ = try RawClient(port: serve.port) }
    }

    @Test func offLoopbackATokenIsRequired() throws {
        let box = try Sandbox()
        let result = try box.run(["serve", "--listen", "0.0.0.0:0"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "listening on 0.0.0.0:0 lets other machines post alerts; give --token-file FILE"),
            "\(result.stderr)")
        for (arguments, words) in [
            (["--listen", "nowhere"], "invalid value 'nowhere' for --listen"),
            (
                ["--token-file", "/no/such/token"],
                "invalid value '/no/such/token' for --token-file"
            ),
            (["--request-timeout", "0"], "invalid value '0' for --request-timeout"),
        ] {
            let bad = try box.run(["serve"] + arguments)
            #expect(bad.status == 2 && bad.stderr.contains(words), "\(bad.stderr)")
        }
    }
}

/// Statuses collected from several threads.
final class PostStatuses: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [Int] = []
    func add(_ status: Int) { lock.withLock { statuses.append(status) } }
    var all: [Int] { lock.withLock { statuses } }
    var count: Int { all.count }
}
