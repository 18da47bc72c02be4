import Foundation

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

    /// The data of its `command` entry.
    var storedData: [String: String] {
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

    /// Reads the data of a `command` entry; `text` is the entry's text, `at` its time.
    init(stored data: [String: String], text: String, at: Date) {
        self.init(
            commandLine: text, startedAt: at,
            durationMs: data["durationMs"].flatMap { Int($0) } ?? 0,
            exitStatus: data["exitStatus"].flatMap { Int32($0) },
            signal: data["signal"].flatMap { Int32($0) }, startError: data["error"],
            outputTail: data["output"] ?? "",
            outputBytes: data["outputBytes"].flatMap { Int($0) } ?? 0,
            outputTruncated: data["outputTruncated"] == "true", directory: data["directory"],
            step: data["step"].flatMap { Int($0) })
    }
}
