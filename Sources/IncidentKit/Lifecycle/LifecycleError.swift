import Foundation

/// A change the lifecycle rules refuse (exit 1).
public enum LifecycleError: DescribedError, Hashable, Sendable {
    case alreadyInPhase(IncidentID, Phase)
    case backwardNeedsReason(IncidentID, from: Phase, to: Phase)
    case closed(IncidentID)
    case closeNeedsReview(IncidentID, Phase)
    case notClosed(IncidentID)
    case alreadyDeclared(IncidentID, Phase)
    case sameSeverity(IncidentID, String)
    case useClose(IncidentID)
    case nothingToChange(IncidentID)
    case phaseTimeTooEarly(IncidentID, phase: Phase, since: Date, given: Date)
    case duplicateOfItself(IncidentID)
    case alreadyDrill(IncidentID)

    public var message: String {
        switch self {
        case .alreadyInPhase(let id, let phase):
            "\(id) is already in phase \(phase)"
        case .backwardNeedsReason(let id, let from, let to):
            "moving \(id) back from \(from) to \(to) needs a reason; add --reason TEXT (what came "
                + "back?)"
        case .closed(let id):
            "\(id) is closed; reopen it first with 'irctl reopen \(id) --reason TEXT'"
        case .closeNeedsReview(let id, let phase):
            "\(id) is in phase \(phase), not review; run 'irctl review \(id)' first, or 'irctl "
                + "close \(id) --force'"
        case .notClosed(let id):
            "\(id) is not closed; only a closed incident can be reopened"
        case .alreadyDeclared(let id, let phase):
            "\(id) is already declared (phase \(phase)); to change its severity use 'irctl "
                + "severity \(id) SEV'"
        case .sameSeverity(let id, let severity):
            "\(id) is already \(severity)"
        case .useClose(let id):
            "closing ends the review; use 'irctl close \(id)'"
        case .phaseTimeTooEarly(let id, let phase, let since, let given):
            "\(id) has been in phase \(phase) since \(Timestamp.format(since)); a phase change "
                + "can't be dated before that (given \(Timestamp.format(given))). Give a time at "
                + "or after \(Timestamp.format(since)); when writing an incident up "
                + "afterwards, record the phases in the order they happened, each with "
                + "--at (a declaration too: 'irctl declare TITLE --at TIME')"
        case .duplicateOfItself(let id):
            "\(id) can't be a duplicate of itself; give the id of the incident it duplicates"
        case .alreadyDrill(let id):
            "\(id) is already a drill"
        case .nothingToChange(let id):
            "nothing to change on \(id); every role already has that person"
        }
    }
}
