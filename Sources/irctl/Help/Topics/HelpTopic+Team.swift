extension HelpTopic {
    static let team = HelpTopic(
        name: "team", title: "Working as a team",
        summary: "sharing a store through git: sync, hooks, numbers, what git can undo",
        text: #"""
            A store inside a git repository is shared through that repository: each responder
            works in their own clone, offline if need be, and `irctl sync` (or plain `git pull`
            / `git push`) exchanges the incidents. There is no server of irctl's own, and nobody
            ever resolves a conflict in a store file: clones never write the same file.

            Two responders, one store, each offline for a while:

            ```console
            alice:~$ git clone -q /tmp/team/ops.git ops
            warning: You appear to have cloned an empty repository.
            alice:~/ops$ irctl init
            Initialized an incident store in /tmp/team/alice/ops/.irctl
            It is in the git work tree /tmp/team/alice/ops and ready for 'irctl sync', which commi\#
            ts the store (and only it) and shares it; nothing was committed yet
            Installed git hooks (post-merge, post-rewrite, pre-push) that keep published incident \#
            numbers from moving under plain git pull and push
            alice:~/ops$ irctl declare "Checkout returns 5xx" -s SEV2 --service checkout --command\#
            er alice
            INC-1 declared: SEV2 · Checkout returns 5xx · commander alice
            alice:~/ops$ irctl sync
            sent INC-1 declared
            bob:~$ git clone -q /tmp/team/ops.git ops
            bob:~/ops$ irctl init
            An incident store already exists in /tmp/team/bob/ops/.irctl; nothing changed
            It is in the git work tree /tmp/team/bob/ops and ready for 'irctl sync', which commits\#
             the store's changes (and only them) and shares them; the store is already committed t\#
            here, as it is now
            Installed git hooks (post-merge, post-rewrite, pre-push) that keep published incident \#
            numbers from moving under plain git pull and push
            bob:~/ops$ irctl list
            ID     SEV   PHASE    AGE  COMMANDER  SERVICES  TITLE
            INC-1  SEV2  declare  0s   alice      checkout  Checkout returns 5xx
            # Both work offline for a while.
            alice:~/ops$ irctl log INC-1 "pool exhausted: 20/20 connections in use"
            INC-1: logged note #3
            alice:~/ops$ irctl declare "Search latency" -s SEV3 --service search
            INC-2 declared: SEV3 · Search latency
            bob:~/ops$ irctl log INC-1 "rolled back to v2.3.1"
            INC-1: logged note #3
            bob:~/ops$ irctl declare "Login errors" -s SEV2 --service auth
            INC-2 declared: SEV2 · Login errors
            # Back online, each syncs.
            alice:~/ops$ irctl sync
            sent INC-1: 1 entry, INC-2 declared
            bob:~/ops$ irctl sync
            INC-1: 1 entry from alice; INC-2 declared by alice; INC-2 renumbered INC-3 (was a clai\#
            m that collided); sent INC-1: 1 entry, INC-3 declared
            alice:~/ops$ irctl sync
            INC-1: 1 entry from bob; INC-3 declared by bob
            bob:~/ops$ irctl list
            ID     SEV   PHASE    AGE  COMMANDER  SERVICES  TITLE
            INC-1  SEV2  declare  1s   alice      checkout  Checkout returns 5xx
            INC-3  SEV2  declare  1s   —          auth      Login errors
            INC-2  SEV3  declare  1s   —          search    Search latency
            bob:~/ops$ irctl show INC-1 | tail -5
            Timeline (4 entries)
              #1  04:37  alice  phase  Detected: Checkout returns 5xx
              #2  04:37  alice  phase  Declared SEV2 · commander alice · services checkout
              #3  04:37  bob    note   rolled back to v2.3.1
              #4  04:37  alice  note   pool exhausted: 20/20 connections in use
            bob:~/ops$ irctl show INC-3 | tail -4
            Timeline (3 entries)
              #1  04:37  bob  phase  Detected: Login errors
              #2  04:37  bob  phase  Declared SEV2 · services auth
              #3  04:37  bob  edit   Renumbered INC-2 → INC-3: INC-2 was published first by anothe\#
            r incident
            alice:~/ops$ irctl verify
            INC-1: ok, 4 entries, head e85d581961b819e94ca23b167ff3e87c16a911eddab0d718f158045dd27\#
            587ed
            INC-2: ok, 2 entries, head 528e9aa4b1896a1de869b6a0e5b10831faa9c798474ff9e666ad202bf32\#
            89bad
            INC-3: ok, 3 entries, head 57dee6ce995d058bb20fda63d6a99328af1e0c1f7e1ce4db718c6557a21\#
            f683e
            alice:~/ops$ git status --short
            alice:~/ops$ git ls-files .irctl
            .irctl/.gitignore
            .irctl/config.json
            .irctl/incidents/29721291-8944-481b-b404-cc071ad7e094/b1fb46509b7b9962.json
            .irctl/incidents/41c335aa-ee64-4812-ba29-3d4f2d14ff2c/cf335d8488a08fa0.json
            .irctl/incidents/7ba6f534-318e-4910-8e6d-a31cf1dc6c28/b1fb46509b7b9962.json
            .irctl/incidents/7ba6f534-318e-4910-8e6d-a31cf1dc6c28/cf335d8488a08fa0.json
            alice:~/ops$ git log --oneline --graph
            * b57efd4 irctl: renumber INC-2 as INC-3
            *   d656337 Merge remote-tracking branch 'origin/main'
            |\
            | * 88cd6ca irctl: INC-1 +1 entry, declare INC-2
            * | 7d99158 irctl: INC-1 +1 entry, declare INC-2
            |/
            * d861cf6 irctl: declare INC-1
            alice:~/ops$ irctl sync
            nothing to exchange
            ```

            Alice and Bob both declared an incident while offline, so both claimed `INC-2`.
            Alice published first, so hers keeps the number; Bob's sync renumbered his own,
            unpublished one to `INC-3`, said so, and recorded it in its timeline. Bob's incident
            keeps `INC-2` as an alias (answered wherever no other incident holds that number),
            and its uid prefix (`irctl show 41c335aa`) always finds it. The two notes to `INC-1`
            sit side by side, each in its writer's file. Both clones now hold the same bytes
            (the same git tree for `.irctl`), and `irctl verify` passes on both. (Run in
            `/tmp/team`, with a bare repository standing in for the team's remote and
            `IRCTL_USER` set per person.)

            ### Setting up

            ```sh
            cd ~/src/ops-repo                 # any git repository with a remote (or none yet)
            irctl init                        # creates .irctl/, prepares it for sync, installs gi\#
            t hooks
            irctl sync                        # commits the store, fetches, merges, pushes
            ```

            Every teammate runs `irctl init` once in their clone too (`git clone …`, then `irctl
            init`): the store is already there, and init installs the git hooks that make plain
            `git pull` and `git push` as safe as `irctl sync` (below). It does not commit:
            creating a store is a local act, and `irctl sync` commits it (and only it) when you
            share it. A clone's first write gives it its own replica id.

            The hooks are `post-merge`, `post-rewrite` and `pre-push` in the repository's hooks
            directory (`core.hooksPath` is respected). A hook you already had is kept as
            `<name>.irctl-chained` and runs after irctl's part with the same arguments and
            input; running `irctl init` again updates irctl's part only. They call `irctl
            git-hook NAME`; git never copies hooks into a clone, which is why each clone
            installs its own.

            ### What is in git (store format 3)

            ```
            .irctl/
              config.json                              settings (tracked)
              .gitignore                               keeps cache/, lock and local/ out of git (t\#
            racked)
              incidents/<uid>/<replica>.json           a clone's first entries of an incident (tra\#
            cked)
              incidents/<uid>/<replica>.<n>.json       the same clone's entries from number n on (\#
            tracked)
              incidents/<uid>/legacy-<12 hex>.json     an incident converted from format 1 (tracked)
              lock                                     the write lock (local)
            .git/irctl/.irctl/
              local/                                   this clone's replica id, highest number cla\#
            imed,
                                                       its last entry per incident, open segments,
                                                       approvals (never in a checkout)
              cache/                                   the rebuildable index
            ```

            An incident is a directory named after its uid (a UUID, never its `INC-` number).
            Each clone (a *replica*, with a random 16-hex-digit id made on its first write)
            writes only its own files in it, and a file git has seen is never written again:
            once a file was staged, committed or stashed (each of which rewrites git's index),
            the clone's next entry of that incident starts a new file, a *segment* named after
            the number of its first entry, which carries the hash of the entry before it. So two
            clones that worked on one incident changed different files, and two histories that
            carry the same segment carry the same bytes: git merges every way a team moves
            commits without a merge driver and without a conflict in a store file: merge,
            rebase, fast-forward, a hosting service's merge button, squash merge, cherry-pick, a
            branch merged again after it was squashed, rebase-and-merge, and a stash around a
            write. Outside a git repository a clone's entries of an incident stay in one file.
            Nothing derived (index, counters) is tracked.

            Older stores are read as they are: a format-2 file (`<replica>.json`,
            `schemaVersion` 2) is the first segment of its chain and is never rewritten; new
            entries go into new segments. A store of format 1 (`incidents/INC-<n>.json`) is
            converted on the first write, losing nothing, and a format-1 file that an older
            irctl pushes later is converted again. Upgrade everyone on a team together: an irctl
            that predates segments does not see them.

            Every change is an entry that names the entries its writer had seen (its parents);
            the incident shown is computed from the set of entries, so two clones with the same
            entries show the same incident, byte for byte in `show --json`.

            ### Concurrent changes

            A change made after seeing another wins over it. For changes made without seeing
            each other:

            | What | Which wins |
            |---|---|
            | severity | the more severe |
            | phase | a move back (the problem came back) or a reopen wins over a move forward or \#
            a close; otherwise the furthest phase |
            | services, tags, links | an addition wins over a concurrent removal |
            | everything else (title, roles, narrative, action items …) | the later write |

            Nothing is dropped from the timeline, and `show` names the change that lost ("bob
            set severity SEV3 while alice set SEV1; SEV1 kept").

            ### Incident numbers

            - A new incident claims the next number after the highest this clone knows. **A
              number that has reached the shared remote never changes**, whatever pushed it, in
              clones set up with `irctl init`.
            - `irctl sync` settles before it pushes: an incident of this clone whose number the
              remote already gave to another incident gets the next free number, recorded in its
              timeline, and you are told (`INC-2 renumbered INC-3`). The old number stays an
              alias.
            - With plain git, the hooks do the same: after `git pull` (merge or rebase) they
              renumber such an incident and say so (`irctl: INC-2 renumbered INC-3: …`), leaving
              the change for your next commit; `git push` refuses to publish a number the remote
              already gave to another incident and says to run `irctl sync`. A provisional
              number never reaches the remote.
            - Which claim keeps a number is decided by what the remote showed first: an incident
              this clone saw on the remote (its remote-tracking branch's reflog) while the other
              was not there was published first, whatever time either claim says it was made.
              Claims the remote has not shown are decided by the earlier claim, then by entry
              hash, the same on every clone.
            - In a sparse checkout, incidents the committed tree holds but the disk does not
              still hold their numbers: sync settles against them.
            - Any incident answers to `INC-7`, `7`, or a prefix of its uid (4 hex digits or
              more).
            - Action item numbers (A1, A2 …) are claims too: when two clones add an item to the
              same incident at once, the claim first in entry order keeps the number and the
              other shows the lowest free one, the same on every clone. `irctl sync` settles it
              like an incident number: an item whose number reached the remote keeps it; the
              unpublished one is renumbered by an entry (`Action item A1 renumbered A2: …`), and
              its old number still finds it where no other item has it. Entries name an item by
              its key, not its number: their stored text leaves the number out, and `show`,
              `show --json` and the postmortem print the number the item has now (the stored
              text is in `storedText` of `show --json` when it differs).

            **Without the hooks** (a clone where nobody ran `irctl init`, or `git push
            --no-verify`): a plain `git pull && git push` of an incident claimed offline can
            publish a number the remote already holds. Both incidents still list, distinctly and
            the same on every clone, one of them under a provisional number (`show` says
            "claimed INC-4, which another incident holds"), until the next `irctl sync` or hook
            run in any clone settles it: the incident the remote showed first keeps the number,
            if that clone saw the remote before the second arrived; a clone that never saw the
            remote without both (a fresh clone) falls back to the earlier claim. Until then, the
            provisional number shown for the other may differ from the one it finally gets. A
            hosting service's merge button runs no hooks either: an incident declared on a
            branch that collides with one already on the branch irctl syncs with is renumbered
            by the next clone that pulls (the incident the synced branch had first keeps the
            number). Numbers are published when they reach the branch irctl syncs with, not a
            feature branch. Everything else (no conflicts, no lost entries, convergence) holds
            with or without hooks.

            ### Entries removed by git

            irctl never removes an entry; git can (a `git revert` of a commit that added
            entries, a `reset`, a hand edit, a bad merge). `irctl sync` names every entry that
            the commits it brings in or sends out removed, with the commit and its subject;
            `irctl verify` does the same for the whole history of the branch (and fails). `irctl
            restore [INCIDENT]` writes them back from git history, with the same bytes and
            hashes; then `irctl sync` shares them. A clone also keeps its own last entry of each
            incident (in `local/`): if git took its latest entries away (a stash, a reset), its
            next entry follows them rather than reusing their numbers, says so, and `verify`
            names what is missing, so `git stash pop` or `irctl restore` makes the chain whole
            again.

            ### `irctl sync [--no-push] [--json]`

            1. Fetches the branch's upstream (else `origin`, else the only remote), whatever the
              branch is called (`main`, `master` …). Before the first push, a branch with no
              commit yet, or a remote with no branch yet, goes to the remote's default branch,
              the one `git clone` checks out. Before staging anything it checks that git knows
              your name and email (else it says which `git config --global user.name …` /
              `user.email …` to run) and that the branch can sync (not detached; a branch with
              no commit yet is refused when the remote already has history, rather than
              starting a second, unrelated one).
            2. Commits the store's changes, and only them: other staged or modified files of the
              repository are left as they are. The message says what changed (`irctl: INC-4 +3
              entries, declare INC-9`). This happens even when the fetch failed.
            3. Merges the upstream with a merge commit (never a rebase of your history). Steps 2
              to 4 hold the store lock, so irctl commands in other terminals wait a moment
              rather than race; the network steps do not.
            4. Renumbers this clone's unpublished claims that collided, and commits that
              (`irctl: renumber INC-7 as INC-10`).
            5. Pushes. If the push is rejected because someone pushed meanwhile, it fetches,
              merges and pushes again, up to 5 times. The first push to an empty remote sets
              the branch's upstream. Without a remote, sync commits and says so (`committed
              locally: … (no remote to push to)`).

            It prints one line of what came in, what moved and what went out, or `nothing to
            exchange`:

            ```
            INC-4: 3 entries from bob; INC-9 declared by carol; INC-7 renumbered INC-10 (was a cla\#
            im that collided); sent INC-1: 2 entries, INC-10 declared
            ```

            `--no-push` does steps 1 to 4 and publishes nothing (`committed locally, not pushed
            (--no-push): …`); the next `irctl sync` sends it. `--json` prints an object with
            `summary` (the line above), `branch`, `remote`, `upstream`, `pushed` (this sync
            pushed, and the push succeeded), `upToDate` (the remote has everything this clone
            has), `attempts` (push attempts), `commits` (the subjects of the commits made),
            `incoming` and `outgoing` (arrays of `{id, uid, title, declared, entries, authors}`:
            `entries` is how many entries arrived or left, `declared` whether the incident
            itself is new to the other side), `renumbered` (`{uid, from, to}`),
            `renumberedActionItems` (`{incident, uid, from, to}`), `converted` (format-1 files
            converted again), `removed` (entries that commits coming in or going out removed
            from the store: `{uid, commit, subject, file, seqs}`; each is also a warning on
            stderr, with `irctl restore` as the remedy), `sharedConfiguration` (files of the
            store's shared configuration that came in changed: `{file, keys}`, with `keys` the
            top-level settings of `config.json` that differ) and `warnings`. In the one-line
            summary the latter reads `shared configuration came in: config.json changed
            (updates); review it with 'git log -p' on those files`.

            Exit status: 0 when sync did its part, including when the remote could not be
            reached; 1 when it stopped (a conflict outside the store, a git failure other than
            the network, the push rejected 5 times); 2 for a usage error.

            **When git itself fails.** sync needs the `git` executable (a clear error names the
            `PATH` searched when it is missing) and a store inside a git work tree (else an
            error says how to make one). It runs git with prompts off, so it never hangs asking
            for a password:

            - *Network down, remote unreachable, authentication refused:* sync warns with git's
              own message, keeps your work committed locally, and exits 0. Fix git's access
              (VPN, `ssh-add`, a credential helper, the remote URL with `git remote -v`) and run
              `irctl sync` again; it picks up from there. You can check with `git fetch`
              yourself.
            - *A conflict in files outside the store* (someone changed the same line of a
              README): sync undoes the merge, so the repository is exactly as before (your
              incident changes stay committed), names the files and exits 1. Merge by hand (`git
              merge` of the upstream it names, such as `origin/main` or `origin/master`;
              resolve, commit), then run `irctl sync` again.
            - *Files staged outside the store*, or local edits to files the merge would touch:
              git will not merge over them, so sync names them and merges nothing (your incident
              changes stay committed); commit or stash those files, then sync again.
            - *A merge or rebase of your own is under way*, or HEAD is detached: sync refuses to
              start and says how to finish or abort it.

            sync never leaves the repository in the middle of a merge.
            """#)
}
