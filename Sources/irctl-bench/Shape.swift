import Foundation
import IncidentKit

/// One store shape and the repositories kept for it between runs, under `<store>/<shape>/`:
///
///     gen/          the generator's work tree: the store written through IncidentKit, committed
///     remote.git    the local bare remote it was pushed to
///     bench/        the benchmark's clone (`git clone`, then `irctl init`): every timing runs here
///     other/        a second `git clone` of the remote: the teammate whose pushes are pulled
///     home/         HOME of every command (no git or irctl configuration)
///     ready         the shape's marker: absent or different means rebuild
struct Shape {
    let incidents: Int
    let entries: Int
    let open: Int
    let base: String

    var name: String {
        (incidents % 1000 == 0 ? "\(incidents / 1000)k" : "\(incidents)") + ", \(open)% open"
    }
    var dir: String { base + "/\(incidents)x\(entries)-open\(open)" }
    var gen: String { dir + "/gen" }
    var remote: String { dir + "/remote.git" }
    var bench: String { dir + "/bench" }
    var other: String { dir + "/other" }
    var home: String { dir + "/home" }
    var marker: String { dir + "/ready" }
    var signature: String { "incidents=\(incidents) entries=\(entries) open=\(open) layout=2\n" }
}

extension Bench {
    /// Makes the shape's repositories unless they are there from an earlier run, and brings the
    /// benchmark clone to a settled state: hooks for this binary, nothing left to send.
    func prepare(_ shape: Shape) {
        let fm = FileManager.default
        let ready =
            readText(shape.marker) == shape.signature
            && [shape.gen, shape.remote, shape.bench + "/.irctl", shape.other]
                .allSatisfy(fm.fileExists)
        if !ready {
            let started = Date()
            say(
                "building \(shape.incidents) incidents × \(shape.entries) entries, "
                    + "\(shape.open)% open, "
                    + "in \(shape.dir) (generate, commit, push, clone)…")
            try? fm.removeItem(atPath: shape.dir)
            for path in [shape.gen, shape.home] {
                do {
                    try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
                } catch { fail("could not create \(path): \(error)") }
            }
            do {
                try generateStore(
                    at: shape.gen + "/.irctl", incidents: shape.incidents,
                    entries: shape.entries, openPercent: shape.open)
            } catch { fail("could not generate the store: \(error)") }
            say(
                "  generated in \(Int(Date().timeIntervalSince(started))) s; "
                    + "committing and pushing…")
            git(
                "git init -q -b main . && git add -A .irctl && "
                    + "git commit -q -m 'A store of \(shape.incidents) incidents' && "
                    + "git init -q --bare -b main ../remote.git && "
                    + "git remote add origin ../remote.git && "
                    + "git push -q -u origin main", in: shape.gen, shape)
            git(
                "git clone -q remote.git bench && git clone -q remote.git other",
                in: shape.dir, shape)
            must(irctl(["init"], in: shape.bench, shape), "irctl init in \(shape.bench)")
            // The clone's first list builds its cache; the `fresh` scenario times that separately.
            must(irctl(["list"], in: shape.bench, shape), "the first irctl list in \(shape.bench)")
            put(shape.marker, Array(shape.signature.utf8))
            say("  ready in \(Int(Date().timeIntervalSince(started))) s")
        }
        // Hooks that call this binary, and nothing pending from an earlier run.
        must(irctl(["init"], in: shape.bench, shape), "irctl init in \(shape.bench)")
        settle(shape)
    }

    /// An untimed `irctl sync` in the benchmark clone: sends what earlier steps left.
    func settle(_ shape: Shape) {
        must(irctl(["sync"], in: shape.bench, shape), "irctl sync in \(shape.bench)")
    }

    func git(_ command: String, in directory: String, _ shape: Shape) {
        shell(command, in: directory, home: shape.home, timeout: options.timeout)
    }
}
