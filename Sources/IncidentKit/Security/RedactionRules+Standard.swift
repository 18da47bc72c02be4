extension RedactionRule {
    /// The built-in rules, most specific first, as used by ``Redactor/standard``.
    ///
    /// Ideas from gitleaks' default rules (prefix-anchored token shapes, keyword pre-filters,
    /// a `secret` group for key=value forms); the patterns are our own. Kinds are stable names:
    ///
    /// | Kind             | Catches                                                                   |
    /// |------------------|---------------------------------------------------------------------------|
    /// | `private-key`    | a PEM `-----BEGIN … PRIVATE KEY-----` block, or a lone header and its base64 |
    /// | `aws-access-key` | AWS access key ids: `AKIA`/`ASIA`/`ABIA`/`ACCA` + 16 uppercase alphanumerics |
    /// | `aws-secret-key` | the 40-character value of `aws_secret_access_key = …`                     |
    /// | `github-token`   | GitHub tokens `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36+ alphanumerics  |
    /// | `github-pat`     | GitHub fine-grained tokens `github_pat_` + 82 of `[0-9A-Za-z_]`           |
    /// | `gitlab-token`   | GitLab personal access tokens `glpat-` + 20 or more of `[0-9A-Za-z_-]`    |
    /// | `slack-webhook`  | Slack webhook URLs `https://hooks.slack.com/services/…`                   |
    /// | `slack-token`    | Slack tokens `xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-`                  |
    /// | `stripe-key`     | Stripe keys `sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`, `pk_live_` + 24 or more alphanumerics |
    /// | `google-api-key` | Google API keys `AIza` + 35 of `[0-9A-Za-z_-]`                            |
    /// | `jwt`            | JSON Web Tokens: three base64url segments, the first starting `eyJ`      |
    /// | `npm-token`      | npm tokens `npm_` + 36 alphanumerics                                      |
    /// | `bearer-token`   | the token after `Authorization: Bearer`, or after a bare `Bearer` when it looks like one |
    /// | `basic-auth`     | the credentials after `Authorization: Basic`                              |
    /// | `url-password`   | the password in `scheme://user:password@host`                             |
    /// | `password`       | the value of `password`, `passwd`, `passphrase` (with any prefix, e.g. `DB_PASSWORD`) after `=` or `:` |
    /// | `secret`         | the value of `secret`, `token`, `api_key`, `apikey`, `client_secret`, `access_token`, `private_key` and the like |
    ///
    /// Placeholders are left alone: `<redacted>`, `***`, `${TOKEN}`, `$PASSWORD`, `xxxx`, empty values.
    public static let standard: [RedactionRule] = [
        RedactionRule(
            kind: "private-key",
            pattern: #"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----"#,
            keywords: ["private key"]
        ),
        // A truncated paste: the header, optional PEM headers, then every base64 run that follows.
        RedactionRule(
            kind: "private-key",
            pattern: #"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:\s{1,4}(?:Proc-Type|DEK-Info|Comment|Version):[^\r\n]*)*(?:\s{1,4}(?:[A-Za-z0-9+/]{16,}={0,2}|[A-Za-z0-9+/]{0,15}={1,2}))*"#,
            keywords: ["private key"]
        ),
        RedactionRule(
            kind: "aws-access-key",
            pattern: #"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"#,
            keywords: ["akia", "asia", "abia", "acca"]
        ),
        RedactionRule(
            kind: "aws-secret-key",
            pattern: #"(?i)aws_?secret_?access_?key["']?[ \t]*[:=][ \t]*["']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"#,
            keywords: ["secret_access_key", "secretaccesskey"]
        ),
        RedactionRule(
            kind: "github-token",
            // A token with more characters than the format is still a token: redact it all.
            pattern: #"\bgh[pousr]_[0-9A-Za-z]{36,}"#,
            keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        ),
        RedactionRule(
            kind: "github-pat",
            pattern: #"\bgithub_pat_[0-9A-Za-z_]{82,}"#,
            keywords: ["github_pat_"]
        ),
        RedactionRule(
            kind: "gitlab-token",
            pattern: #"\bglpat-[0-9A-Za-z_-]{20,}"#,
            keywords: ["glpat-"]
        ),
        RedactionRule(
            kind: "slack-webhook",
            pattern: #"https?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{8,}"#,
            keywords: ["hooks.slack.com"]
        ),
        RedactionRule(
            kind: "slack-token",
            pattern: #"\bxox[baprs]-[0-9A-Za-z][0-9A-Za-z-]{8,}"#,
            keywords: ["xox"]
        ),
        RedactionRule(
            kind: "stripe-key",
            pattern: #"\b(?:sk_live|sk_test|rk_live|rk_test|pk_live)_[0-9A-Za-z]{24,}\b"#,
            keywords: ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_"]
        ),
        RedactionRule(
            kind: "google-api-key",
            pattern: #"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"#,
            keywords: ["aiza"]
        ),
        RedactionRule(
            kind: "jwt",
            pattern: #"\beyJ[A-Za-z0-9_-]{8,}={0,2}\.[A-Za-z0-9_-]{8,}={0,2}\.[A-Za-z0-9_-]*={0,2}"#,
            keywords: ["eyj"]
        ),
        RedactionRule(
            kind: "npm-token",
            pattern: #"\bnpm_[A-Za-z0-9]{36}\b"#,
            keywords: ["npm_"]
        ),
        // In a header, whatever follows Bearer is the token (RFC 6750 b64token characters).
        RedactionRule(
            kind: "bearer-token",
            pattern: #"(?i)\bauthorization["']?[ \t]*[:=][ \t]*["']?bearer[ \t]+(?<secret>[A-Za-z0-9._~+/-]+=*)"#,
            keywords: ["bearer"]
        ),
        // A bare "Bearer x" is often prose ("Bearer tokens expire"): require a token-like word.
        RedactionRule(
            kind: "bearer-token",
            pattern: #"\b[Bb]earer[ \t]+(?<secret>(?=[A-Za-z._~+/-]*[0-9])[A-Za-z0-9._~+/-]{16,}=*)"#,
            keywords: ["bearer"]
        ),
        RedactionRule(
            kind: "basic-auth",
            pattern: #"(?i)\bauthorization["']?[ \t]*[:=][ \t]*["']?basic[ \t]+(?<secret>[A-Za-z0-9+/]{4,}={0,2})"#,
            keywords: ["basic"]
        ),
        RedactionRule(
            kind: "url-password",
            pattern: #"\b[A-Za-z][A-Za-z0-9+.-]{0,20}://[^\s:/?#@\[\]]{1,256}:(?<secret>(?![$<*\[{])[^\s:/?#@]{1,256})@"#,
            keywords: ["://"]
        ),
        RedactionRule(
            kind: "password",
            pattern: assignment(keys: #"pass(?:word|wd|phrase)"#),
            keywords: ["password", "passwd", "passphrase"]
        ),
        RedactionRule(
            kind: "secret",
            pattern: assignment(keys: #"secret|token|api[_-]?(?:key|secret)|apikey|private[_-]?key|secret[_-]?(?:access[_-]?)?key"#),
            keywords: ["secret", "token", "apikey", "api_key", "api-key", "private"]
        ),
    ]

    /// A `key = value` / `key: value` pattern whose `secret` group is the value.
    ///
    /// The key may carry a prefix (`DB_`, `client_`, `spring.datasource.`) and quotes; the value may be
    /// quoted (then it runs to the closing quote) or bare (then it stops at whitespace, `,`, `;`, `&`).
    /// Values that are placeholders (`<…>`, `$VAR`, `${VAR}`, `***`, `%s`, `xxx`, an earlier redaction) are not matched.
    private static func assignment(keys: String) -> String {
        #"(?i)(?<![A-Za-z0-9_.-])(?:[A-Za-z0-9]{1,40}[_.-]){0,4}(?:"#
            + keys
            + #")(?![A-Za-z0-9])["']?[ \t]*(?::=|=>|[:=])[ \t]*["']?(?<secret>(?![<$*{\[%]|x{3,}(?![^\s'"]))(?:(?<=")[^"\r\n]+(?=")|(?<=')[^'\r\n]+(?=')|[^\s'",;&]+))"#
    }
}
