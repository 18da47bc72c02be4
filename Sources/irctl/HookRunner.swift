import Glibc
import IncidentKit

/// Runs the store's status update command: the update on its standard input, its own output on
/// irctl's stderr (stdout carries the update itself), no shell, and the user's environment plus
/// `IRCTL_INCIDENT`. Throws unless it exits 0.
enum HookRunner {
    static func run(
        _ hook: UpdateHook, payload: [UInt8], invocation: Invocation, id: IncidentID
    ) throws {
        let program = hook.command[0]
        var input: [Int32] = [-1, -1]
        guard pipe(&input) == 0 else {
            throw UpdateHookError.failed(program: program, reason: String(cString: strerror(errno)))
        }
        for fd in input { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var environment = invocation.system.environment
        environment["IRCTL_INCIDENT"] = id.description
        let spawned = ChildProcess.spawn(hook.command, environment: environment, searchPath: true) {
            actions in
            posix_spawn_file_actions_adddup2(&actions, input[0], 0)
            posix_spawn_file_actions_adddup2(&actions, 2, 1)
        }
        close(input[0])
        let pid: pid_t
        switch spawned {
        case .success(let started): pid = started
        case .failure(let error):
            close(input[1])
            throw UpdateHookError.failed(
                program: program, reason: error.code == ENOENT ? "command not found" : error.reason)
        }
        var offset = 0
        while offset < payload.count {
            let written = payload.withUnsafeBytes {
                write(input[1], $0.baseAddress! + offset, payload.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break  // it stopped reading; its exit status says whether that was fine
            }
            offset += written
        }
        close(input[1])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw UpdateHookError.failed(program: program, reason: "lost track of it")
            }
        }
        let signal = status & 0x7F
        if signal != 0 {
            throw UpdateHookError.failed(
                program: program, reason: "killed by \(CommandRunner.signalName(signal))")
        }
        let code = (status >> 8) & 0xFF
        if code != 0 { throw UpdateHookError.failed(program: program, reason: "exit \(code)") }
    }
}
