import Glibc
import IncidentKit

/// Runs the store's status update command: the update on its standard input, its own output on
/// irctl's stderr (stdout carries the update itself), no shell, and the user's environment plus
/// `IRCTL_INCIDENT`. Throws unless it exits 0.
enum HookRunner {
    static func run(
        _ hook: UpdateHook, payload: [UInt8], invocation: Invocation, id: IncidentID
    ) throws {
        var environment = invocation.system.environment
        environment["IRCTL_INCIDENT"] = id.description
        let ran = ChildProcess(
            hook.command, environment: environment, input: .bytes(payload),
            stdout: .standardError, stderr: .inherit
        ).run()
        let reason: String
        switch ran.status {
        case .exited(0): return
        case .couldNotStart(let code, let why): reason = code == ENOENT ? "command not found" : why
        case .exited, .signalled, .timedOut: reason = ran.status.summary
        }
        throw UpdateHookError.failed(program: hook.command[0], reason: reason)
    }
}
