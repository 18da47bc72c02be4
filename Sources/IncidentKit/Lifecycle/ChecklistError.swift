/// A runbook checklist change that irctl refuses (exit 1).
public enum ChecklistError: DescribedError, Hashable, Sendable {
    case noRunbook(IncidentID)
    case alreadyAttached(IncidentID, name: String)
    case stepOutOfRange(IncidentID, step: Int, count: Int)
    case alreadyMarked(IncidentID, step: Int, status: Checklist.Step.Status, by: String?)
    case noCommand(IncidentID, step: Int)

    public var message: String {
        switch self {
        case .noRunbook(let id):
            "\(id) has no runbook attached; attach one with 'irctl runbook attach \(id) NAME' (see "
                + "'irctl runbook list')"
        case .alreadyAttached(let id, let name):
            "\(id) already has the runbook '\(name)' attached; add --replace to replace it (its "
                + "progress stays in the timeline)"
        case .stepOutOfRange(let id, let step, let count):
            "\(id)'s runbook has steps 1 to \(count), not \(step); run 'irctl show \(id)' to see "
                + "them"
        case .alreadyMarked(let id, let step, let status, let by):
            "step \(step) of \(id) is already \(status.rawValue)" + (by.map { " (by \($0))" } ?? "")
                + (status == .done
                    ? "; a done step stays done: log a correction with 'irctl log \(id) TEXT'" : "")
        case .noCommand(let id, let step):
            "step \(step) of \(id)'s runbook has no command to run; do it by hand, then mark it "
                + "with 'irctl step \(id) \(step)'"
        }
    }
}
