import Foundation

/// The JSON body Alertmanager posts to a webhook receiver (version 4): one notification about
/// one alert group.
///
/// Decoding is lenient, because newer Alertmanagers add fields: unknown fields are ignored and
/// missing optional ones take their empty value. What is not version 4 is refused.
public struct AlertmanagerPayload: Hashable, Sendable {
    /// The only webhook version there has been since Alertmanager 0.5.
    public static let supportedVersion = "4"

    public var version: String
    /// The receiver in Alertmanager's config that sent this (`receivers[].name`).
    public var receiver: String
    /// `firing` while at least one alert of the group fires, else `resolved`.
    public var status: AlertStatus
    public var alerts: [Alert]
    public var groupLabels: [String: String]
    public var commonLabels: [String: String]
    public var commonAnnotations: [String: String]
    /// Backlink to the Alertmanager.
    public var externalURL: String
    /// Identifies the alert group within the receiver: the key to deduplicate on.
    public var groupKey: String
    /// How many alerts of the group were left out because of the receiver's `max_alerts`.
    public var truncatedAlerts: Int

    public init(
        receiver: String, status: AlertStatus, alerts: [Alert], groupKey: String,
        groupLabels: [String: String] = [:], commonLabels: [String: String] = [:],
        commonAnnotations: [String: String] = [:], externalURL: String = "",
        truncatedAlerts: Int = 0
    ) {
        version = Self.supportedVersion
        self.receiver = receiver
        self.status = status
        self.alerts = alerts
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.commonLabels = commonLabels
        self.commonAnnotations = commonAnnotations
        self.externalURL = externalURL
        self.truncatedAlerts = truncatedAlerts
    }

    /// The alert group this notification is about: receiver and group key together.
    public var group: AlertGroup { AlertGroup(receiver: receiver, groupKey: groupKey) }

    /// Reads a webhook body; a clear error for anything else.
    public static func decode(_ bytes: [UInt8]) throws(AlertError) -> AlertmanagerPayload {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .invalidPayload(reason: "not valid UTF-8")
        }
        // The version first, so a payload of another version gets that error rather than a
        // complaint about a field it names differently.
        let probe: VersionProbe
        do {
            probe = try JSONDecoder().decode(VersionProbe.self, from: Data(bytes))
        } catch {
            throw .invalidPayload(reason: Self.describe(error))
        }
        guard let version = probe.version else {
            throw .invalidPayload(reason: "no \"version\" field")
        }
        guard version == supportedVersion else { throw .unsupportedVersion(version) }
        do {
            return try JSONDecoder().decode(AlertmanagerPayload.self, from: Data(bytes))
        } catch let error as AlertError {
            throw error
        } catch {
            throw .invalidPayload(reason: Self.describe(error))
        }
    }

    private struct VersionProbe: Decodable {
        var version: String?
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            // Alertmanager sends a string; a number is read too, so that `4` is not refused as
            // garbage.
            if let text = try? c.decodeIfPresent(String.self, forKey: AnyCodingKey("version")) {
                version = text
            } else if let number = try? c.decodeIfPresent(Int.self, forKey: AnyCodingKey("version"))
            {
                version = String(number)
            } else {
                version = nil
            }
        }
    }

    /// A decoding error in words, the way store files' errors are given.
    static func describe(_ error: any Error) -> String { Store.describe(error) }
}

/// Whether an alert, or a whole group, fires or has resolved.
public enum AlertStatus: String, Codable, Hashable, Sendable {
    case firing, resolved
}

/// One alert of a notification.
public struct Alert: Hashable, Sendable {
    public var status: AlertStatus
    public var labels: [String: String]
    public var annotations: [String: String]
    /// When the alert started firing, as Alertmanager wrote it (RFC 3339, often with nanoseconds).
    public var startsAt: String
    /// When it resolved; `0001-01-01T00:00:00Z` (Go's zero time) while it still fires.
    public var endsAt: String
    /// A link to the rule or graph that fired, from Prometheus.
    public var generatorURL: String
    /// Alertmanager's identity of the alert (a hash of its labels).
    public var fingerprint: String

    public init(
        status: AlertStatus, labels: [String: String], annotations: [String: String] = [:],
        startsAt: String = "", endsAt: String = "0001-01-01T00:00:00Z", generatorURL: String = "",
        fingerprint: String
    ) {
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.fingerprint = fingerprint
    }

    public var name: String { labels["alertname"] ?? "alert" }
    /// The `summary` annotation, else the alert's name.
    public var summary: String {
        let text = annotations["summary"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? name : text
    }

    /// A time of the payload as a date, whole seconds; nil for Go's zero time or anything
    /// unreadable.
    static func date(_ text: String) -> Date? {
        guard !text.hasPrefix("0001-"), let date = Timestamp.parse(Self.withoutFraction(text))
        else { return nil }
        return Timestamp.wholeSeconds(date)
    }

    /// `2026-11-24T03:30:01.123456789Z` → `2026-11-24T03:30:01Z`: irctl's parser takes whole
    /// seconds.
    private static func withoutFraction(_ text: String) -> String {
        guard let dot = text.firstIndex(of: ".") else { return text }
        let rest = text[text.index(after: dot)...].drop { $0.isASCII && $0.isNumber }
        return String(text[..<dot]) + rest
    }
}

extension Alert: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        status = try c.decodeIfPresent(AlertStatus.self, forKey: AnyCodingKey("status")) ?? .firing
        labels = try c.decodeIfPresent([String: String].self, forKey: AnyCodingKey("labels")) ?? [:]
        annotations =
            try c.decodeIfPresent([String: String].self, forKey: AnyCodingKey("annotations")) ?? [:]
        startsAt = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("startsAt")) ?? ""
        endsAt = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("endsAt")) ?? ""
        generatorURL =
            try c.decodeIfPresent(String.self, forKey: AnyCodingKey("generatorURL")) ?? ""
        // Alertmanager always sends one; an alert without it is told apart by its labels.
        let fingerprint =
            try c.decodeIfPresent(String.self, forKey: AnyCodingKey("fingerprint")) ?? ""
        self.fingerprint =
            fingerprint.isEmpty
            ? String(
                SHA256.hex(
                    labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                        separator: "\u{1}")
                ).prefix(16))
            : fingerprint
    }
}

extension AlertmanagerPayload: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        version =
            (try? c.decode(String.self, forKey: AnyCodingKey("version"))) ?? Self.supportedVersion
        receiver = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("receiver")) ?? ""
        groupKey = try c.decode(String.self, forKey: AnyCodingKey("groupKey"))
        alerts = try c.decode([Alert].self, forKey: AnyCodingKey("alerts"))
        let stated = try c.decodeIfPresent(AlertStatus.self, forKey: AnyCodingKey("status"))
        status = stated ?? (alerts.contains { $0.status == .firing } ? .firing : .resolved)
        groupLabels =
            try c.decodeIfPresent([String: String].self, forKey: AnyCodingKey("groupLabels")) ?? [:]
        commonLabels =
            try c.decodeIfPresent([String: String].self, forKey: AnyCodingKey("commonLabels"))
            ?? [:]
        commonAnnotations =
            try c.decodeIfPresent([String: String].self, forKey: AnyCodingKey("commonAnnotations"))
            ?? [:]
        externalURL = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("externalURL")) ?? ""
        truncatedAlerts = max(
            0, try c.decodeIfPresent(Int.self, forKey: AnyCodingKey("truncatedAlerts")) ?? 0)
        guard !groupKey.isEmpty else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [AnyCodingKey("groupKey")], debugDescription: "empty group key"))
        }
    }
}

/// An alert group as irctl tracks it: one incident per group while it is open.
public struct AlertGroup: Hashable, Sendable {
    public var receiver: String
    public var groupKey: String

    public init(receiver: String, groupKey: String) {
        self.receiver = receiver
        self.groupKey = groupKey
    }

    /// What the timeline stores to recognise the group: a digest of receiver and key, so that
    /// redacting the readable form (a secret in a label value) never splits a group in two.
    public var digest: String { String(SHA256.hex(receiver + "\n" + groupKey).prefix(32)) }

    /// Receiver and key, for a person.
    public var readable: String { receiver.isEmpty ? groupKey : receiver + " " + groupKey }
}
