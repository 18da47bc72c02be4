import Foundation
import Glibc

/// How one command went: wall time in milliseconds and exit status (128 + signal when killed).
struct Outcome {
    var ms: Double
    var status: Int32
}

/// Kills a child that outlives the timeout; the wait itself stays a plain blocking `waitpid`, so
/// the timing has no polling in it.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var running: pid_t = 0

    func watch(_ pid: pid_t, seconds: Double) {
        lock.withLock { running = pid }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            lock.withLock {
                if running == pid {
                    say("killing pid \(pid): it ran over \(Int(seconds)) s")
                    kill(pid, SIGKILL)
                }
            }
        }
    }

    func done() { lock.withLock { running = 0 } }
}

let watchdog = Watchdog()

/// Runs a process to its end: `argv[0]` is looked up in PATH; stdin is /dev/null, stdout and
/// stderr go to the files named (default /dev/null); `cwd` is the directory it runs in.
func spawn(
    _ argv: [String], cwd: String, environment: [String], timeout: Double,
    stdout: String = "/dev/null", stderr: String = "/dev/null"
) -> Outcome {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = environment.map { strdup($0) } + [nil]
    defer { for pointer in cArgv + cEnv { free(pointer) } }
    // The bench is single-threaded where it spawns: changing its own directory around the spawn
    // is the portable way to start the child there.
    let previous = FileManager.default.currentDirectoryPath
    guard chdir(cwd) == 0 else { fail("no directory \(cwd)") }
    defer { _ = chdir(previous) }
    var begin = timespec()
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &begin)
    var pid = pid_t()
    let spawned = posix_spawnp(&pid, argv[0], &actions, nil, cArgv, cEnv)
    guard spawned == 0 else {
        fail("could not start \(argv[0]): \(String(cString: strerror(spawned)))")
    }
    watchdog.watch(pid, seconds: timeout)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    watchdog.done()
    clock_gettime(CLOCK_MONOTONIC, &end)
    let ms = Double(end.tv_sec - begin.tv_sec) * 1000 + Double(end.tv_nsec - begin.tv_nsec) / 1e6
    let exited = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return Outcome(ms: ms, status: exited)
}

/// A place for the output of one command, removed by `cleanUp`.
let scratch = NSTemporaryDirectory() + "irctl-bench-\(getpid())"

func scratchFile(_ name: String) -> String {
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    return scratch + "/" + name
}

func cleanUp() { try? FileManager.default.removeItem(atPath: scratch) }

func readText(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

/// Who git says made the benchmark's commits (its HOME has no git configuration).
let gitIdentity = [
    "GIT_AUTHOR_NAME=bench", "GIT_AUTHOR_EMAIL=bench@example.com",
    "GIT_COMMITTER_NAME=bench", "GIT_COMMITTER_EMAIL=bench@example.com",
]

/// The environment every command runs in: a private HOME, UTC, a fixed user and git identity.
func environment(home: String) -> [String] {
    [
        "HOME=\(home)", "PATH=/usr/local/bin:/usr/bin:/bin", "TZ=UTC", "IRCTL_USER=bench", "LANG=C",
        "GIT_CONFIG_NOSYSTEM=1",
    ] + gitIdentity
}

/// A setup step (git, cp …): runs through /bin/sh and stops the benchmark if it fails, showing
/// what the command printed.
func shell(_ command: String, in directory: String, home: String, timeout: Double) {
    let log = scratchFile("setup.log")
    let result = spawn(
        ["/bin/sh", "-c", command], cwd: directory,
        environment: environment(home: home),
        timeout: timeout, stdout: log, stderr: log)
    guard result.status == 0 else {
        fail("setup failed (exit \(result.status)) in \(directory): \(command)\n\(readText(log))")
    }
}

/// Instructions of one run under callgrind: the `summary:` (or `totals:`) line of its output.
func instructions(_ argv: [String], cwd: String, environment: [String], timeout: Double) -> Int? {
    let out = scratchFile("callgrind.out")
    try? FileManager.default.removeItem(atPath: out)
    let result = spawn(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + argv,
        cwd: cwd, environment: environment, timeout: timeout * 60)
    guard result.status == 0 else { return nil }
    for line in readText(out).split(separator: "\n").reversed() {
        for key in ["summary: ", "totals: "] where line.hasPrefix(key) {
            return line.dropFirst(key.count).split(separator: " ").first.flatMap { Int($0) }
        }
    }
    return nil
}

/// Syscalls of one run and its children under `strace -c -f`: total calls and the top few.
struct Syscalls: Encodable {
    var total: Int
    var top: [String: Int]
    var topOrder: [String]

    var text: String {
        "\(total) (" + topOrder.prefix(3).map { "\($0) \(top[$0]!)" }.joined(separator: ", ") + ")"
    }
}

func syscalls(_ argv: [String], cwd: String, environment: [String], timeout: Double) -> Syscalls? {
    let out = scratchFile("strace.out")
    let result = spawn(
        ["strace", "-c", "-f", "-o", out] + argv, cwd: cwd, environment: environment,
        timeout: timeout * 10)
    guard result.status == 0 else { return nil }
    // Rows: % time, seconds, usecs/call, calls, [errors], syscall; the last row is "total".
    var counts: [(String, Int)] = []
    var total: Int?
    for line in readText(out).split(separator: "\n") {
        let fields = line.split(separator: " ")
        guard fields.count >= 5, Double(fields[0]) != nil, let calls = Int(fields[3]) else {
            continue
        }
        let name = String(fields.last!)
        if name == "total" { total = calls } else { counts.append((name, calls)) }
    }
    guard let total else { return nil }
    counts.sort { $0.1 > $1.1 }
    let top = Array(counts.prefix(5))
    return Syscalls(
        total: total, top: Dictionary(uniqueKeysWithValues: top),
        topOrder: top.map(\.0))
}

/// The load average (1, 5, 15 minutes), to show how busy the machine was.
func loadAverage() -> String {
    readText("/proc/loadavg").split(separator: " ").prefix(3).joined(separator: " ")
}

func isInstalled(_ program: String) -> Bool {
    ["/usr/bin/", "/bin/", "/usr/local/bin/"].contains {
        FileManager.default.isExecutableFile(atPath: $0 + program)
    }
}
