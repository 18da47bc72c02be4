import Foundation
import Glibc
import Testing

/// A team in a temporary directory: a bare remote and clones of it, each with the store in
/// `.irctl/`, and the real `git` and the built `irctl` run in them as responders would.
///
/// git sees a private `HOME` and no system config, so the machine's git settings do not leak in;
/// each clone's irctl runs as its own `IRCTL_USER`. Every process is bounded by a timeout.
final class GitTeam {
    let root: String
    var remote: String { root + "/remote.git" }
    let environment: [String: String]

    init() throws {
        root =
            FileManager.default.temporaryDirectory.path + "/irctl-team-"
            + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(
            atPath: root + "/home", withIntermediateDirectories: true)
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": root + "/home",
            "XDG_CONFIG_HOME": root + "/home/.config",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
            "TZ": "UTC",
            "LANG": "C.UTF-8",
            "IRCTL_LOCK_TIMEOUT": "30",
        ]
        try git(["init", "--quiet", "--bare", "--initial-branch=main", remote], in: root)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ clone: String) -> String { root + "/" + clone }
    func store(_ clone: String) -> String { path(clone) + "/.irctl" }
    /// The clone's own state (replica id, numbers handed out), inside its git directory.
    func localState(_ clone: String) -> String { path(clone) + "/.git/irctl/.irctl/local" }

    /// `git clone` of the remote into `name`.
    @discardableResult
    func clone(_ name: String) throws -> String {
        try git(["clone", "--quiet", remote, path(name)], in: root)
        return path(name)
    }

    /// A clone whose first responder creates the store with one incident and publishes it.
    func founding(_ name: String, user: String, title: String = "Checkout returns 5xx") throws {
        try clone(name)
        try irctl(["init"], in: name, user: user)
        try irctl(["declare", title, "-s", "SEV2"], in: name, user: user)
        try irctl(["sync"], in: name, user: user)
    }

    // MARK: Running

    /// Runs git in `directory` (a clone's name, or a path); requires exit 0 unless `check` is
    /// false.
    @discardableResult
    func git(
        _ arguments: [String], in directory: String, check: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> RunResult {
        let result = try run(
            ["git"] + arguments, cwd: directory.hasPrefix("/") ? directory : path(directory))
        if check {
            #expect(
                result.status == 0,
                "git \(arguments.joined(separator: " ")) failed: \(result.stderr)",
                sourceLocation: sourceLocation)
        }
        return result
    }

    /// Runs irctl in clone `name` as `user` (the store is found by walking up, as for a person);
    /// requires exit 0 unless `check` is false.
    @discardableResult
    func irctl(
        _ arguments: [String], in name: String, user: String, env: [String: String] = [:],
        check: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> RunResult {
        let result = try run(
            [Sandbox.binary] + arguments, cwd: path(name),
            env: ["IRCTL_USER": user].merging(env) { $1 })
        if check {
            #expect(
                result.status == 0,
                "[\(name)] irctl \(arguments.joined(separator: " ")) failed: \(result.stderr)",
                sourceLocation: sourceLocation)
        }
        return result
    }

    /// Starts `arguments` in `cwd` without waiting; see ``wait(_:)``.
    func start(_ arguments: [String], cwd: String, env: [String: String] = [:]) throws -> Running {
        let id = UUID().uuidString.prefix(8)
        let running = Running(pid: 0, out: root + "/.out-\(id)", err: root + "/.err-\(id)")
        // env -C: the child starts in cwd with a clean signal state (Shell.spawn).
        let pid = try Shell.spawn(
            ["/usr/bin/env", "-C", cwd] + arguments, environment: environment.merging(env) { $1 },
            stdout: running.out, stderr: running.err)
        return Running(pid: pid, out: running.out, err: running.err)
    }

    struct Running {
        var pid: pid_t
        var out: String
        var err: String
    }

    /// Waits for a started process (at most `timeout` seconds, then it is killed).
    func wait(_ running: Running, timeout: Double = 120) -> RunResult {
        let status = Shell.wait(running.pid, timeout: timeout)
        defer {
            unlink(running.out)
            unlink(running.err)
        }
        var stderr = String(
            decoding: (try? Data(contentsOf: URL(fileURLWithPath: running.err))) ?? Data(),
            as: UTF8.self)
        if status == nil { stderr += "\n[timed out after \(timeout)s]" }
        return RunResult(
            status: status ?? -1,
            stdout: String(
                decoding: (try? Data(contentsOf: URL(fileURLWithPath: running.out))) ?? Data(),
                as: UTF8.self),
            stderr: stderr)
    }

    func run(_ arguments: [String], cwd: String, env: [String: String] = [:]) throws -> RunResult {
        wait(try start(arguments, cwd: cwd, env: env))
    }

    // MARK: Looking at clones

    /// Every file under the clone's store that git tracks (local state, lock and cache excluded),
    /// by path relative to the store, with its bytes.
    func storeFiles(_ name: String) throws -> [String: Data] {
        let listed = try git(["ls-files", "-z", "--", ".irctl"], in: name).stdout
        var files: [String: Data] = [:]
        for path in listed.split(separator: "\0") {
            files[String(path)] = try Data(
                contentsOf: URL(fileURLWithPath: self.path(name) + "/" + path))
        }
        return files
    }

    /// Files in the store directory on disk that git does not ignore (must all be tracked).
    func untrackedOrModified(_ name: String) throws -> String {
        try git(["status", "--porcelain", "--untracked-files=all"], in: name).stdout
    }

    /// The tree object of the store at HEAD: equal trees mean byte-identical store files.
    func storeTree(_ name: String) throws -> String {
        try git(["rev-parse", "HEAD:.irctl"], in: name).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    func isMidMerge(_ name: String) throws -> Bool {
        try git(["rev-parse", "-q", "--verify", "MERGE_HEAD"], in: name, check: false).status == 0
    }

    /// `irctl list --all --json` parsed: one dictionary per incident.
    func incidents(_ name: String) throws -> [[String: Any]] {
        let out = try irctl(["list", "--all", "--json"], in: name, user: "reader").stdout
        return try #require(try Sandbox.json(out) as? [[String: Any]])
    }

    /// `irctl show ID --json` parsed.
    func show(_ id: String, in name: String) throws -> [String: Any] {
        let out = try irctl(["show", id, "--json"], in: name, user: "reader").stdout
        return try #require(try Sandbox.json(out) as? [String: Any])
    }
}
