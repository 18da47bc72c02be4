import Foundation
import Glibc
import TestSupport
import Testing

@testable import IncidentKit

/// The one runner under git, `exec` and the update hook, driven with real programs.
struct ChildProcessTests {
    let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]

    func sh(_ script: String, input: [UInt8] = [], timeout: Double? = nil) -> ChildProcess.Result {
        ChildProcess(
            ["sh", "-c", script], environment: environment, input: .bytes(input),
            timeout: timeout
        ).run()
    }

    @Test(arguments: [0, 1, 3, 255] as [Int32])
    func anExitStatusIsReportedAsItIs(_ code: Int32) {
        let result = sh("exit \(code)")
        #expect(result.status == .exited(code))
        #expect(result.status.shellStatus == code)
        #expect(result.status.succeeded == (code == 0))
        #expect(result.status.summary == "exit \(code)")
    }

    @Test(arguments: [SIGTERM, SIGKILL, SIGSEGV])
    func aSignalIsReportedAsTheSignal(_ signal: Int32) {
        let result = sh("kill -\(signal) $$")
        #expect(result.status == .signalled(signal))
        #expect(result.status.shellStatus == 128 + signal)
        #expect(!result.status.succeeded)
        #expect(result.status.summary == "killed by \(TerminationStatus.signalName(signal))")
    }

    @Test func aProgramNotFoundNeverStarts() {
        let result = ChildProcess(["irctl-no-such-program"], environment: environment).run()
        guard case .couldNotStart(let code, let reason) = result.status else {
            Issue.record("started: \(result.status)")
            return
        }
        #expect(code == ENOENT)
        #expect(reason == "No such file or directory")
        #expect(result.status.shellStatus == 127)
    }

    @Test func aFileThatIsNotAProgramNeverStarts() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("irctl-not-executable-\(UUID().uuidString)").path
        try Data("not a program\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = ChildProcess([path], environment: environment, searchPath: false).run()
        #expect(result.status == .couldNotStart(code: EACCES, reason: "Permission denied"))
        #expect(result.status.shellStatus == 126)
        #expect(
            ChildProcess([], environment: environment).run().status
                == .couldNotStart(code: ENOENT, reason: "no program given"))
    }

    @Test func outputIsCapturedApartAndInputIsFed() {
        let result = sh(
            "read line; echo \"out $line\"; echo \"err $line\" >&2; exit 4",
            input: Array("x\n".utf8))
        #expect(result.status == .exited(4))
        #expect(String(decoding: result.stdout, as: UTF8.self) == "out x\n")
        #expect(String(decoding: result.stderr, as: UTF8.self) == "err x\n")
    }

    @Test func largeOutputsAndInputMoveTogetherWithoutDeadlock() {
        // Far more than a pipe holds (64 KiB) each way: the child writes both outputs while its
        // input is still being fed, so a runner that did one at a time would hang.
        var generator = SplitMix64(seed: 17)
        let input = generator.bytes(3 * 1024 * 1024)
        let result = sh("head -c 2000000 /dev/zero >&2 & cat; wait", input: input)
        #expect(result.status == .exited(0))
        #expect(result.stdout == input)
        #expect(result.stderr.count == 2_000_000)
    }

    @Test func theEnvironmentIsTheGivenOneAlone() {
        let result = ChildProcess(
            ["sh", "-c", "echo \"$GREETING\"; echo \"${HOME-unset}\""],
            environment: environment.merging(["GREETING": "hello"]) { $1 }
        ).run()
        #expect(String(decoding: result.stdout, as: UTF8.self) == "hello\nunset\n")
    }

    @Test func aChildPastItsTimeoutIsKilled() {
        let result = sh("echo started; exec sleep 600", timeout: 1)
        #expect(result.status == .timedOut)
        #expect(result.status.shellStatus == 124)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "started\n")
    }

    @Test func somethingLeftRunningWithTheOutputsIsNotWaitedFor() {
        // The background sleep keeps stdout open after the shell exits; the run ends anyway
        // (without it, this test would take the whole sleep).
        let result = sh("sleep 20 & echo done")
        #expect(result.status == .exited(0))
        #expect(String(decoding: result.stdout, as: UTF8.self) == "done\n")
    }

    @Test func streamedOutputArrivesInOrderAndStoppingClosesThePipe() {
        var seen: [UInt8] = []
        let counted = ChildProcess(
            ["sh", "-c", "seq 1 20000; echo end >&2"], environment: environment,
            stdout: .stream, stderr: .stream
        ).run { stream, bytes in
            if stream == .stdout { seen += bytes }
            return true
        }
        #expect(counted.status == .exited(0))
        #expect(counted.stdout.isEmpty && counted.stderr.isEmpty, "streamed, not captured")
        let expected = (1...20000).map(String.init).joined(separator: "\n") + "\n"
        #expect(String(decoding: seen, as: UTF8.self) == expected)

        // `yes` writes forever: after the first bytes the reader goes away, as `| head` does.
        var chunks = 0
        let stopped = ChildProcess(["yes"], environment: environment, stdout: .stream).run { _, _ in
            chunks += 1
            return false
        }
        #expect(stopped.status == .signalled(SIGPIPE))
        #expect(chunks == 1)
    }
}
