import IncidentKit

/// `irctl git-hook NAME`: what the git hooks `irctl init` installs run.
enum GitHookCommand {
    static let command = Command(
        name: "git-hook", summary: "run by the git hooks irctl init installs (not for typing)",
        arguments: [
            .required("HOOK", .words(["post-merge", "post-rewrite", "pre-push"])),
            .repeating("-- HOOK-ARGUMENTS", optional: true),
        ],
        discussion: """
            irctl init, in a git work tree, installs three git hooks so that plain 'git pull' and
            'git push' keep the promise 'irctl sync' keeps: a number that reached the remote never
            changes. post-merge and post-rewrite (after a pull, merge or rebase) give a new incident
            of yours whose number the remote already gave to another incident the next free number,
            as an entry left for your next commit or sync. pre-push refuses a push that would
            publish such a number and says to run 'irctl sync'. A hook you already had is kept as
            <name>.irctl-chained and runs after irctl's part. The hooks run this command; you never
            need to.
            """,
        json: false,
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        guard let name = invocation.positionals.first, GitHooks.names.contains(name) else {
            throw UsageError(
                "git-hook needs the hook's name: " + GitHooks.names.joined(separator: ", "))
        }
        let environment = invocation.system.environment
        switch name {
        case "pre-push":
            let input = String(decoding: try invocation.system.readInput(1 << 20), as: UTF8.self)
            let collisions: [PublishedNumberCollision]
            do {
                collisions = try GitHookActions.collisions(
                    store: invocation.store, environment: environment,
                    input: input)
            } catch {
                // irctl's own trouble never blocks a push: say so and let git go on.
                invocation.output.warning(
                    "could not check incident numbers before the push: "
                        + ((error as? any DescribedError)?.message ?? String(describing: error)))
                return ExitCode.success
            }
            guard collisions.isEmpty else { throw SyncError.pushTakesPublishedNumbers(collisions) }
        default:
            do {
                let config = try invocation.config()
                let moved = try GitHookActions.settle(
                    store: invocation.store, environment: environment,
                    context: try invocation.editContext(config: config))
                for move in moved {
                    invocation.output.note(
                        "irctl: \(move.from) renumbered \(move.to): the remote gave \(move.from) "
                            + "to another incident first. Run 'irctl sync' (or commit .irctl) "
                            + "before you push"
                    )
                }
            } catch {
                invocation.output.warning(
                    "could not settle incident numbers after git \(name): "
                        + ((error as? any DescribedError)?.message ?? String(describing: error))
                        + "; run 'irctl sync' before you push")
            }
        }
        return ExitCode.success
    }
}
