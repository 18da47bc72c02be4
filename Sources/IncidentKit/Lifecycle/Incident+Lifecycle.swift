import Foundation

/// What `declare` and `detect` need to open an incident.
public struct NewIncident: Sendable {
    public var title: String
    public var severity: SeverityLevel
    /// `.detect` for a possible incident, `.declare` for a confirmed one.
    public var phase: Phase
    public var services: [String] = []
    public var tags: [String] = []
    public var roles = Roles()
    public var startedAt: Date?
    public var detectedAt: Date?
    /// When it was declared, for an incident written up after the fact; default: now (never before
    /// detection).
    public var declaredAt: Date?
    public var summary: String?

    public init(title: String, severity: SeverityLevel, phase: Phase) {
        self.title = title
        self.severity = severity
        self.phase = phase
    }
}

extension Incident {
    /// Opens an incident. Every state it starts in is on its timeline: detection (whose entry
    /// carries everything the incident was opened with, and claims its number), and the
    /// declaration when it is declared at once. `severityRank` orders concurrent severity changes
    /// (0 is the most severe; see `SeverityScheme.rank(of:)`).
    public static func open(
        _ new: NewIncident, id: IncidentID, uid: String, context: EditContext,
        severityRank: Int? = nil
    ) throws(ValueError) -> Incident {
        let title = context.clean(new.title.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !title.isEmpty else { throw .empty(what: "the title") }
        let declared = new.declaredAt.map(Timestamp.wholeSeconds)
        let detected = new.detectedAt.map(Timestamp.wholeSeconds) ?? declared ?? context.now
        if let declared, declared < detected {
            throw .invalidValue(
                option: "--at", value: Timestamp.format(declared),
                expected:
                    "a declaration at or after the detection (\(Timestamp.format(detected))); give "
                    + "an earlier --detected or a later --at"
            )
        }
        var incident = Incident(
            id: id, uid: uid, title: "", severity: "", phase: .detect,
            createdAt: context.now, detectedAt: detected)
        let rank = String(severityRank ?? Self.defaultRank(new.severity.name))
        var data = [
            "to": Phase.detect.rawValue, "claim": String(id.number), "title": title,
            "severity": new.severity.name, "rank": rank,
        ]
        let services = unique(new.services.map(context.clean))
        let tags = unique(new.tags.map(context.clean))
        var lists: [String: String] = [:]
        if !services.isEmpty { lists["services"] = listText(services) }
        if !tags.isEmpty { lists["tags"] = listText(tags) }
        let roles = context.clean(new.roles)
        for role in Role.allCases { if let name = roles[role] { data[role.rawValue] = name } }
        if let started = new.startedAt {
            data["started"] = Timestamp.format(Timestamp.wholeSeconds(started))
        }
        if let summary = new.summary.map(context.clean), !summary.isEmpty {
            data["summary"] = summary
        }
        incident.record(
            .phase, "Detected: \(title)", at: detected, data: data, references: lists,
            context: context)
        if new.phase != .detect {
            incident.record(
                .phase, "Declared \(new.severity.name)" + incident.declarationDetails,
                at: declared ?? max(detected, context.now),
                data: [
                    "from": Phase.detect.rawValue, "to": Phase.declare.rawValue,
                    "severity": new.severity.name, "rank": rank,
                ],
                context: context)
        }
        return incident
    }

    private var declarationDetails: String {
        var parts: [String] = []
        if let commander = roles.commander { parts.append("commander \(commander)") }
        if !services.isEmpty { parts.append("services " + services.joined(separator: ", ")) }
        return parts.isEmpty ? "" : " · " + parts.joined(separator: " · ")
    }

    /// Appends a timeline entry that changes nothing but the timeline (a note, an alert, a
    /// command …), chained to the entries before it. Text is redacted first.
    @discardableResult
    public mutating func append(
        _ kind: EntryKind, _ text: String, at: Date? = nil, data: [String: String] = [:],
        context: EditContext
    ) -> TimelineEntry {
        record(kind, text, at: at, data: data, context: context)
    }

    /// `irctl log`: a note, action, decision, comms update or alert.
    @discardableResult
    public mutating func log(
        _ text: String, kind: EntryKind = .note, at: Date? = nil, context: EditContext
    ) throws -> TimelineEntry {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValueError.empty(what: "the entry") }
        guard phase != .closed else { throw LifecycleError.closed(id) }
        return append(kind, trimmed, at: at, context: context)
    }

    /// When the current phase was entered: the latest phase entry's time, never before detection.
    public var currentPhaseEnteredAt: Date {
        let entered = timeline.last(where: { $0.kind == .phase && $0.data["to"] == phase.rawValue }
        )?.at
        return max(entered ?? detectedAt, detectedAt)
    }

    /// Phases follow one another: a change given a time (`--at`) can't be dated before the current
    /// phase was entered, or every derived time and metric after it would be wrong.
    private func checkPhaseTime(_ at: Date?) throws(LifecycleError) {
        guard let at = at.map(Timestamp.wholeSeconds) else { return }
        let since = currentPhaseEnteredAt
        if at < since { throw .phaseTimeTooEarly(id, phase: phase, since: since, given: at) }
    }

    /// Promotes a detected incident to declared (`irctl declare INC-7`).
    public mutating func declare(
        severity: SeverityLevel?, at: Date? = nil, severityRank: Int? = nil,
        context: EditContext
    ) throws(LifecycleError) {
        guard phase == .detect else {
            throw phase == .closed ? .closed(id) : .alreadyDeclared(id, phase)
        }
        try checkPhaseTime(at)
        let name = severity?.name ?? self.severity
        let rank = severityRank ?? Self.defaultRank(name)
        var text = "Declared \(name)" + declarationDetails
        if name != self.severity {
            text = "Declared \(name) (was \(self.severity))" + declarationDetails
        }
        record(
            .phase, text, at: at,
            data: [
                "from": Phase.detect.rawValue, "to": Phase.declare.rawValue, "severity": name,
                "rank": String(rank),
            ],
            context: context)
    }

    /// Moves to another working phase. Forward moves may skip phases (recorded as skipped);
    /// a backward move needs a reason.
    public mutating func move(
        to target: Phase, at: Date? = nil, reason: String? = nil, message: String? = nil,
        context: EditContext
    ) throws(LifecycleError) {
        guard target != .closed else { throw .useClose(id) }
        guard phase != .closed else { throw .closed(id) }
        guard target != phase else { throw .alreadyInPhase(id, phase) }
        try checkPhaseTime(at)
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        var data = ["from": phase.rawValue, "to": target.rawValue]
        var text = "\(phase) → \(target)"
        if target > phase {
            let skipped = Phase.working.filter { $0 > phase && $0 < target }
            if !skipped.isEmpty {
                data["skipped"] = skipped.map(\.rawValue).joined(separator: ",")
                text += " (skipped \(skipped.map(\.rawValue).joined(separator: ", ")))"
            }
        } else {
            guard let reason, !reason.isEmpty else {
                throw .backwardNeedsReason(id, from: phase, to: target)
            }
        }
        if let reason, !reason.isEmpty {
            data["reason"] = reason
            text += target < phase ? " — back because: \(reason)" : " — reason: \(reason)"
        }
        if let message = message?.trimmingCharacters(in: .whitespacesAndNewlines), !message.isEmpty
        {
            text += ": \(message)"
        }
        record(.phase, text, at: at, data: data, context: context)
    }

    public mutating func changeSeverity(
        to level: SeverityLevel, reason: String? = nil, at: Date? = nil,
        severityRank: Int? = nil, context: EditContext
    ) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        guard level.name != severity else { throw .sameSeverity(id, severity) }
        var data = [
            "from": severity, "to": level.name,
            "rank": String(severityRank ?? Self.defaultRank(level.name)),
        ]
        var text = "Severity \(severity) → \(level.name)"
        if let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty {
            data["reason"] = reason
            text += ": \(reason)"
        }
        record(.severity, text, at: at, data: data, context: context)
    }

    /// Sets who holds each given role; an empty name clears the role. One entry per change.
    public mutating func assign(
        _ changes: [(Role, String)], at: Date? = nil, context: EditContext
    ) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        var changed = false
        for (role, rawName) in changes {
            let name = context.clean(rawName.trimmingCharacters(in: .whitespacesAndNewlines))
            let new: String? = name.isEmpty ? nil : name
            guard roles[role] != new else { continue }
            let old = roles[role]
            var data = ["role": role.rawValue]
            if let new { data["to"] = new }
            if let old { data["from"] = old }
            let text =
                switch (old, new) {
                case (nil, let new?): "\(role.rawValue): \(new)"
                case (let old?, let new?): "\(role.rawValue): \(new) (was \(old))"
                case (let old?, nil): "\(role.rawValue): unassigned (was \(old))"
                case (nil, nil): ""
                }
            record(.role, text, at: at, data: data, context: context)
            changed = true
        }
        guard changed else { throw .nothingToChange(id) }
    }

    /// Ends the review. From any other phase only with `force`.
    public mutating func close(
        force: Bool = false, at: Date? = nil, message: String? = nil, context: EditContext
    ) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        guard phase == .review || force else { throw .closeNeedsReview(id, phase) }
        try checkPhaseTime(at)
        var text = phase == .review ? "Closed" : "Closed from \(phase) (forced)"
        if let message = message?.trimmingCharacters(in: .whitespacesAndNewlines), !message.isEmpty
        {
            text += ": \(message)"
        }
        var data = ["from": phase.rawValue, "to": Phase.closed.rawValue]
        if phase != .review { data["forced"] = "true" }
        record(.phase, text, at: at, data: data, context: context)
    }

    /// Reopens a closed incident into `phase` (review unless said otherwise); needs a reason.
    public mutating func reopen(
        reason: String, into target: Phase = .review, at: Date? = nil, context: EditContext
    ) throws {
        guard phase == .closed else { throw LifecycleError.notClosed(id) }
        try checkPhaseTime(at)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ValueError.empty(what: "the reason") }
        guard target != .closed else { throw ValueError.invalidPhase(target.rawValue) }
        record(
            .phase, "Reopened → \(target): \(reason)", at: at,
            data: ["from": Phase.closed.rawValue, "to": target.rawValue, "reason": reason],
            context: context)
    }

    /// Gives this incident another number (settling a number two clones claimed at once); the old
    /// number stays an alias.
    public mutating func renumber(to newID: IncidentID, reason: String, context: EditContext) {
        record(
            .edit, "Renumbered \(id) → \(newID): \(reason)",
            data: ["field": "id", "from": id.description, "to": newID.description], context: context
        )
    }
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

private func unique(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.map { $0.trimmingCharacters(in: .whitespaces) }.filter {
        !$0.isEmpty && seen.insert($0).inserted
    }
}
