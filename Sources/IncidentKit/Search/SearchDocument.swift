import Foundation

/// What the index knows of one incident: the text it searches, the fields it filters on, and
/// what a hit shows.
public struct SearchDocument: Hashable, Sendable {
    /// Where a piece of text came from; the weight is how much a word there counts.
    public enum Source: UInt8, Hashable, Sendable {
        case title = 1
        case service, tag, narrative, timeline, actionItem, alert

        public var name: String {
            switch self {
            case .title: "title"
            case .service: "service"
            case .tag: "tag"
            case .narrative: "narrative"
            case .timeline: "timeline"
            case .actionItem: "action item"
            case .alert: "alert"
            }
        }

        /// In halves: a title word counts three times a timeline word.
        var weight: UInt32 {
            switch self {
            case .title: 6
            case .service, .tag, .alert: 4
            case .narrative: 3
            case .timeline, .actionItem: 2
            }
        }
    }

    public struct Text: Hashable, Sendable {
        public var source: Source
        /// The narrative field, for narrative text ("rootCause").
        public var label: String
        public var text: String
    }

    public var uid: String
    public var number: Int
    /// The signature of the cache record the document was made from: when it differs from the
    /// current record, the incident changed and is read again.
    public var signature: UInt64
    public var severity: String
    public var phase: String
    /// When it was detected.
    public var date: Date
    public var title: String
    public var services: [String]
    public var tags: [String]
    public var rootCause: String?
    public var resolution: String?
    public var texts: [Text]

    public var isOpen: Bool { phase != Phase.closed.rawValue }

    public init(
        uid: String, number: Int, signature: UInt64, severity: String, phase: String,
        date: Date, title: String, services: [String], tags: [String],
        rootCause: String?, resolution: String?, texts: [Text]
    ) {
        self.uid = uid
        self.number = number
        self.signature = signature
        self.severity = severity
        self.phase = phase
        self.date = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        self.title = title
        self.services = services
        self.tags = tags
        self.rootCause = rootCause
        self.resolution = resolution
        self.texts = texts
    }

    /// Entries that only record a change of state irctl made ("phase → contain") say nothing
    /// that a search should find beyond what the fields filter on.
    private static let silentKinds: Set<EntryKind> = [.phase, .severity, .role, .edit, .migrated]

    public init(_ incident: Incident, signature: UInt64 = 0) {
        var texts: [Text] = [Text(source: .title, label: "", text: incident.title)]
        if !incident.services.isEmpty {
            texts.append(
                Text(source: .service, label: "", text: incident.services.joined(separator: " ")))
        }
        if !incident.tags.isEmpty {
            texts.append(Text(source: .tag, label: "", text: incident.tags.joined(separator: " ")))
        }
        for field in NarrativeField.allCases {
            if let text = incident.narrative[field], !text.isEmpty {
                texts.append(Text(source: .narrative, label: field.rawValue, text: text))
            }
        }
        for entry in incident.timeline where !Self.silentKinds.contains(entry.kind) {
            if incident.isStruck(entry) { continue }
            if entry.kind == .alert {
                let labels = [
                    entry.data[AlertEntryData.alertname], entry.data[AlertEntryData.labels],
                ]
                .compactMap { $0 }.joined(separator: " ")
                if !labels.isEmpty { texts.append(Text(source: .alert, label: "", text: labels)) }
            }
            if !entry.text.isEmpty {
                texts.append(Text(source: .timeline, label: entry.kind.rawValue, text: entry.text))
            }
        }
        for item in incident.actionItems where !item.text.isEmpty {
            texts.append(Text(source: .actionItem, label: item.id, text: item.text))
        }
        self.init(
            uid: incident.uid, number: incident.id.number, signature: signature,
            severity: incident.severity, phase: incident.phase.rawValue,
            date: incident.detectedAt, title: incident.title, services: incident.services,
            tags: incident.tags, rootCause: Self.line(incident.narrative.rootCause),
            resolution: Self.line(incident.narrative.resolution), texts: texts)
    }

    /// The first line of a narrative field, for a hit's one-line answer.
    static func line(_ text: String?) -> String? {
        guard let first = text?.split(whereSeparator: \.isNewline).first else { return nil }
        let trimmed = first.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The filter terms: a byte no word holds, then the field and its folded value.
    static func fieldTerm(_ field: SearchQuery.Field, _ value: String) -> String {
        "\u{1}" + field.rawValue + ":" + value
    }

    var fieldTerms: [String] {
        var terms = [
            Self.fieldTerm(.severity, SearchQuery.fieldValue(severity)),
            Self.fieldTerm(.phase, phase),
        ]
        terms += services.map { Self.fieldTerm(.service, SearchQuery.fieldValue($0)) }
        terms += tags.map { Self.fieldTerm(.tag, SearchQuery.fieldValue($0)) }
        return terms
    }
}
