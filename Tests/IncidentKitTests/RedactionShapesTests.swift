import Foundation
import TestSupport
import Testing

@testable import IncidentKit

/// Secret shapes found stored in clear by an adversarial pass, and the prose that must stay prose.
/// Secrets are assembled at run time so no real-looking one sits in the source.
@Suite struct RedactionShapesTests {
    static let token36 = String(repeating: "A1b2", count: 9)
    static let bodyLine = String(repeating: "Ab3+kQ9/", count: 8)  // 64 base64 characters

    /// A PEM private key as `openssl genrsa 4096` prints it: BEGIN, 49 full lines, a short one,
    /// END.
    static func pem(seed: UInt64 = 7, lines: Int = 49) -> (text: String, body: [String]) {
        var random = SplitMix64(seed: seed)
        let body =
            (0..<lines).map { _ in Data(random.bytes(48)).base64EncodedString() } + ["q83vYzA1bC=="]
        return (
            "-----BEGIN RSA PRIVATE KEY-----\n" + body.joined(separator: "\n")
                + "\n-----END RSA PRIVATE KEY-----", body
        )
    }

    static let positives: [Case] = [
        Case(
            "PGPASSWORD=" + "s3cr3t psql -h db", "PGPASSWORD=[REDACTED:password] psql -h db",
            "password"),
        Case("export MYSQL_PWD=" + "s3cr3t", "export MYSQL_PWD=[REDACTED:password]", "password"),
        Case("rootPassword: " + "hunter2", "rootPassword: [REDACTED:password]", "password"),
        Case(
            "  adminPassword: " + "\"letmein\"", "  adminPassword: \"[REDACTED:password]\"",
            "password"),
        Case("accessToken=" + "at-123", "accessToken=[REDACTED:secret]", "secret"),
        Case("clientSecret: " + "cs-9f8e", "clientSecret: [REDACTED:secret]", "secret"),
        Case(
            #"{"SessionToken": ""# + "FwoGZXIvYXdzEJr//////////wEaDK+abc="
                + #"", "Expiration": "2026-11-24"}"#,
            #"{"SessionToken": "[REDACTED:secret]", "Expiration": "2026-11-24"}"#, "secret"),
        Case(
            "redis-cli -u redis://:" + "pw0rd" + "@cache:6379",
            "redis-cli -u redis://:[REDACTED:url-password]@cache:6379", "url-password"),
        Case(
            "postgres://app:" + "pa/ss" + "@db/prod",
            "postgres://app:[REDACTED:url-password]@db/prod", "url-password"),
        Case("password=$" + "ecr3t!", "password=[REDACTED:password]", "password"),
        Case("DB_PASSWORD=$" + "uperS3cret", "DB_PASSWORD=[REDACTED:password]", "password"),
        Case("password=" + "ab/cd+ef", "password=[REDACTED:password]", "password"),
        Case(
            "deploy --password " + "hunter2 --host db",
            "deploy --password [REDACTED:password] --host db", "password"),
        Case(
            "deploy --db-password=" + "'hunter 2'", "deploy --db-password='[REDACTED:password]'",
            "password"),
        Case(
            "vault write --token " + "s.abc123", "vault write --token [REDACTED:secret]", "secret"),
        Case("tool --api-key " + "k3y-42 run", "tool --api-key [REDACTED:secret] run", "secret"),
        Case(
            "mysql -uroot -p" + "S3cret shop", "mysql -uroot -p[REDACTED:password] shop", "password"
        ),
        Case(
            "mysqldump -h db '-p" + "S3cret' shop", "mysqldump -h db '-p[REDACTED:password]' shop",
            "password"),
        Case(
            "curl -u admin:" + "pa55word https://x",
            "curl -u admin:[REDACTED:basic-auth] https://x", "basic-auth"),
        Case(
            "curl -s --user 'ci:" + "t0ken' https://x",
            "curl -s --user 'ci:[REDACTED:basic-auth]' https://x", "basic-auth"),
        Case(
            "sshpass -p " + "hunter2 ssh root@db", "sshpass -p [REDACTED:password] ssh root@db",
            "password"),
        Case(
            "Authorization: token " + "abc123def456", "Authorization: token [REDACTED:auth-header]",
            "auth-header"),
        Case(
            "-H 'authorization: Bot " + "MTk4NjIyNDgzNDcxOTI1MjQ4" + "'",
            "-H 'authorization: Bot [REDACTED:auth-header]'", "auth-header"),
        Case(
            "app token " + "xapp-1-A0123BCDEF-1234567890-abcdef0123",
            "app token [REDACTED:slack-token]", "slack-token"),
        Case(
            "https://x/cb?next=%2Fghp_" + token36, "https://x/cb?next=%2F[REDACTED:github-token]",
            "github-token"),
        Case(
            "key%3A" + "AKIA" + String(repeating: "Q7", count: 8),
            "key%3A[REDACTED:aws-access-key]", "aws-access-key"),
        Case(
            "q=%22glpat-" + String(repeating: "x1Y-", count: 5), "q=%22[REDACTED:gitlab-token]",
            "gitlab-token"),
        // A key body without its BEGIN line: up to an END line, or a bare run of full lines.
        Case(
            "\(bodyLine)\n\(bodyLine)\nq83=\n-----END RSA PRIVATE KEY-----\n$ ",
            "[REDACTED:private-key]\n$ ", "private-key"),
        Case(
            "tail:\n\(bodyLine)\n\(bodyLine)\n\(bodyLine)\nok", "tail:\n[REDACTED:private-key]\nok",
            "private-key"),
        Case(
            "output:\r\n\(bodyLine)\r\n\(bodyLine)\r\nAB==\r\nok",
            "output:\r\n[REDACTED:private-key]\r\nok", "private-key"),
    ]

    @Test(arguments: positives)
    func redactsPositive(_ c: Case) {
        #expect(Redactor.standard.redact(c.input) == c.expected)
        #expect(Redactor.standard.findings(in: c.input) == [c.kind])
    }

    static let negatives: [String] = [
        "secret: rotate weekly",
        "Password: see the vault entry for prod",
        "the token: expired yesterday, rotate it",
        "use --token to authenticate, or --password for the prompt",
        "psql --password -h db",
        "PWD=/home/alice/src OLDPWD=/tmp",
        "docker run -u 1000:1000 image",
        "ssh -p 2222 host; psql -p 5432 -h db",
        "mysql -p shop",
        "curl -u alice https://x",
        "Authorization: required for admin endpoints",
        "https://example.com:8443/path/@alice",
        "password=$DB_PASS",
        "password=$pass",
        "password=${DB_PASSWORD}",
        "curl -u \"$USER:$API_TOKEN\" https://x",
        "redis://:$REDIS_PASSWORD@cache",
        String(repeating: "0123456789abcdef", count: 4) + "\n"
            + String(repeating: "fedcba9876543210", count: 4),
        "-----BEGIN CERTIFICATE-----\n\(bodyLine)\n\(bodyLine)\nAB==\n-----END CERTIFICATE-----",
        "one line of base64 \(bodyLine) is not a key",
        "tokenizer=fast secretary=alice",
    ]

    @Test(arguments: negatives)
    func leavesNegativeAlone(_ text: String) {
        #expect(Redactor.standard.redact(text) == text)
        #expect(Redactor.standard.findings(in: text).isEmpty)
    }

    @Test func redactingTwiceEqualsOnce() {
        for c in Self.positives {
            #expect(Redactor.standard.redact(c.expected) == c.expected, "\(c.kind)")
        }
    }

    /// `exec -- cat key.pem` keeps 50 lines: the BEGIN line is not among them, the key body must
    /// not be either.
    @Test func aKeyLongerThanTheTailIsRedactedBeforeTheTailIsCut() {
        let key = Self.pem()
        var tail = OutputTail(maxLines: 50, maxBytes: 8 * 1024)
        tail.append(Array(("$ cat key.pem\n" + key.text + "\n").utf8))
        #expect(tail.text.split(separator: "\n").count == 50)
        #expect(
            !tail.text.contains("BEGIN"), "the raw tail lost the header: the case to guard against")
        let stored = tail.redacted(by: .standard).text
        #expect(stored == "$ cat key.pem\n[REDACTED:private-key]")
        for line in key.body { #expect(!stored.contains(line)) }
    }

    /// A key whose BEGIN line left the redaction window long ago is still a key, even in lines
    /// too short to look like a PEM body on their own.
    @Test func aKeyWhoseHeaderScrolledOutOfTheWindowIsStillAKey() {
        var tail = OutputTail(maxLines: 50, maxBytes: 1024)
        tail.append(Array("-----BEGIN OPENSSH PRIVATE KEY-----\n".utf8))
        var random = SplitMix64(seed: 11)
        var body: [String] = []
        for _ in 0..<6000 {  // 32-character lines, ~200 KiB: well past the 64 KiB window
            let line = Data(random.bytes(24)).base64EncodedString()
            body.append(line)
            tail.append(Array((line + "\n").utf8))
        }
        let stored = tail.redacted(by: .standard).text
        #expect(stored == "[REDACTED:private-key]")
        for line in body.suffix(100) { #expect(!stored.contains(line)) }
        // After the END line, output is kept again.
        tail.append(Array("-----END OPENSSH PRIVATE KEY-----\ndone\n".utf8))
        #expect(tail.redacted(by: .standard).text == "[REDACTED:private-key]\ndone")
    }
}
