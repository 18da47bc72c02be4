import Foundation

// Here rather than with the other lifecycle changes: it takes a `Runbook`, and runbooks are a
// feature above the lifecycle.
extension Incident {
    /// Copies a runbook's steps onto the incident as a checklist (`declare --runbook`,
    /// `runbook attach`). An attached runbook is only replaced when asked; the old one's
    /// progress stays in the timeline.
    @discardableResult
    public mutating func attachRunbook(
        _ runbook: Runbook, replace: Bool = false, at: Date? = nil, context: EditContext
    ) throws -> TimelineEntry {
        guard phase != .closed else { throw LifecycleError.closed(id) }
        var replaced: String?
        var text =
            "Attached runbook \(runbook.name): \(runbook.title) (\(runbook.steps.count) steps)"
        if let old = self.runbook {
            guard replace else { throw ChecklistError.alreadyAttached(id, name: old.name) }
            replaced = old.name
            text += "; replaced \(old.name) (\(old.finished)/\(old.steps.count) steps finished)"
        }
        let steps = runbook.steps.map { step in
            Checklist.Step(
                number: step.number, text: context.clean(step.text),
                command: step.command.map(context.clean))
        }
        // Steps are redacted one by one; redacting their JSON as a whole could cut through quotes.
        let attachment = IncidentChange.RunbookAttachment(
            name: runbook.name, title: context.clean(runbook.title), source: runbook.source,
            steps: steps, replaced: replaced)
        return record(.runbookAttached(attachment), text, at: at, context: context)
    }
}
