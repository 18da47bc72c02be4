import Foundation
import Glibc
import IncidentKit
import Testing

/// Many writers and readers at once: no update lost, order kept, no torn reads.
@Suite struct ConcurrencyProofTests {
    @Test(.timeLimit(.minutes(5)))
    func fiftyWritersTimesTwentyAppendsWhileReadersLoopWithTheDefaultTimeout() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Shared incident"])
        let initial = try #require((try box.incidentJSON(1)["timeline"] as? [Any])?.count)
        // Readers loop on `show --json` until the writers are done; irctl itself parses the file,
        // so a torn read would be a non-zero exit. Writers run 20 appends each, in order.
        let script = #"""
            reader() {
                n=0
                while [ ! -e stop ]; do
                    "$IRCTL" show 1 --json > /dev/null 2>> reader-errors || echo "reader $1 \#
            failed" >> bad
                    n=$((n + 1))
                    sleep 0.05  # leave the two cores to the writers
                done
                echo "$n" > "reads-$1"
            }
            writer() {
                i=1
                while [ "$i" -le 20 ]; do
                    "$IRCTL" log 1 "w$1-$i" > /dev/null 2>> writer-errors || echo "writer $1 \#
            failed at $i" >> bad
                    i=$((i + 1))
                done
            }
            rm -f stop bad
            reader 1 & r1=$!
            reader 2 & r2=$!
            pids=""
            w=1
            while [ "$w" -le 50 ]; do writer "$w" & pids="$pids $!"; w=$((w + 1)); done
            for p in $pids; do wait "$p"; done
            touch stop
            wait "$r1" "$r2"
            cat bad 2>/dev/null
            cat reader-errors writer-errors 2>/dev/null | head -5
            echo "reads $(cat reads-1) $(cat reads-2)"
            """#
        // The default lock timeout (5 s), on however many cores the machine has: waiting writers
        // queue in the kernel for the lock, so none of them starves while the others take turns.
        // Waiting in the kernel's queue hands the lock on at the pace of the scheduler: on two busy
        // cores the 1,000 appends take over a minute, so the harness gives the script room.
        let result = try box.sh(script, timeout: 280)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("reads "), "failures: \(result.stdout)")
        let reads =
            lines.last.map { $0.split(separator: " ").dropFirst().compactMap { Int($0) } } ?? []
        #expect(
            reads.count == 2 && reads.allSatisfy { $0 > 0 },
            "the readers must actually have read: \(reads)")

        let incident = try Store(root: box.store).load(IncidentID(number: 1)!)
        #expect(incident.timeline.count == initial + 1000)
        var perWriter: [Int: [Int]] = [:]
        for entry in incident.timeline.dropFirst(initial) {
            let parts = entry.text.dropFirst().split(separator: "-")
            if parts.count == 2, let w = Int(parts[0]), let i = Int(parts[1]) {
                perWriter[w, default: []].append(i)
            }
        }
        #expect(perWriter.count == 50)
        for (writer, order) in perWriter {
            #expect(
                order == Array(1...20),
                "writer \(writer)'s entries are out of order or missing: \(order)")
        }
        let verified = try box.run(["verify", "1"])
        #expect(verified.status == 0)
        #expect(verified.stdout.contains("\(initial + 1000) entries"))
        #expect(
            try box.incidentDirectoryNames() == [box.ownFileName],
            "no temporary file is left behind")
    }

    @Test(.timeLimit(.minutes(5)))
    func twentySimultaneousDeclaresGetTwentyDistinctIds() throws {
        let box = try Sandbox()
        let script = #"""
            i=1
            pids=""
            while [ "$i" -le 20 ]; do "$IRCTL" declare "Outage $i" & pids="$pids $!"; i=$((i + \#
            1)); done
            for p in $pids; do wait "$p"; done
            """#
        let result = try box.sh(script, env: ["IRCTL_LOCK_TIMEOUT": "60"])
        #expect(result.status == 0)
        let ids = result.stdout.split(separator: "\n").compactMap {
            $0.split(separator: " ").first.map(String.init)
        }
        #expect(ids.count == 20, "\(result.stdout)\n\(result.stderr)")
        #expect(Set(ids) == Set((1...20).map { "INC-\($0)" }))
        let listed = try #require(
            try Sandbox.json(try box.ok(["list", "--json"])) as? [[String: Any]])
        #expect(
            Set(listed.compactMap { $0["title"] as? String })
                == Set((1...20).map { "Outage \($0)" }))
    }
}
