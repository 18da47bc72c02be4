import Foundation

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

    /// Marks step `number` done or skipped. A pending step may be done or skipped; a skipped
    /// step may still be done later (the team came back to it); a done step is final.
    @discardableResult
    public mutating func markStep(
        _ number: Int, as status: Checklist.Step.Status, note: String? = nil, at: Date? = nil,
        context: EditContext
    ) throws -> TimelineEntry {
        let index = try checklistStepIndex(number)
        guard let checklist = runbook else { throw ChecklistError.noRunbook(id) }
        let step = checklist.steps[index]
        guard status != .pending else {
            throw ValueError.invalidValue(
                option: "status", value: "pending", expected: "done or skipped")
        }
        guard step.status == .pending || (step.status == .skipped && status == .done) else {
            throw ChecklistError.alreadyMarked(id, step: number, status: step.status, by: step.by)
        }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty.map(
            context.clean)

        var text = "Step \(number)/\(checklist.steps.count) \(status.rawValue): \(step.text)"
        if let note { text += " — \(note)" }
        let mark = IncidentChange.StepMark(
            runbook: checklist.name, step: number, status: status, note: note)
        return record(.stepMarked(mark), text, at: at, context: context)
    }

    /// The index of step `number`, after checking the incident is open and has a runbook.
    public func checklistStepIndex(_ number: Int) throws -> Int {
        guard phase != .closed else { throw LifecycleError.closed(id) }
        guard let checklist = runbook else { throw ChecklistError.noRunbook(id) }
        guard let index = checklist.steps.firstIndex(where: { $0.number == number }) else {
            throw ChecklistError.stepOutOfRange(id, step: number, count: checklist.steps.count)
        }
        return index
    }

    /// Records a command run through irctl (`exec`, `step --run`) as a `command` entry. The
    /// output tail and the command line are redacted like every other text.
    @discardableResult
    public mutating func recordCommand(
        _ record: CommandRecord, context: EditContext
    ) throws -> TimelineEntry {
        guard phase != .closed else { throw LifecycleError.closed(id) }
        return self.record(
            .command(record), record.commandLine, at: record.startedAt, context: context)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
