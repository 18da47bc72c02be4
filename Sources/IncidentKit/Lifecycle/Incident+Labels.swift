import Foundation

/// A change to an incident's services, tags or links that can't be made.
public enum LabelError: DescribedError, Hashable, Sendable {
    case notPresent(IncidentID, what: String, value: String)
    case alreadyPresent(IncidentID, what: String, value: String)
    case invalidURL(String)
    case invalidName(what: String, value: String)
    case nothingToChange

    public var isUsageError: Bool {
        switch self {
        case .invalidURL, .invalidName, .nothingToChange: true
        case .notPresent, .alreadyPresent: false
        }
    }

    public var message: String {
        switch self {
        case .notPresent(let id, let what, let value):
            "\(id) has no \(what) '\(value)'; 'irctl show \(id)' lists them"
        case .alreadyPresent(let id, let what, let value):
            "\(id) already has the \(what) '\(value)'"
        case .invalidURL(let text):
            "invalid URL '\(text)'; give an absolute URL such as "
                + "https://grafana.example.com/d/checkout"
        case .invalidName(let what, let value):
            "invalid \(what) '\(value)'; use one line of at most 100 characters without commas"
        case .nothingToChange:
            "nothing to change; give --add or --remove"
        }
    }
}

extension Incident {
    /// Adds and removes affected services; one `edit` entry for the whole change.
    public mutating func changeServices(
        add: [String], remove: [String], at: Date? = nil, context: EditContext
    ) throws {
        try change(
            services, add: add, remove: remove, what: "service", field: .services, at: at,
            context: context)
    }

    /// Adds and removes tags; one `edit` entry for the whole change.
    public mutating func changeTags(
        add: [String], remove: [String], at: Date? = nil, context: EditContext
    ) throws {
        try change(
            tags, add: add, remove: remove, what: "tag", field: .tags, at: at, context: context)
    }

    private mutating func change(
        _ current: [String], add: [String], remove: [String], what: String,
        field: IncidentChange.LabelField, at: Date?, context: EditContext
    ) throws {
        // Stored labels are redacted, so both what is added and what is looked up for removal are.
        let add = try add.map { context.clean(try Self.label($0, what: what)) }
        let remove = try remove.map { context.clean(try Self.label($0, what: what)) }
        guard !add.isEmpty || !remove.isEmpty else { throw LabelError.nothingToChange }
        var result = current
        for value in remove {
            guard let index = result.firstIndex(of: value) else {
                throw LabelError.notPresent(id, what: what, value: value)
            }
            result.remove(at: index)
        }
        for value in add {
            guard !result.contains(value) else {
                throw LabelError.alreadyPresent(id, what: what, value: value)
            }
            result.append(value)
        }
        var parts: [String] = []
        if !add.isEmpty { parts.append("added " + add.joined(separator: ", ")) }
        if !remove.isEmpty { parts.append("removed " + remove.joined(separator: ", ")) }
        let name = field.rawValue
        record(
            .labels(field, added: add, removed: remove),
            "\(name.prefix(1).uppercased() + name.dropFirst()): " + parts.joined(separator: "; "),
            at: at, context: context)
    }

    private static func label(_ text: String, what: String) throws(LabelError) -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, value.count <= 100, !value.contains(","),
            !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw .invalidName(what: what, value: String(text.prefix(60)))
        }
        return value
    }

    /// Adds a link (a dashboard, the incident channel, a ticket). The label defaults to the URL's
    /// host.
    public mutating func addLink(
        url rawURL: String, label rawLabel: String?, at: Date? = nil, context: EditContext
    ) throws {
        let url = context.clean(try Self.validatedURL(rawURL))
        let label = context.clean(
            rawLabel?.trimmingCharacters(in: .whitespaces).nilIfEmpty ?? Self.host(of: url) ?? url)
        guard label.count <= 100, !label.contains(where: \.isNewline) else {
            throw ValueError.invalidValue(
                option: "--label", value: String(label.prefix(40)),
                expected: "one line of at most 100 characters")
        }
        guard !links.contains(where: { $0.url == url }) else {
            throw LabelError.alreadyPresent(id, what: "link", value: url)
        }
        record(
            .linkAdded(url: url, label: label), "Link: \(label) \(url)", at: at, context: context)
    }

    /// Removes the link with this URL or label.
    public mutating func removeLink(
        _ urlOrLabel: String, at: Date? = nil, context: EditContext
    ) throws {
        let key = urlOrLabel.trimmingCharacters(in: .whitespaces)
        guard
            let index = links.firstIndex(where: { $0.url == key })
                ?? links.firstIndex(where: { $0.label == key })
        else {
            throw LabelError.notPresent(id, what: "link", value: String(key.prefix(60)))
        }
        let link = links[index]
        record(
            .linkRemoved(url: link.url), "Link removed: \(link.label) \(link.url)", at: at,
            context: context)
    }

    /// An absolute URL on one line: `scheme:` then no spaces or control characters.
    static func validatedURL(_ text: String) throws(LabelError) -> String {
        let url = text.trimmingCharacters(in: .whitespaces)
        guard url.utf8.count <= 2000, let colon = url.firstIndex(of: ":"),
            url.index(after: colon) < url.endIndex
        else {
            throw .invalidURL(String(text.prefix(60)))
        }
        let scheme = url[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }),
            !url.unicodeScalars.contains(where: {
                $0.value <= 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value)
            })
        else {
            throw .invalidURL(String(text.prefix(60)))
        }
        return url
    }

    static func host(of url: String) -> String? {
        guard let range = url.range(of: "://") else { return nil }
        let rest = url[range.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        return host.isEmpty ? nil : host
    }
}
