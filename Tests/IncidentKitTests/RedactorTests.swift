import Foundation
import Testing

@testable import IncidentKit

/// Token-shaped strings are assembled at run time so no real-looking secret sits in the source.
enum Fake {
    static let alnum36 = String(repeating: "A1b2", count: 9)
    static let awsKeyID = "AKIA" + String(repeating: "Q7", count: 8)
    static let awsSecret = String(repeating: "aB3/", count: 9) + "k+Z9"
    static let githubPAT = "github_pat_" + String(repeating: "A1b_", count: 20) + "Zz"
    static let gitlab = "glpat-" + String(repeating: "x1Y-", count: 5)
    static let slackToken = "xoxb-" + "1234567890-" + String(repeating: "aB3d", count: 4)
    static let slackWebhook =
        "https://hooks.slack.com/services/" + "T0123ABCD/B0123ABCD/"
        + String(repeating: "aB3", count: 8)
    static let stripe = "sk_live_" + String(repeating: "a1B2", count: 6)
    static let google = "AIza" + String(repeating: "Sy-_9", count: 7)
    static let jwt =
        "eyJ" + "hbGciOiJIUzI1NiJ9" + "." + "eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0" + "."
        + String(repeating: "Sf1_", count: 10)
    static let npm = "npm_" + alnum36
    static let base64Line = String(repeating: "MIIEpAIBAAKCAQEA", count: 4)
    static func pem(_ label: String) -> String {
        "-----BEGIN \(label)-----\n\(base64Line)\n\(base64Line)\nq83=\n-----END \(label)-----"
    }
}

/// One positive case: text in, text out, the kind reported.
struct Case: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: String
    let kind: String
    var testDescription: String { kind }
    init(_ input: String, _ expected: String, _ kind: String) {
        self.input = input
        self.expected = expected
        self.kind = kind
    }
}

@Suite struct RedactorTests {
    static let positives: [Case] = [
        Case(
            "key id \(Fake.awsKeyID) in us-east-1", "key id [REDACTED:aws-access-key] in us-east-1",
            "aws-access-key"),
        Case(
            "ASIA" + String(repeating: "Z9", count: 8), "[REDACTED:aws-access-key]",
            "aws-access-key"),
        Case(
            "ABIA" + String(repeating: "Z9", count: 8), "[REDACTED:aws-access-key]",
            "aws-access-key"),
        Case(
            "ACCA" + String(repeating: "Z9", count: 8), "[REDACTED:aws-access-key]",
            "aws-access-key"),
        Case(
            "aws_secret_access_key = \(Fake.awsSecret)",
            "aws_secret_access_key = [REDACTED:aws-secret-key]", "aws-secret-key"),
        Case(
            "AWS_SECRET_ACCESS_KEY=\"\(Fake.awsSecret)\"",
            "AWS_SECRET_ACCESS_KEY=\"[REDACTED:aws-secret-key]\"", "aws-secret-key"),
        Case(
            "push with ghp_\(Fake.alnum36) failed", "push with [REDACTED:github-token] failed",
            "github-token"),
        Case("gho_" + Fake.alnum36, "[REDACTED:github-token]", "github-token"),
        Case("ghu_" + Fake.alnum36, "[REDACTED:github-token]", "github-token"),
        Case("ghs_" + Fake.alnum36, "[REDACTED:github-token]", "github-token"),
        Case("ghr_" + Fake.alnum36, "[REDACTED:github-token]", "github-token"),
        Case("pat \(Fake.githubPAT).", "pat [REDACTED:github-pat].", "github-pat"),
        Case("glab \(Fake.gitlab) ok", "glab [REDACTED:gitlab-token] ok", "gitlab-token"),
        Case("bot \(Fake.slackToken) ok", "bot [REDACTED:slack-token] ok", "slack-token"),
        Case(
            "post to \(Fake.slackWebhook) now", "post to [REDACTED:slack-webhook] now",
            "slack-webhook"),
        Case("stripe \(Fake.stripe)", "stripe [REDACTED:stripe-key]", "stripe-key"),
        Case(
            "pk_live_" + String(repeating: "Zz9", count: 9), "[REDACTED:stripe-key]", "stripe-key"),
        Case("maps key=\(Fake.google)", "maps key=[REDACTED:google-api-key]", "google-api-key"),
        Case(
            "key:\n\(Fake.pem("RSA PRIVATE KEY"))\ndone", "key:\n[REDACTED:private-key]\ndone",
            "private-key"),
        Case(Fake.pem("PRIVATE KEY"), "[REDACTED:private-key]", "private-key"),
        Case(Fake.pem("OPENSSH PRIVATE KEY"), "[REDACTED:private-key]", "private-key"),
        Case(
            "-----BEGIN EC PRIVATE KEY-----\n\(Fake.base64Line)\nAAAA==\ntruncated here",
            "[REDACTED:private-key]\ntruncated here", "private-key"),
        Case("cookie \(Fake.jwt) expired", "cookie [REDACTED:jwt] expired", "jwt"),
        Case("npm \(Fake.npm)", "npm [REDACTED:npm-token]", "npm-token"),
        Case(
            "Authorization: Bearer abc.def-123", "Authorization: Bearer [REDACTED:bearer-token]",
            "bearer-token"),
        Case(
            "curl -H 'authorization: bearer opaque_token_value'",
            "curl -H 'authorization: bearer [REDACTED:bearer-token]'", "bearer-token"),
        Case(
            "sent Bearer a1b2c3d4e5f6g7h8i9j0 upstream",
            "sent Bearer [REDACTED:bearer-token] upstream", "bearer-token"),
        Case(
            "Authorization: Basic " + "dXNlcjpw" + "YXNz",
            "Authorization: Basic [REDACTED:basic-auth]", "basic-auth"),
        Case(
            "psql postgres://app:" + "s3cr3t" + "@db:5432/prod",
            "psql postgres://app:[REDACTED:url-password]@db:5432/prod", "url-password"),
        Case(
            "https://deploy:" + "p%40ss" + "@git.example.com/x",
            "https://deploy:[REDACTED:url-password]@git.example.com/x", "url-password"),
        Case("password=" + "hunter2", "password=[REDACTED:password]", "password"),
        Case("passwd: " + "Tr0ub4dor", "passwd: [REDACTED:password]", "password"),
        Case(
            "DB_PASSWORD='" + "correct horse" + "'", "DB_PASSWORD='[REDACTED:password]'", "password"
        ),
        Case(
            #"{"password": ""# + "p@ss w0rd" + #"", "user": "bob"}"#,
            #"{"password": "[REDACTED:password]", "user": "bob"}"#, "password"),
        Case(
            "spring.datasource.password=" + "abc", "spring.datasource.password=[REDACTED:password]",
            "password"),
        Case("secret=" + "s3" + "cr3t", "secret=[REDACTED:secret]", "secret"),
        Case("token: " + "abc123", "token: [REDACTED:secret]", "secret"),
        Case("api_key=" + "k3y", "api_key=[REDACTED:secret]", "secret"),
        Case("apikey: \"" + "k3y" + "\"", "apikey: \"[REDACTED:secret]\"", "secret"),
        Case("client_secret=" + "cs1", "client_secret=[REDACTED:secret]", "secret"),
        Case(
            "GET /cb?access_token=" + "at1" + "&state=2",
            "GET /cb?access_token=[REDACTED:secret]&state=2", "secret"),
        Case("-H 'X-Api-Key: " + "k3y" + "'", "-H 'X-Api-Key: [REDACTED:secret]'", "secret"),
    ]

    @Test(arguments: positives)
    func redactsPositive(_ c: Case) {
        #expect(Redactor.standard.redact(c.input) == c.expected)
        #expect(Redactor.standard.findings(in: c.input) == [c.kind])
    }

    /// Every built-in kind has a positive case above.
    @Test func everyKindIsCovered() {
        let covered = Set(Self.positives.map(\.kind)).union(
            RedactionShapesTests.positives.map(\.kind))
        #expect(Set(RedactionRule.standard.map(\.kind)) == covered)
    }

    static let negatives: [String] = [
        "request id 123e4567-e89b-12d3-a456-426614174000 failed",
        "reverted 9fceb02d0ae598e95dc970b74767f19372d61af8 at 10:02",
        "image sha256:" + String(repeating: "0123456789abcdef", count: 4),
        "set GITHUB_TOKEN to ghp_xxxx first",
        "e.g. ghp_" + String(repeating: "x", count: 36),
        "password=<redacted>",
        "password=",
        "password: ",
        "token: ***",
        "export TOKEN=${TOKEN}",
        "password=${DB_PASSWORD}",
        "echo $PASSWORD",
        "password: $PASSWORD",
        "api_key=xxxx",
        "the password reset page is down",
        "token bucket limiter dropped requests",
        "the secretary: Alice",
        "tokens=5 passwords_expired=2",
        "clone https://user@host/repo.git",
        "curl http://localhost:8080/health",
        "Bearer tokens expire after an hour",
        "Authorization: Bearer ${TOKEN}",
        "Authorization: Bearer <token>",
        "outage in Asia region, AKIA keys rotated",
        "",
        "ordinary note about the database failover at 14:02 UTC; users saw 502s for four minutes.",
    ]

    @Test(arguments: negatives)
    func leavesNegativeAlone(_ text: String) {
        #expect(Redactor.standard.redact(text) == text)
        #expect(Redactor.standard.findings(in: text).isEmpty)
    }

    @Test func multipleSecretsInOneText() {
        let text = """
            rotated \(Fake.awsKeyID) and ghp_\(Fake.alnum36);
            db postgres://app:pw1@db, password=hunter2 and \(Fake.stripe)
            """
        let expected = """
            rotated [REDACTED:aws-access-key] and [REDACTED:github-token];
            db postgres://app:[REDACTED:url-password]@db, password=[REDACTED:password] and \
            [REDACTED:stripe-key]
            """
        #expect(Redactor.standard.redact(text) == expected)
        #expect(
            Redactor.standard.findings(in: text) == [
                "aws-access-key", "github-token", "stripe-key", "url-password", "password",
            ])
    }

    /// A specific token in a generic assignment is reported once, by its own kind.
    @Test func specificRuleWinsOverAssignment() {
        let text = "GITHUB_TOKEN=ghp_\(Fake.alnum36)"
        #expect(Redactor.standard.redact(text) == "GITHUB_TOKEN=[REDACTED:github-token]")
        #expect(Redactor.standard.findings(in: text) == ["github-token"])
        #expect(
            Redactor.standard.redact("Authorization: Bearer \(Fake.jwt)")
                == "Authorization: Bearer [REDACTED:jwt]")
    }

    @Test func redactingTwiceEqualsOnce() {
        let all =
            Self.positives.map(\.input).joined(separator: "\n") + "\n"
            + Self.negatives.joined(separator: "\n")
        let once = Redactor.standard.redact(all)
        #expect(once != all)
        #expect(Redactor.standard.redact(once) == once)
        #expect(Redactor.standard.findings(in: once).isEmpty)
        for c in Self.positives {
            #expect(Redactor.standard.redact(c.expected) == c.expected, "\(c.kind)")
        }
    }

    @Test func extraRulesFromConfig() throws {
        let json =
            #"[{"kind": "ticket-key", "pattern": "\\bTK-(?<secret>[0-9a-f]{12})"#
            + #"\\b", "keywords": ["tk-"]}, {"kind": "hostname", "pattern": "\\bdb-[0-9]"#
            + #"+\\.internal\\b"}]"#
        let rules = try JSONDecoder().decode([RedactionRule].self, from: Data(json.utf8))
        #expect(rules[1].keywords.isEmpty)
        let redactor = try Redactor(extraRules: rules)
        let text = "key TK-0123456789ab on db-7.internal, token=abc"
        #expect(
            redactor.redact(text)
                == "key TK-[REDACTED:ticket-key] on [REDACTED:hostname], token=[REDACTED:secret]")
        #expect(redactor.findings(in: text) == ["secret", "ticket-key", "hostname"])
        // The standard redactor does not know the store's rules.
        #expect(Redactor.standard.redact("TK-0123456789ab") == "TK-0123456789ab")
        #expect(try Redactor().redact(text) == Redactor.standard.redact(text))
    }

    @Test func ruleWithGroupOneRedactsOnlyThatGroup() throws {
        let redactor = try Redactor(extraRules: [
            RedactionRule(kind: "pin", pattern: #"pin (\d{4})"#, keywords: ["pin"])
        ])
        #expect(redactor.redact("door PIN pin 1234") == "door PIN pin [REDACTED:pin]")
    }

    @Test func invalidPatternThrowsWithMessage() {
        let error = #expect(throws: RedactionError.self) {
            try Redactor(extraRules: [RedactionRule(kind: "x", pattern: "(")])
        }
        guard case .invalidPattern(let kind, let pattern, let reason) = error else {
            Issue.record("expected .invalidPattern, got \(String(describing: error))")
            return
        }
        #expect(kind == "x" && pattern == "(" && !reason.isEmpty)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("redaction rule 'x' in config.json has an invalid pattern '(': "))
        #expect(message.hasSuffix("; fix or remove it"))
    }

    /// The standard redactor compiles lazily, so compile each built-in pattern here.
    @Test(arguments: RedactionRule.standard)
    func builtInPatternCompiles(_ rule: RedactionRule) throws {
        _ = try CompiledRule(rule)
    }

    @Test func embeddedNULDoesNotHideAKeyword() {
        #expect(
            Redactor.standard.redact("x\u{0}password=abc") == "x\u{0}password=[REDACTED:password]")
    }

    @Test func placeholderDetection() {
        #expect(CompiledRule.isPlaceholder("ghp_xxxxxxxx"))
        #expect(CompiledRule.isPlaceholder("sk_live_********"))
        #expect(!CompiledRule.isPlaceholder("ghp_" + Fake.alnum36))
        #expect(!CompiledRule.isPlaceholder("hunter2"))
    }
}
