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
        var data = [
            "runbook": runbook.name, "source": runbook.source, "steps": String(runbook.steps.count),
        ]
        var text =
            "Attached runbook \(runbook.name): \(runbook.title) (\(runbook.steps.count) steps)"
        if let old = self.runbook {
            guard replace else { throw ChecklistError.alreadyAttached(id, name: old.name) }
            data["replaced"] = old.name
            text += "; replaced \(old.name) (\(old.finished)/\(old.steps.count) steps finished)"
        }
        let steps = runbook.steps.map { step in
            Checklist.Step(
                number: step.number, text: context.clean(step.text),
                command: step.command.map(context.clean))
        }
        data["title"] = context.clean(runbook.title)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Already redacted step by step; redacting the JSON as a whole could cut through its
        // quotes.
        let checklist = String(
            decoding: (try? encoder.encode(steps)) ?? Data("[]".utf8), as: UTF8.self)
        return record(
            .runbook, text, at: at, data: data, references: ["checklist": checklist],
            context: context)
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
        var data = ["runbook": checklist.name, "step": String(number), "status": status.rawValue]
        if let note {
            text += " — \(note)"
            data["note"] = note
        }
        return record(.runbook, text, at: at, data: data, context: context)
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
            .command, record.commandLine, at: record.startedAt, data: record.data, context: context)
    }
}

/// What one command run through irctl did: stored as the data of a `command` entry.
public struct CommandRecord: Hashable, Sendable {
    /// The command line as a shell would read it (arguments quoted).
    public var commandLine: String
    public var startedAt: Date
    public var durationMs: Int
    /// The exit status, when the command exited.
    public var exitStatus: Int32?
    /// The signal that killed it, when it was killed.
    public var signal: Int32?
    /// Why it could not be started, when it could not.
    public var startError: String?
    public var outputTail: String
    public var outputBytes: Int
    public var outputTruncated: Bool
    /// The working directory it ran in.
    public var directory: String?
    /// The runbook step it ran for (`step --run`).
    public var step: Int?

    public init(
        commandLine: String, startedAt: Date, durationMs: Int, exitStatus: Int32? = nil,
        signal: Int32? = nil,
        startError: String? = nil, outputTail: String = "", outputBytes: Int = 0,
        outputTruncated: Bool = false,
        directory: String? = nil, step: Int? = nil
    ) {
        self.commandLine = commandLine
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.exitStatus = exitStatus
        self.signal = signal
        self.startError = startError
        self.outputTail = outputTail
        self.outputBytes = outputBytes
        self.outputTruncated = outputTruncated
        self.directory = directory
        self.step = step
    }

    /// The status a shell would report: the exit status, or 128 + the signal.
    public var shellStatus: Int32 {
        if let signal { return 128 + signal }
        return exitStatus ?? 1
    }

    public var succeeded: Bool { startError == nil && signal == nil && exitStatus == 0 }

    var data: [String: String] {
        var data = ["durationMs": String(durationMs)]
        if let exitStatus { data["exitStatus"] = String(exitStatus) }
        if let signal { data["signal"] = String(signal) }
        if let startError { data["error"] = startError }
        if !outputTail.isEmpty { data["output"] = outputTail }
        data["outputBytes"] = String(outputBytes)
        if outputTruncated { data["outputTruncated"] = "true" }
        if let directory { data["directory"] = directory }
        if let step { data["step"] = String(step) }
        return data
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
