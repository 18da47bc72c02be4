/// Runbook names are file names: validated so that no name can reach outside its
/// directory (`../x`, `/etc/passwd`) or differ only by case across file systems.
public enum RunbookName {
    /// True for `[a-z0-9][a-z0-9-]*`, at most 100 characters.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 100, first != UInt8(ascii: "-") else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-")
        }
    }

    /// Accepts `disk-full` and `disk-full.md`; throws for anything that is not a plain name.
    static func normalize(_ input: String) throws(RunbookError) -> String {
        let name = input.hasSuffix(".md") ? String(input.dropLast(3)) : input
        guard isValid(name) else { throw .invalidName(input) }
        return name
    }
}
