import Foundation
import Glibc

/// The git hooks `irctl init` installs in a clone, so that plain `git pull` and `git push` keep
/// the promise `irctl sync` keeps: a number that reached the remote never changes.
///
/// - `post-merge` and `post-rewrite` (after a pull, a merge or a rebase) settle claims: a new
///   incident of this clone whose number the remote gave to another one gets the next free number.
/// - `pre-push` refuses a push that would publish a number the remote already gave to another
///   incident, and says to run `irctl sync`.
///
/// A hook the user already had is never lost: it is kept as `<name>.irctl-chained` and runs after
/// irctl's part, with the same arguments and input. Installing again updates irctl's part only.
public enum GitHooks {
    public static let names = ["post-merge", "post-rewrite", "pre-push"]
    static let marker = "# irctl hook: installed by 'irctl init'"
    /// Set in the environment of the git commands `irctl sync` runs: irctl's part of the hooks
    /// stands aside (sync settles and checks itself).
    public static let syncRunning = "IRCTL_SYNC_RUNNING"

    /// One hook's installation.
    public struct Installed: Hashable, Sendable {
        public var path: String
        /// The hook that was there before, now run after irctl's part (its new path).
        public var chained: String?
    }

    /// Installs the hooks in the repository that holds `store`; `irctl` is the executable the
    /// hooks run (found on `PATH` when it has moved). Returns nil outside a git work tree.
    public static func install(
        store: Store, irctl: String, environment: [String: String]
    ) throws -> [Installed]? {
        let git = Git(directory: store.root, environment: environment)
        let facts = try git.attempt([
            "rev-parse", "--is-inside-work-tree", "--show-prefix",
            "--path-format=absolute", "--git-path", "hooks",
        ])
        let lines = facts.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        guard facts.succeeded, lines.count >= 3, lines[0] == "true" else { return nil }
        var prefix = lines[1]
        if prefix.hasSuffix("/") { prefix.removeLast() }
        let hooks = lines[2]
        try FileSystem.makeDirectory(hooks)
        var installed: [Installed] = []
        for name in names {
            let path = hooks + "/" + name
            let existing = (try? FileSystem.read(path, limit: 1 << 20, what: "a git hook")).flatMap
            { $0 }
            var chained: String?
            if let existing, !String(decoding: existing, as: UTF8.self).contains(marker) {
                let target = path + ".irctl-chained"
                guard !FileSystem.exists(target) else {
                    throw SyncError.hookInTheWay(path: path, chained: target)
                }
                guard rename(path, target) == 0 else {
                    throw FileSystem.ioError(path, "move aside")
                }
                chained = target
            }
            let script = self.script(name: name, irctl: irctl, storePrefix: prefix)
            _ = try FileSystem.replace(directory: hooks, name: name, with: Array(script.utf8))
            guard chmod(path, 0o755) == 0 else { throw FileSystem.ioError(path, "make executable") }
            installed.append(Installed(path: path, chained: chained))
        }
        return installed
    }

    /// True when every hook is installed in the repository that holds `store`.
    public static func areInstalled(store: Store, environment: [String: String]) -> Bool {
        let git = Git(directory: store.root, environment: environment)
        guard
            let result = try? git.attempt([
                "rev-parse", "--path-format=absolute", "--git-path", "hooks",
            ]),
            result.succeeded
        else { return false }
        return names.allSatisfy { name in
            let bytes =
                (try? FileSystem.read(
                    result.output + "/" + name, limit: 1 << 20, what: "a git hook"))
            return bytes.flatMap { $0 }.map { String(decoding: $0, as: UTF8.self).contains(marker) }
                ?? false
        }
    }

    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The hook's text: irctl's part, then the chained hook, both given the same input.
    static func script(name: String, irctl: String, storePrefix: String) -> String {
        let input = name == "post-merge" ? "" : "input=$(cat)\n"
        let feed = name == "post-merge" ? "" : "printf '%s\\n' \"$input\" | "
        let quotedPrefix = quoted(storePrefix.isEmpty ? "." : storePrefix)
        return """
            #!/bin/sh
            \(marker)
            # Keeps incident numbers that reached the remote from moving (see 'irctl help \
            git-hook').
            # A hook that was here before runs after this part, as \(name).irctl-chained.
            irctl=\(quoted(irctl))
            [ -x "$irctl" ] || irctl=$(command -v irctl 2>/dev/null) || irctl=
            \(input)top=$(git rev-parse --show-toplevel) || exit 1
            if [ -n "$\(syncRunning)" ]; then
                :  # irctl sync is running this git command and settles itself
            elif [ -n "$irctl" ]; then
                \(feed)"$irctl" git-hook \(name) --dir "$top"/\(quotedPrefix) -- "$@" || exit $?
            else
                echo "irctl hook: irctl is not on PATH; incident numbers were not checked" >&2
            fi
            if [ -x "$0.irctl-chained" ]; then
                \(feed)"$0.irctl-chained" "$@" || exit $?
            fi
            exit 0

            """
    }
}
