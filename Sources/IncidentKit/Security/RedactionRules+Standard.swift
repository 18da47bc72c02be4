extension RedactionRule {
    /// The built-in rules, most specific first, as used by ``Redactor/standard``.
    ///
    /// Ideas from gitleaks' default rules (prefix-anchored token shapes, keyword pre-filters,
    /// a `secret` group for key=value forms); the patterns are our own. Kinds are stable names:
    ///
    /// - `private-key`: a PEM `-----BEGIN … PRIVATE KEY-----` block, or a lone header and its
    ///   base64
    /// - `aws-access-key`: AWS access key ids: `AKIA`/`ASIA`/`ABIA`/`ACCA` + 16 uppercase
    ///   alphanumerics
    /// - `aws-secret-key`: the 40-character value of `aws_secret_access_key = …`
    /// - `github-token`: GitHub tokens `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36+ alphanumerics
    /// - `github-pat`: GitHub fine-grained tokens `github_pat_` + 82 of `[0-9A-Za-z_]`
    /// - `gitlab-token`: GitLab personal access tokens `glpat-` + 20 or more of `[0-9A-Za-z_-]`
    /// - `slack-webhook`: Slack webhook URLs `https://hooks.slack.com/services/…`
    /// - `slack-token`: Slack tokens `xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-`
    /// - `stripe-key`: Stripe keys `sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`, `pk_live_` + 24
    ///   or more alphanumerics
    /// - `google-api-key`: Google API keys `AIza` + 35 of `[0-9A-Za-z_-]`
    /// - `jwt`: JSON Web Tokens: three base64url segments, the first starting `eyJ`
    /// - `npm-token`: npm tokens `npm_` + 36 alphanumerics
    /// - `bearer-token`: the token after `Authorization: Bearer`, or after a bare `Bearer` when it
    ///   looks like one
    /// - `basic-auth`: the credentials after `Authorization: Basic`
    /// - `url-password`: the password in `scheme://user:password@host`
    /// - `password`: the value of `password`, `passwd`, `passphrase` (with any prefix, e.g.
    ///   `DB_PASSWORD`) after `=` or `:`
    /// - `secret`: the value of `secret`, `token`, `api_key`, `apikey`, `client_secret`,
    ///   `access_token`, `private_key` and the like
    ///
    /// Placeholders are left alone: `<redacted>`, `***`, `${TOKEN}`, `$PASSWORD`, `xxxx`, empty
    /// values.
    public static let standard: [RedactionRule] = [
        RedactionRule(
            kind: "private-key",
            pattern:
                #"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END[ A-Z0-9]"#
                + #"{0,40}PRIVATE KEY(?: BLOCK)?-----"#,
            keywords: ["private key"]
        ),
        // A truncated paste: the header, optional PEM headers, then every base64 run that follows.
        RedactionRule(
            kind: "private-key",
            pattern:
                #"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:\s{1,4}(?:Proc-Type|"#
                + #"DEK-Info|Comment|Version):[^\r\n]*)*(?:\s{1,4}(?:[A-Za-z0-9+/]{16,}={0,2}|"#
                + #"[A-Za-z0-9+/]{0,15}={1,2}))*"#,
            keywords: ["private key"]
        ),
        // The other end of a cut paste: base64 lines up to the END line.
        RedactionRule(
            kind: "private-key",
            // Only from the first line of a base64 run, each run scanned once: linear however long.
            pattern:
                #"(?m)^(?<![A-Za-z0-9+/=]\n)(?<![A-Za-z0-9+/=]\r\n)(?:[A-Za-z0-9+/]"#
                + #"{16,}={0,2}\r?\n)++[A-Za-z0-9+/]{0,76}={0,2}\r?\n?-----END[ A-Z0-9]"#
                + #"{0,40}PRIVATE KEY(?: BLOCK)?-----"#,
            keywords: ["private key"]
        ),
        RedactionRule(
            kind: "aws-access-key",
            pattern: tokenStart + #"(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"#,
            keywords: ["akia", "asia", "abia", "acca"]
        ),
        RedactionRule(
            kind: "aws-secret-key",
            pattern:
                #"(?i)aws_?secret_?access_?key["']?[ \t]*[:=][ \t]*["']?(?<secret>[A-Za-z0-9/+=]"#
                + #"{40})(?![A-Za-z0-9/+=])"#,
            keywords: ["secret_access_key", "secretaccesskey"]
        ),
        RedactionRule(
            kind: "github-token",
            // A token with more characters than the format is still a token: redact it all.
            pattern: tokenStart + #"gh[pousr]_[0-9A-Za-z]{36,}"#,
            keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        ),
        RedactionRule(
            kind: "github-pat",
            pattern: tokenStart + #"github_pat_[0-9A-Za-z_]{82,}"#,
            keywords: ["github_pat_"]
        ),
        RedactionRule(
            kind: "gitlab-token",
            pattern: tokenStart + #"glpat-[0-9A-Za-z_-]{20,}"#,
            keywords: ["glpat-"]
        ),
        RedactionRule(
            kind: "slack-webhook",
            pattern:
                #"https?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{8,}"#,
            keywords: ["hooks.slack.com"]
        ),
        RedactionRule(
            kind: "slack-token",
            pattern: tokenStart + #"(?:xox[abeprs]|xapp)-[0-9A-Za-z][0-9A-Za-z-]{8,}"#,
            keywords: ["xox", "xapp-"]
        ),
        RedactionRule(
            kind: "stripe-key",
            pattern: tokenStart
                + #"(?:sk_live|sk_test|rk_live|rk_test|pk_live)_[0-9A-Za-z]{24,}\b"#,
            keywords: ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_"]
        ),
        RedactionRule(
            kind: "google-api-key",
            pattern: tokenStart + #"AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"#,
            keywords: ["aiza"]
        ),
        RedactionRule(
            kind: "jwt",
            pattern: tokenStart
                + #"eyJ[A-Za-z0-9_-]{8,}={0,2}\.[A-Za-z0-9_-]{8,}={0,2}\.[A-Za-z0-9_-]*={0,2}"#,
            keywords: ["eyj"]
        ),
        RedactionRule(
            kind: "npm-token",
            pattern: tokenStart + #"npm_[A-Za-z0-9]{36}\b"#,
            keywords: ["npm_"]
        ),
        // In a header, whatever follows Bearer is the token (RFC 6750 b64token characters).
        RedactionRule(
            kind: "bearer-token",
            pattern:
                #"(?i)\bauthorization["']?[ \t]*[:=][ \t]*["']?bearer[ \t]"#
                + #"+(?<secret>[A-Za-z0-9._~+/-]+=*)"#,
            keywords: ["bearer"]
        ),
        // A bare "Bearer x" is often prose ("Bearer tokens expire"): require a token-like word.
        RedactionRule(
            kind: "bearer-token",
            pattern:
                #"\b[Bb]earer[ \t]+(?<secret>(?=[A-Za-z._~+/-]*[0-9])[A-Za-z0-9._~+/-]{16,}=*)"#,
            keywords: ["bearer"]
        ),
        RedactionRule(
            kind: "basic-auth",
            pattern:
                #"(?i)\bauthorization["']?[ \t]*[:=][ \t]*["']?basic[ \t]+(?<secret>[A-Za-z0-9+/]"#
                + #"{4,}={0,2})"#,
            keywords: ["basic"]
        ),
        // `curl -u user:password` (and --user, --proxy-user): the password half.
        RedactionRule(
            kind: "basic-auth",
            pattern:
                #"(?<![A-Za-z0-9_-])curl\b[^\r\n|;&]*?[ \t](?:-u|-U|--user|--proxy-user)(?:[ \t]+|"#
                + #"=)?["']?[^\s:'"]*:(?<secret>"#
                + valueGuard + #"[^\s'"]+)"#,
            keywords: ["curl"]
        ),
        // Any other Authorization scheme (`token x`, `Bot x`, a bare value): the credentials.
        RedactionRule(
            kind: "auth-header",
            pattern:
                #"(?i)\bauthorization["']?[ \t]*[:=][ \t]*["']?(?!bearer\b|basic\b)(?:[A-Za-z]"#
                + #"[A-Za-z0-9_-]{0,30}[ \t]+)?(?<secret>(?![$<*{\[%])(?=[^\s'"]*[0-9])"#
                + #"[A-Za-z0-9._~+/=:-]{8,}|(?![$<*{\[%])[A-Za-z0-9._~+/=:-]{20,})"#,
            keywords: ["authorization"]
        ),
        RedactionRule(
            kind: "url-password",
            pattern:
                #"\b[A-Za-z][A-Za-z0-9+.-]{0,20}://[^\s:/?#@\[\]]{0,256}:(?<secret>(?![<*\[{]|"#
                + #"\$\{[^}]*\}@|\$[A-Z_][A-Z0-9_]*@|[0-9]{1,5}(?:/|$))[^\s:?#@]{1,256})@"#,
            keywords: ["://"]
        ),
        // mysql's `-pPASSWORD` (attached: `-p` alone prompts) and `sshpass -p PASSWORD`.
        RedactionRule(
            kind: "password",
            pattern:
                #"(?<![A-Za-z0-9_-])(?:mysql[a-z]*|mariadb[a-z-]*)\b[^\r\n|;&]*?[ \t]["']"#
                + #"?-p(?<secret>"#
                + valueGuard + #"[^\s'"]+)"#,
            keywords: ["mysql", "mariadb"]
        ),
        RedactionRule(
            kind: "password",
            pattern: #"(?<![A-Za-z0-9_-])sshpass\b[^\r\n|;&]*?[ \t]-p[ \t]*["']?(?<secret>"#
                + valueGuard + #"[^\s'"]+)"#,
            keywords: ["sshpass"]
        ),
        RedactionRule(
            kind: "password",
            pattern: assignment(keys: #"pass(?:word|wd|phrase)|(?<=_)pwd"#),
            keywords: ["password", "passwd", "passphrase", "_pwd"]
        ),
        RedactionRule(
            kind: "password",
            pattern: option(keys: #"pass(?:word|wd|phrase)?|pwd"#),
            keywords: ["-pass", "-pwd"]
        ),
        RedactionRule(
            kind: "secret",
            pattern: assignment(
                keys:
                    #"secret|token|api[_-]?(?:key|secret)|apikey|private[_-]?key|secret[_-]"#
                    + #"?(?:access[_-]?)?key"#
            ),
            keywords: ["secret", "token", "apikey", "api_key", "api-key", "private"]
        ),
        RedactionRule(
            kind: "secret",
            pattern: option(keys: #"secret|token|api-?key|api-secret|secret-key"#),
            keywords: ["secret", "token", "apikey", "api-key"]
        ),
    ]

    /// Where a prefix-anchored token may start: not inside a word, or right after a percent-encoded
    /// byte (`%2Fghp_…` in a URL, `%3AAKIA…`).
    static let tokenStart = #"(?:(?<![0-9A-Za-z_])|(?<=%[0-9A-Fa-f]{2}))"#

    /// Values that are placeholders, not secrets: `<…>`, `***`, `{…}`, `[REDACTED:…]`, `%s`, `xxx`,
    /// `$VAR`, `${VAR}`, `$1`, `$(command)`, `$lowercase_var`. A value that merely starts with `$`
    /// (`$ecr3t!`, `$uperS3cret`) is a secret.
    static let valueGuard =
        #"(?-i:(?![<*{\[%]|[xX]{3,}(?![^\s'"])|\$\(|(?:\$\{[^}\s]*\}|\$[A-Z_][A-Z0-9_]*|\$[a-z_]+|"#
        + #"\$[0-9])(?![^\s'",;&])))"#

    /// `--password VALUE`, `--db-password=VALUE`, `-password VALUE`: the option's value. A value
    /// that is the next option, a placeholder, or an English word that continues a sentence ("use
    /// --token to log in") is not a secret.
    private static func option(keys: String) -> String {
        #"(?i)(?<![A-Za-z0-9_-])--?(?:[A-Za-z0-9]{1,40}-){0,3}(?:"#
            + keys
            + #")(?:=|[ \t]+)["']?(?<secret>(?!-)"# + valueGuard
            + #"(?!(?:to|with|for|and|or|is|are|was|the|a|an|if|when|from|in|on|of|as|not|instead|"#
            + #"option|flag|prompt)(?![^\s'"]))"#
            + #"(?:(?<=")[^"\r\n]+(?=")|(?<=')[^'\r\n]+(?=')|[^\s'"]+))"#
    }

    /// A `key = value` / `key: value` pattern whose `secret` group is the value.
    ///
    /// The key may carry a prefix (`DB_`, `client_`, `spring.datasource.`) and quotes; the value
    /// may be quoted (then it runs to the closing quote) or bare (then it stops at whitespace, `,`,
    /// `;`, `&`). Values that are placeholders (`<…>`, `$VAR`, `${VAR}`, `***`, `%s`, `xxx`, an
    /// earlier redaction) are not matched.
    private static func assignment(keys: String) -> String {
        // The key may be camelCase or glued to a prefix (`rootPassword`, `PGPASSWORD`,
        // `accessToken`). With `key: value` and a space, a plain word followed by more words is
        // prose ("secret: rotate weekly"), not a value.
        #"(?i)(?<![A-Za-z0-9_.])(?:[A-Za-z0-9]{1,40}[_.-]){0,4}[A-Za-z0-9]{0,40}(?:"#
            + keys
            + #")(?![A-Za-z0-9])["']?[ \t]*(?::=|=>|[:=])[ \t]*["']?(?<secret>"# + valueGuard
            + #"(?!(?<=:[ \t]{1,4})[A-Za-z]+[ \t]+[A-Za-z])"#
            + #"(?:(?<=")[^"\r\n]+(?=")|(?<=')[^'\r\n]+(?=')|[^\s'",;&]+))"#
    }
}
