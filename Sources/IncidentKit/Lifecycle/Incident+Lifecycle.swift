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
    /// When it was declared, for an incident written up after the fact; default: now (never before detection).
    public var declaredAt: Date?
    public var summary: String?

    public init(title: String, severity: SeverityLevel, phase: Phase) {
        self.title = title
        self.severity = severity
        self.phase = phase
    }
}

extension Incident {
    /// Opens an incident. Every state it starts in is on its timeline: detection, and the
    /// declaration when it is declared at once.
    public static func open(_ new: NewIncident, id: IncidentID, uid: String, context: EditContext) throws(ValueError) -> Incident {
        let title = context.clean(new.title.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !title.isEmpty else { throw .empty(what: "the title") }
        let declared = new.declaredAt.map(Timestamp.wholeSeconds)
        let detected = new.detectedAt.map(Timestamp.wholeSeconds) ?? declared ?? context.now
        if let declared, declared < detected {
            throw .invalidValue(option: "--at", value: Timestamp.format(declared),
                                expected: "a declaration at or after the detection (\(Timestamp.format(detected))); give an earlier --detected or a later --at")
        }
        var incident = Incident(id: id, uid: uid, title: title, severity: new.severity.name,
                                phase: new.phase == .detect ? .detect : .declare,
                                createdAt: context.now, detectedAt: detected,
                                startedAt: new.startedAt.map(Timestamp.wholeSeconds))
        incident.services = unique(new.services.map(context.clean))
        incident.tags = unique(new.tags.map(context.clean))
        incident.roles = context.clean(new.roles)
        if let summary = new.summary.map(context.clean), !summary.isEmpty { incident.narrative.summary = summary }

        incident.append(.phase, "Detected: \(title)", at: detected, data: ["to": Phase.detect.rawValue], context: context)
        if incident.phase == .declare {
            incident.append(.phase, "Declared \(new.severity.name)" + incident.declarationDetails,
                            at: declared ?? max(detected, context.now),
                            data: ["from": Phase.detect.rawValue, "to": Phase.declare.rawValue, "severity": new.severity.name],
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

    /// Appends a timeline entry, chained to the previous one by its hash. Text is redacted first.
    @discardableResult
    public mutating func append(_ kind: EntryKind, _ text: String, at: Date? = nil, data: [String: String] = [:],
                                context: EditContext) -> TimelineEntry {
        let previous = timeline.last
        // The position, which on an intact chain is the previous seq + 1; a hand-edited file whose
        // last seq is huge must not overflow (verify reports such a file, it never traps).
        var entry = TimelineEntry(seq: timeline.count + 1,
                                  at: at.map(Timestamp.wholeSeconds) ?? context.now,
                                  recordedAt: context.now, author: context.author, kind: kind,
                                  text: context.clean(text), data: data.mapValues(context.clean))
        entry.hash = EntryHash.hash(of: entry, previous: previous?.hash ?? "")
        timeline.append(entry)
        return entry
    }

    /// `irctl log`: a note, action, decision, comms update or alert.
    @discardableResult
    public mutating func log(_ text: String, kind: EntryKind = .note, at: Date? = nil, context: EditContext) throws -> TimelineEntry {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValueError.empty(what: "the entry") }
        guard phase != .closed else { throw LifecycleError.closed(id) }
        return append(kind, trimmed, at: at, context: context)
    }

    /// When the current phase was entered: the latest phase entry's time, never before detection.
    public var currentPhaseEnteredAt: Date {
        max(timeline.last(where: { $0.kind == .phase })?.at ?? detectedAt, detectedAt)
    }

    /// Phases follow one another: a change given a time (`--at`) can't be dated before the current
    /// phase was entered, or every derived time and metric after it would be wrong.
    private func checkPhaseTime(_ at: Date?) throws(LifecycleError) {
        guard let at = at.map(Timestamp.wholeSeconds) else { return }
        let since = currentPhaseEnteredAt
        if at < since { throw .phaseTimeTooEarly(id, phase: phase, since: since, given: at) }
    }

    /// Promotes a detected incident to declared (`irctl declare INC-7`).
    public mutating func declare(severity: SeverityLevel?, at: Date? = nil, context: EditContext) throws(LifecycleError) {
        guard phase == .detect else { throw phase == .closed ? .closed(id) : .alreadyDeclared(id, phase) }
        try checkPhaseTime(at)
        if let severity { self.severity = severity.name }
        phase = .declare
        append(.phase, "Declared \(self.severity)" + declarationDetails, at: at,
               data: ["from": Phase.detect.rawValue, "to": Phase.declare.rawValue, "severity": self.severity],
               context: context)
    }

    /// Moves to another working phase. Forward moves may skip phases (recorded as skipped);
    /// a backward move needs a reason.
    public mutating func move(to target: Phase, at: Date? = nil, reason: String? = nil, message: String? = nil,
                              context: EditContext) throws(LifecycleError) {
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
            guard let reason, !reason.isEmpty else { throw .backwardNeedsReason(id, from: phase, to: target) }
        }
        if let reason, !reason.isEmpty {
            data["reason"] = reason
            text += target < phase ? " — back because: \(reason)" : " — reason: \(reason)"
        }
        if let message = message?.trimmingCharacters(in: .whitespacesAndNewlines), !message.isEmpty {
            text += ": \(message)"
        }
        phase = target
        append(.phase, text, at: at, data: data, context: context)
    }

    public mutating func changeSeverity(to level: SeverityLevel, reason: String? = nil, at: Date? = nil,
                                        context: EditContext) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        guard level.name != severity else { throw .sameSeverity(id, severity) }
        var data = ["from": severity, "to": level.name]
        var text = "Severity \(severity) → \(level.name)"
        if let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty {
            data["reason"] = reason
            text += ": \(reason)"
        }
        severity = level.name
        append(.severity, text, at: at, data: data, context: context)
    }

    /// Sets who holds each given role; an empty name clears the role. One entry per change.
    public mutating func assign(_ changes: [(Role, String)], at: Date? = nil, context: EditContext) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        var changed = false
        for (role, rawName) in changes {
            let name = context.clean(rawName.trimmingCharacters(in: .whitespacesAndNewlines))
            let new: String? = name.isEmpty ? nil : name
            guard roles[role] != new else { continue }
            let old = roles[role]
            roles[role] = new
            var data = ["role": role.rawValue]
            if let new { data["to"] = new }
            if let old { data["from"] = old }
            let text = switch (old, new) {
            case (nil, let new?): "\(role.rawValue): \(new)"
            case (let old?, let new?): "\(role.rawValue): \(new) (was \(old))"
            case (let old?, nil): "\(role.rawValue): unassigned (was \(old))"
            case (nil, nil): ""
            }
            append(.role, text, at: at, data: data, context: context)
            changed = true
        }
        guard changed else { throw .nothingToChange(id) }
    }

    /// Ends the review. From any other phase only with `force`.
    public mutating func close(force: Bool = false, at: Date? = nil, message: String? = nil, context: EditContext) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        guard phase == .review || force else { throw .closeNeedsReview(id, phase) }
        try checkPhaseTime(at)
        var text = phase == .review ? "Closed" : "Closed from \(phase) (forced)"
        if let message = message?.trimmingCharacters(in: .whitespacesAndNewlines), !message.isEmpty { text += ": \(message)" }
        var data = ["from": phase.rawValue, "to": Phase.closed.rawValue]
        if phase != .review { data["forced"] = "true" }
        phase = .closed
        append(.phase, text, at: at, data: data, context: context)
    }

    /// Reopens a closed incident into `phase` (review unless said otherwise); needs a reason.
    public mutating func reopen(reason: String, into target: Phase = .review, at: Date? = nil, context: EditContext) throws {
        guard phase == .closed else { throw LifecycleError.notClosed(id) }
        try checkPhaseTime(at)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ValueError.empty(what: "the reason") }
        guard target != .closed else { throw ValueError.invalidPhase(target.rawValue) }
        phase = target
        append(.phase, "Reopened → \(target): \(reason)", at: at, data: ["from": Phase.closed.rawValue, "to": target.rawValue, "reason": reason],
               context: context)
    }
}

private func unique(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
}
