import Foundation
import Glibc

/// Runs `/bin/sh -c script` for the tests that need a shell around irctl: a umask, a file-size
/// limit, a redirection to /dev/full, a pipe from `yes`, many processes at once. The script sees
/// the sandbox's environment plus `IRCTL`, the path of the built binary.
struct Shell {
    static func run(_ script: String, environment: [String: String], cwd: String,
                    timeout: Double = 60) throws -> RunResult {
        var environment = environment
        environment["IRCTL"] = Sandbox.binary
        let id = UUID().uuidString.prefix(8)
        let outPath = cwd + "/.sh-out-\(id)", errPath = cwd + "/.sh-err-\(id)"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A bounded wait: a hang is a failure with a message, never a stuck test run.
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        let timedOut = process.isRunning
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        var stderr = String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self)
        if timedOut { stderr += "\n[timed out after \(timeout)s]" }
        return RunResult(status: timedOut ? -1 : process.terminationStatus,
                         stdout: String(decoding: try Data(contentsOf: URL(fileURLWithPath: outPath)), as: UTF8.self),
                         stderr: stderr)
    }
}

extension Sandbox {
    /// Runs a shell script in the sandbox (see ``Shell``).
    @discardableResult
    func sh(_ script: String, env: [String: String] = [:], timeout: Double = 60) throws -> RunResult {
        try Shell.run(script, environment: environment.merging(env) { $1 }, cwd: root, timeout: timeout)
    }

    /// The bytes of a file, for "never overwritten" checks.
    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Names in the incidents directory, temporary files included.
    func incidentDirectoryNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: store + "/incidents").sorted()
    }
}
