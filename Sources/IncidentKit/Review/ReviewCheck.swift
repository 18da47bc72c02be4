import Foundation

/// The postmortem review linter behind `irctl check`: what is still missing before an incident's
/// review can be called done, each problem with the command that fixes it.
public struct ReviewProblem: Hashable, Sendable {
    public var incident: IncidentID
    public var rule: ReviewRule
    /// What is wrong, naming the field or action item.
    public var message: String
    /// How to fix it: usually the irctl command to run.
    public var fix: String
}

public enum ReviewRule: String, CaseIterable, Sendable {
    case narrativeEmpty = "narrative-empty"
    case rootCauseMissing = "root-cause-missing"
    case actionNoOwner = "action-no-owner"
    case actionNoDue = "action-no-due"
    case actionOverdue = "action-overdue"
    case startMissing = "start-missing"
    case phaseTimesMissing = "phase-times-missing"

    /// One line for `irctl help check`.
    public var summary: String {
        switch self {
        case .narrativeEmpty:
            "in review or closed: a narrative section the postmortem needs is empty (all but "
                + "contributing-factors and lucky)"
        case .rootCauseMissing:
            "closed with one of the two highest severities (SEV1/SEV2) and no root cause"
        case .actionNoOwner: "an open action item has no owner"
        case .actionNoDue: "an open action item has no due date"
        case .actionOverdue: "an open action item is past its due date"
        case .startMissing:
            "in review or closed: no impact start time, so time to detect and impact duration are "
                + "unknown"
        case .phaseTimesMissing:
            "in review or closed: no declared, contained or recovered time (closed with --force "
                + "from an early phase)"
        }
    }
}

public enum ReviewCheck {
    /// Narrative fields a finished review must have; contributing factors and luck may truly be
    /// none.
    public static let requiredFields: [NarrativeField] = NarrativeField.allCases.filter {
        $0 != .contributingFactors && $0 != .lucky
    }

    /// The problems of one incident, in a fixed order. `now` decides what is overdue;
    /// `majorSeverities` are the levels whose closed incidents must name a root cause.
    public static func problems(
        of incident: Incident, now: Date, majorSeverities: Set<String>
    ) -> [ReviewProblem] {
        let id = incident.id
        var problems: [ReviewProblem] = []
        func add(_ rule: ReviewRule, _ message: String, _ fix: String) {
            problems.append(ReviewProblem(incident: id, rule: rule, message: message, fix: fix))
        }
        // A possible incident closed without ever being declared (a false alarm, a duplicate,
        // `close --force` from detect) needs no postmortem: only its action items are checked.
        let falseAlarm = incident.phase == .closed && incident.phaseTimes.declaredAt == nil
        let reviewed = incident.phase >= .review && !falseAlarm
        let rootCauseRule =
            incident.phase == .closed && !falseAlarm && majorSeverities.contains(incident.severity)
        if reviewed {
            for field in requiredFields where incident.narrative[field] == nil {
                if field == .rootCause, rootCauseRule { continue }
                add(
                    .narrativeEmpty, "\(field.argument) is empty",
                    "irctl set \(id) \(field.argument) TEXT  (or 'irctl edit \(id)')")
            }
        }
        if rootCauseRule, incident.narrative.rootCause == nil {
            add(
                .rootCauseMissing, "closed \(incident.severity) incident without a root cause",
                "irctl set \(id) root-cause TEXT")
        }
        for item in incident.actionItems where item.status == .open {
            if item.owner == nil {
                add(
                    .actionNoOwner, "action item \(item.id) has no owner",
                    "irctl action edit \(id) \(item.id) --owner NAME")
            }
            if let due = item.due {
                if due < now {
                    add(
                        .actionOverdue, "action item \(item.id) was due \(Timestamp.format(due))",
                        "irctl action done \(id) \(item.id), or move it: irctl action edit \(id) "
                            + "\(item.id) --due TIME"
                    )
                }
            } else {
                add(
                    .actionNoDue, "action item \(item.id) has no due date",
                    "irctl action edit \(id) \(item.id) --due TIME")
            }
        }
        if reviewed {
            if incident.startedAt == nil {
                add(
                    .startMissing, "no impact start time",
                    "irctl set \(id) started TIME  (when impact began)")
            }
            let times = incident.phaseTimes
            let missing = [
                ("declared", times.declaredAt), ("contained", times.containedAt),
                ("recovered", times.recoveredAt),
            ]
            .filter { $0.1 == nil }.map(\.0)
            if !missing.isEmpty {
                add(
                    .phaseTimesMissing,
                    "no \(missing.joined(separator: ", ")) time on the timeline",
                    "if it got that far, reopen it into that phase with 'irctl reopen \(id) "
                        + "--phase PHASE --reason TEXT' and record the later phases with --at TIME"
                )
            }
        }
        return problems
    }
}
