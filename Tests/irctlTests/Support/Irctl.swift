import Foundation
import Testing

/// What one run of the `irctl` binary did.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// A temporary store and a way to run the built `irctl` in it, exactly as a user would:
/// arguments, stdin, environment; stdout, stderr, exit status and the files written.
/// Each test makes its own, so tests run in parallel without sharing anything.
struct Sandbox: ~Copyable {
    let root: String
    var store: String { root + "/store" }
    /// The environment every run gets: a private HOME and store, UTC, a fixed author.
    var environment: [String: String]

    init() throws {
        let base =
            FileManager.default.temporaryDirectory.path + "/irctl-test-"
            + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        root = base
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": base + "/home",
            "IRCTL_DIR": base + "/store",
            "IRCTL_USER": "tester",
            "TZ": "UTC",
            "LANG": "C.UTF-8",
        ]
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Runs `irctl` with `arguments`; `stdin` is piped when given, else /dev/null.
    @discardableResult
    func run(
        _ arguments: [String], stdin: String? = nil, env: [String: String] = [:], cwd: String? = nil
    ) throws -> RunResult {
        try Self.run(
            arguments, stdin: stdin.map { Data($0.utf8) },
            environment: environment.merging(env) { $1 },
            cwd: cwd ?? root, scratch: root)
    }

    /// Convenience: `irctl` with words split on spaces, for simple calls.
    @discardableResult
    func run(_ line: String, stdin: String? = nil, env: [String: String] = [:]) throws -> RunResult
    {
        try run(line.split(separator: " ").map(String.init), stdin: stdin, env: env)
    }

    /// Runs and requires exit 0, returning stdout.
    @discardableResult
    func ok(
        _ arguments: [String], stdin: String? = nil, env: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let result = try run(arguments, stdin: stdin, env: env)
        #expect(
            result.status == 0,
            "irctl \(arguments.joined(separator: " ")) failed: \(result.stderr)",
            sourceLocation: sourceLocation)
        return result.stdout
    }

    /// The file this clone wrote for incident `number`: `incidents/<uid>/<replica>.json`, found by
    /// the entry that claimed the number (tests run one clone, so claims don't collide).
    func incidentFile(_ number: Int) -> String { Self.incidentFile(number, in: store) }

    /// The store's replica id: in `local/`, or in the git directory beside the store when the
    /// store is at the top of a git work tree.
    static func replica(of store: String) -> String {
        let parent = (store as NSString).deletingLastPathComponent
        let name = (store as NSString).lastPathComponent
        let inGit = parent + "/.git/irctl/" + name + "/local/replica"
        let text =
            (try? String(contentsOfFile: store + "/local/replica", encoding: .utf8))
            ?? (try? String(contentsOfFile: inGit, encoding: .utf8)) ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func incidentFile(_ number: Int, in store: String) -> String {
        let replica = replica(of: store)
        let incidents = store + "/incidents"
        for uid in (try? FileManager.default.contentsOfDirectory(atPath: incidents)) ?? [] {
            let path = incidents + "/" + uid + "/" + replica + ".json"
            guard let data = FileManager.default.contents(atPath: path),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let entries = object["entries"] as? [[String: Any]],
                let first = entries.first?["data"] as? [String: String]
            else { continue }
            if first["claim"] == String(number) { return path }
        }
        return incidents + "/no-file-for-INC-\(number)"
    }

    /// Incident `number` as `show --json` prints it: the projection of its entries.
    func incidentJSON(_ number: Int) throws -> [String: Any] {
        let result = try run(["show", String(number), "--json"])
        return try #require(
            JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            "\(result.stderr)")
    }

    /// The directory of incident `number`.
    func incidentDirectory(_ number: Int) -> String {
        (incidentFile(number) as NSString).deletingLastPathComponent
    }

    func readJSON(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Parses a run's stdout as JSON.
    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// Runs a program (not irctl) with `input` on stdin; returns its exit status.
    static func run(_ command: [String], viaShell input: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        pipe.fileHandleForWriting.write(Data(input.utf8))
        try pipe.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }

    // MARK: Process plumbing

    static let binary: String = {
        // Swift Testing: the built products sit beside the test bundle.
        var candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("irctl").path,
            Bundle.main.bundleURL.appendingPathComponent("irctl").path,
        ]
        let here = URL(fileURLWithPath: #filePath)
        let package = here.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/irctl").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? candidates[0]
    }()

    static func run(
        _ arguments: [String], stdin: Data?, environment: [String: String], cwd: String,
        scratch: String
    ) throws -> RunResult {
        let id = UUID().uuidString.prefix(8)
        let outPath = scratch + "/.out-\(id)"
        let errPath = scratch + "/.err-\(id)"
        let inPath = scratch + "/.in-\(id)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
            try? FileManager.default.removeItem(atPath: inPath)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        if !FileManager.default.fileExists(atPath: cwd) {
            try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        }
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            _ = FileManager.default.createFile(atPath: inPath, contents: stdin)
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return RunResult(
            status: process.terminationStatus,
            stdout: String(
                decoding: try Data(contentsOf: URL(fileURLWithPath: outPath)), as: UTF8.self),
            stderr: String(
                decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self))
    }
}
