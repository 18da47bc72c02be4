import Foundation
import Glibc

/// Runs the `git` executable as a child process: no shell, the arguments as an array, stdout and
/// stderr captured, the exit status returned. Everything in irctl that talks to git goes through
/// this one type, so git stays at arm's length.
///
/// git runs with `LC_ALL=C` (messages parse the same everywhere), `GIT_TERMINAL_PROMPT=0` and no
/// editor or pager: it never waits for a person. Credentials helpers and SSH keys configured by
/// the user still work, since the rest of the environment is passed on.
public struct Git: Sendable {
    /// The environment git runs in (and whose `PATH` finds it).
    public var environment: [String: String]
    /// The repository directory every command runs in (`git -C directory …`).
    public var directory: String

    public init(directory: String, environment: [String: String]) {
        self.directory = directory
        self.environment = environment
    }

    /// What one git command did.
    public struct Result: Sendable {
        public var status: Int32
        /// stdout's bytes as git wrote them (file contents from `cat-file` are not always text).
        var stdoutBytes: [UInt8]
        public var stderr: String
        public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
        public var succeeded: Bool { status == 0 }
        /// stdout without its trailing newline.
        public var output: String {
            stdout.hasSuffix("\n") ? String(stdout.dropLast()) : stdout
        }
        /// stdout's non-empty lines.
        public var lines: [String] {
            stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }
    }

    /// Runs `git -C directory arguments…` and returns what it did, whatever its exit status.
    /// Throws only when git cannot be started at all.
    public func attempt(_ arguments: [String], input: [UInt8]? = nil) throws(GitError) -> Result {
        guard let executable = Self.find("git", path: environment["PATH"]) else {
            throw .notInstalled(path: environment["PATH"] ?? "")
        }
        return try Self.spawn(
            [executable, "-C", directory] + arguments, environment: childEnvironment, input: input)
    }

    /// Runs `git -C directory arguments…` and returns its output; a non-zero exit is a
    /// ``GitError/failed(arguments:status:message:)`` carrying git's own message.
    @discardableResult
    public func run(_ arguments: [String], input: [UInt8]? = nil) throws(GitError) -> Result {
        let result = try attempt(arguments, input: input)
        guard result.succeeded else {
            throw .failed(
                arguments: arguments, status: result.status, message: Self.message(of: result))
        }
        return result
    }

    /// git's explanation of a failure: stderr's meaningful lines (else stdout's), on one line.
    public static func message(of result: Result) -> String {
        let text = result.stderr.isEmpty ? result.stdout : result.stderr
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("hint:") }
        let joined = lines.prefix(6).joined(separator: " / ")
        return joined.isEmpty ? "exit status \(result.status)" : joined
    }

    var childEnvironment: [String: String] {
        var env = environment
        env["LC_ALL"] = "C"
        env["LANGUAGE"] = "C"
        env["GIT_TERMINAL_PROMPT"] = "0"
        // Never an editor or a pager: irctl gives every message itself and reads every output.
        env["GIT_EDITOR"] = "true"
        env["GIT_SEQUENCE_EDITOR"] = "true"
        env["GIT_MERGE_AUTOEDIT"] = "no"
        env["GIT_PAGER"] = "cat"
        env["PAGER"] = "cat"
        // SSH asks on the terminal for a passphrase or a host key; in batch mode it fails instead,
        // and an unreachable host fails after a while rather than never.
        if env["GIT_SSH_COMMAND"] == nil, env["GIT_SSH"] == nil {
            env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=20"
        }
        return env
    }

    /// The first executable `name` on `path` (a `PATH` value), like a shell finds it.
    static func find(_ name: String, path: String?) -> String? {
        for directory in (path ?? "").split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = directory + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0, st.st_mode & S_IFMT == S_IFREG,
                access(candidate, X_OK) == 0
            {
                return candidate
            }
        }
        return nil
    }

    /// Runs git with `input` on its stdin (end of input at once when nil) and both outputs
    /// captured.
    private static func spawn(
        _ arguments: [String], environment: [String: String], input: [UInt8]?
    ) throws(GitError) -> Result {
        let ran = ChildProcess(
            arguments, environment: environment, searchPath: false, input: .bytes(input ?? [])
        ).run()
        let stderr = String(decoding: ran.stderr, as: UTF8.self)
        switch ran.status {
        case .couldNotStart(let code, _) where code == ENOENT:
            throw .notInstalled(path: environment["PATH"] ?? "")
        case .couldNotStart(_, let reason):
            throw .cannotStart(reason: reason)
        case .exited, .signalled, .timedOut:
            return Result(status: ran.status.shellStatus, stdoutBytes: ran.stdout, stderr: stderr)
        }
    }
}
