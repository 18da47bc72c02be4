/// One level of a store's severity scheme, such as `SEV2`.
public struct SeverityLevel: Codable, Hashable, Sendable {
    public var name: String
    /// One line shown in help: what this level means.
    public var description: String

    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }

    /// The number in the name (`SEV2` → 2), used to accept `2`, `sev2` and `P2` as input.
    var number: Int? {
        let digits = name.reversed().prefix(while: { $0.isASCII && $0.isNumber })
        return digits.isEmpty ? nil : Int(String(digits.reversed()))
    }
}

/// An ordered list of severity levels, most severe first.
public struct SeverityScheme: Codable, Hashable, Sendable {
    public var levels: [SeverityLevel]

    public init(levels: [SeverityLevel]) { self.levels = levels }

    public static let standard = SeverityScheme(levels: [
        SeverityLevel(
            name: "SEV1",
            description: "critical: a core service is down or data is at risk for many customers"),
        SeverityLevel(
            name: "SEV2",
            description: "major: a core function is degraded for many customers, or down for some"),
        SeverityLevel(name: "SEV3", description: "minor: limited impact, or a workaround exists"),
        SeverityLevel(
            name: "SEV4", description: "low: no customer impact yet; internal or cosmetic"),
    ])

    /// Accepts a level's name in any case (`SEV2`, `sev2`), its number (`2`) or a P-number (`P2`).
    public func parse(_ input: String) throws(ValueError) -> SeverityLevel {
        let text = input.trimmingCharacters(in: .whitespaces)
        if let level = levels.first(where: { $0.name.lowercased() == text.lowercased() }) {
            return level
        }
        var digits = Substring(text)
        if digits.lowercased().hasPrefix("sev") {
            digits = digits.dropFirst(3)
        } else if digits.lowercased().hasPrefix("p") {
            digits = digits.dropFirst(1)
        }
        if !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let n = Int(digits),
            let level = levels.first(where: { $0.number == n })
        {
            return level
        }
        throw .invalidSeverity(input, known: levels.map(\.name))
    }

    /// Position in the scheme, 0 = most severe. A name the scheme doesn't know (the config changed)
    /// sorts after every known level rather than failing.
    public func rank(of name: String) -> Int {
        levels.firstIndex(where: { $0.name == name }) ?? levels.count
    }

    public func level(named name: String) -> SeverityLevel? { levels.first { $0.name == name } }
}

extension Incident {
    /// How severe a level is when the caller does not pass its scheme's rank: the number in its
    /// name (`SEV0`, `P2`), lower being more severe, else its place in the default scheme.
    static func defaultRank(_ name: String) -> Int {
        let digits = name.filter(\.isNumber)
        if !digits.isEmpty, digits.count <= 6, let number = Int(digits) { return number }
        return SeverityScheme.standard.rank(of: name)
    }
}
