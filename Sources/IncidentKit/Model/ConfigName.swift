/// The grammar of the names a store's `config.json` gives: severity levels, and the services,
/// tags and names of alert routes. `config.json` arrives by git from anyone who can push, and
/// these names are typed, shown and offered by shell completion, so each is a plain word that
/// no shell, terminal or Markdown reader takes for anything else.
public enum ConfigName {
    /// Severity levels: short words such as `SEV1` or `P0`.
    static let severityGrammar = "[A-Za-z0-9][A-Za-z0-9._-]{0,31}"
    /// Services and tags: words such as `checkout-api` or `db.primary`.
    static let labelGrammar = "[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,99}"
    /// Route names, for people reading the config: words and spaces.
    static let routeGrammar = "[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}"

    static func isSeverity(_ name: String) -> Bool {
        matches(name, extra: "._-", maxLength: 32)
    }
    static func isLabel(_ name: String) -> Bool {
        matches(name, extra: "._:/@+-", maxLength: 100)
    }
    static func isRouteName(_ name: String) -> Bool {
        matches(name, extra: " ._-", maxLength: 100)
    }

    /// An ASCII letter or digit, then letters, digits and the bytes of `extra`, at most
    /// `maxLength` bytes in all.
    static func matches(_ name: String, extra: String, maxLength: Int) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maxLength, isAlphanumeric(first) else {
            return false
        }
        let allowed = Set(extra.utf8)
        return bytes.allSatisfy { isAlphanumeric($0) || allowed.contains($0) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
