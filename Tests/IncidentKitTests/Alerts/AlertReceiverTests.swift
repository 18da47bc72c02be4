import Foundation
import Testing

@testable import IncidentKit

/// The webhook handler as a plain function from request to response: no socket.
@Suite struct AlertReceiverTests {
    static let ok = AlertIngestResult(action: .opened, group: "g", alerts: 1, ignored: 0)

    func receiver(
        token: String? = "t0ken",
        apply: @escaping @Sendable (AlertmanagerPayload) throws -> AlertIngestResult = { _ in ok }
    ) -> AlertReceiver {
        AlertReceiver(token: token.map(BearerToken.init), apply: apply)
    }

    func head(
        _ method: String = "POST", _ target: String = "/alertmanager",
        _ headers: [String: String] = [:]
    ) -> HTTPRequestHead {
        var all = ["authorization": "Bearer t0ken", "content-type": "application/json"]
        for (name, value) in headers { all[name] = value.isEmpty ? nil : value }
        return HTTPRequestHead(method: method, target: target, headers: all)
    }

    @Test func admitsAlertmanagersRequest() {
        #expect(receiver().admit(head()) == nil)
        #expect(
            receiver().admit(
                head("POST", "/alertmanager", ["content-type": "application/json; charset=utf-8"]))
                == nil)
        #expect(
            receiver(token: nil).admit(head("POST", "/alertmanager", ["authorization": ""])) == nil,
            "no token configured")
    }

    @Test(
        arguments: [
            ("POST", "/", [:], 404), ("POST", "/alertmanager/x", [:], 404),
            ("GET", "/alertmanager", [:], 405),
            ("PUT", "/alertmanager", [:], 405),
            ("POST", "/alertmanager", ["authorization": ""], 401),
            ("POST", "/alertmanager", ["authorization": "Bearer nope"], 401),
            ("POST", "/alertmanager", ["content-type": ""], 415),
            ("POST", "/alertmanager", ["content-type": "text/plain"], 415),
        ] as [(String, String, [String: String], Int)])
    func refusesFromTheHead(
        _ method: String, _ target: String, _ headers: [String: String], _ status: Int
    ) throws {
        let response = try #require(receiver().admit(head(method, target, headers)))
        #expect(response.status == status)
        #expect(
            !response.note.isEmpty && response.body == Array((response.note + "\n").utf8),
            "a one-line reason")
        if status == 405 { #expect(response.headers["Allow"] == "POST") }
        if status == 401 {
            #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
        }
    }

    @Test func answers200WithWhatItDid() throws {
        let body = Array(AlertFixtures.json([AlertFixtures.alert("a")]).utf8)
        let response = receiver().respond(to: HTTPRequest(head: head(), body: body))
        #expect(response.status == 200)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(json["action"] as? String == "opened")
    }

    @Test func answers400ForWhatIsNotANotification() {
        for body in ["garbage", #"{"version":"3","groupKey":"g","alerts":[]}"#] {
            let response = receiver().respond(to: HTTPRequest(head: head(), body: Array(body.utf8)))
            #expect(response.status == 400, "\(body)")
        }
    }

    @Test func answers503WhenTheStoreFailsSoAlertmanagerRetries() {
        let failing = receiver(apply: { _ in
            throw StoreError.lockTimeout(
                path: "/s/lock", seconds: 5, holder: LockHolder(pid: 42, command: "irctl"))
        })
        let response = failing.respond(
            to: HTTPRequest(
                head: head(), body: Array(AlertFixtures.json([AlertFixtures.alert("a")]).utf8)))
        #expect(response.status == 503)
        #expect(response.note.contains("locked by process 42 (irctl)"))
    }
}
