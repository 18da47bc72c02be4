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
    /// An exercise, not a real incident.
    public var isDrill = false

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
        var incident = Incident(opening: uid)
        let rank = severityRank ?? Self.defaultRank(new.severity.name)
        let summary = new.summary.map(context.clean)
        let opening = IncidentChange.Opening(
            claim: id, title: title, severity: new.severity.name, rank: rank,
            services: unique(new.services.map(context.clean)),
            tags: unique(new.tags.map(context.clean)), roles: context.clean(new.roles),
            startedAt: new.startedAt.map(Timestamp.wholeSeconds),
            summary: summary?.isEmpty == false ? summary : nil, phase: .detect,
            drill: new.isDrill)
        incident.record(
            .opened(opening), (new.isDrill ? "Detected (drill): " : "Detected: ") + title,
            at: detected, context: context)
        if new.phase != .detect {
            incident.record(
                .phase(
                    .init(from: .detect, to: .declare, severity: new.severity.name, rank: rank)),
                "Declared \(new.severity.name)" + incident.declarationDetails,
                at: declared ?? max(detected, context.now), context: context)
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
    /// status update …), chained to the entries before it. Text is redacted first.
    @discardableResult
    public mutating func append(
        _ change: IncidentChange, _ text: String, at: Date? = nil, context: EditContext
    ) -> TimelineEntry {
        record(change, text, at: at, context: context)
    }

    /// `irctl log`: a note, action, decision, comms update or alert.
    @discardableResult
    public mutating func log(
        _ text: String, kind: EntryKind = .note, at: Date? = nil, context: EditContext
    ) throws -> TimelineEntry {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValueError.empty(what: "the entry") }
        guard phase != .closed else { throw LifecycleError.closed(id) }
        return append(Self.loggedChange(kind), trimmed, at: at, context: context)
    }

    /// What `log --kind` records: an entry that only tells what happened.
    private static func loggedChange(_ kind: EntryKind) -> IncidentChange {
        switch kind {
        case .action: .action
        case .decision: .decision
        case .comms: .comms(nil)
        case .alert: .alert([:])
        case .note: .note
        default: .other(kind, [:])
        }
    }

    /// Phases follow one another: a change given a time (`--at`) can't be dated before the current
    /// phase was entered, or every derived time and metric after it would be wrong.
    func checkPhaseTime(_ at: Date?) throws(LifecycleError) {
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
            .phase(.init(from: .detect, to: .declare, severity: name, rank: rank)), text, at: at,
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
        var move = IncidentChange.PhaseMove(from: phase, to: target)
        var text = "\(phase) → \(target)"
        if target > phase {
            let skipped = Phase.working.filter { $0 > phase && $0 < target }
            if !skipped.isEmpty {
                move.skipped = skipped
                text += " (skipped \(skipped.map(\.rawValue).joined(separator: ", ")))"
            }
        } else {
            guard let reason, !reason.isEmpty else {
                throw .backwardNeedsReason(id, from: phase, to: target)
            }
        }
        if let reason, !reason.isEmpty {
            move.reason = reason
            text += target < phase ? " — back because: \(reason)" : " — reason: \(reason)"
        }
        if let message = message?.trimmingCharacters(in: .whitespacesAndNewlines), !message.isEmpty
        {
            text += ": \(message)"
        }
        record(.phase(move), text, at: at, context: context)
    }

    public mutating func changeSeverity(
        to level: SeverityLevel, reason: String? = nil, at: Date? = nil,
        severityRank: Int? = nil, context: EditContext
    ) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        guard level.name != severity else { throw .sameSeverity(id, severity) }
        var change = IncidentChange.SeverityChange(
            from: severity, to: level.name, rank: severityRank ?? Self.defaultRank(level.name))
        var text = "Severity \(severity) → \(level.name)"
        if let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty {
            change.reason = reason
            text += ": \(reason)"
        }
        record(.severity(change), text, at: at, context: context)
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
            let text =
                switch (old, new) {
                case (nil, let new?): "\(role.rawValue): \(new)"
                case (let old?, let new?): "\(role.rawValue): \(new) (was \(old))"
                case (let old?, nil): "\(role.rawValue): unassigned (was \(old))"
                case (nil, nil): ""
                }
            record(.role(role, from: old, to: new), text, at: at, context: context)
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
        let move = IncidentChange.PhaseMove(from: phase, to: .closed, forced: phase != .review)
        record(.phase(move), text, at: at, context: context)
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
            .phase(.init(from: .closed, to: target, reason: reason)),
            "Reopened → \(target): \(reason)", at: at, context: context)
    }

    /// Gives this incident another number (settling a number two clones claimed at once); the old
    /// number stays an alias.
    public mutating func renumber(to newID: IncidentID, reason: String, context: EditContext) {
        record(
            .renumbered(from: id.description, to: newID),
            "Renumbered \(id) → \(newID): \(reason)", context: context)
    }
}

private func unique(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.map { $0.trimmingCharacters(in: .whitespaces) }.filter {
        !$0.isEmpty && seen.insert($0).inserted
    }
}
