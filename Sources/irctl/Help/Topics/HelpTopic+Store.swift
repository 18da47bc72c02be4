extension HelpTopic {
    static let store = HelpTopic(
        name: "store", title: "The store",
        summary: "where the store is, its files, how writes and the cache work",
        text: #"""
            **Where.** The first that applies: `--dir DIR`; `IRCTL_DIR`; the nearest `.irctl/`
            found walking up from the current directory (like git); else a per-user store in
            `$XDG_DATA_HOME/irctl` (`~/.local/share/irctl`), created on first write. `irctl
            init` creates `.irctl/` in the current directory for a team repository. An empty
            `--dir ''` is a usage error (an empty `IRCTL_DIR` counts as unset), and `/` is never
            a store. A `.irctl/` found walking up that belongs to another user is refused, as
            git refuses such a repository: list the ones you trust in `IRCTL_SAFE_DIRECTORIES`
            (paths separated by `:`, or `*`), or name it with `--dir`. A store reached through a
            symbolic link is used at the place the link points to, by every command alike; an
            `incidents/` that is a symbolic link is refused by every command.

            **Layout** (store format 3):

            ```
            .irctl/
              config.json                          settings (all optional)
              .gitignore                           keeps the local items below out of git
              incidents/<uid>/<replica>.json       one clone's first entries of one incident
              incidents/<uid>/<replica>.<n>.json   its entries from number n on (a later segment)
              local/replica                        this clone's replica id (local, made on first w\#
            rite)
              local/state                          the highest number this clone handed out (local)
              local/heads/<uid>                    this clone's last entry of the incident (local)
              local/segments                       the segments still open: started since git last
                                                   touched its index (local)
              local/approved                       update commands this clone approved (local)
              lock                                 the write lock (flock), local
              cache/                               summary index, local and rebuildable
            ```

            In a git work tree `local/` and `cache/` are not in the store but in the git
            directory, where no checkout writes: `.git/irctl/.irctl/local/` and
            `.git/irctl/.irctl/cache/` for `.irctl/` (see `irctl help security`).

            An incident is a directory named from its `uid` (never from its number). Each clone
            of the store (a *replica*, with a random 16-hex-digit id in `local/replica`, which
            git does not track) writes only its own files in it, so two clones that changed the
            same incident changed different files, and git merges them without asking anyone. A
            clone's chain of entries of an incident lies in one or more *segments*; a segment is
            never written again once git may have seen it (see `irctl help team`). A segment
            file is

            ```json
            {
              "entries": [
                {
                  "at": "2026-11-21T14:02:00Z",
                  "author": "alice",
                  "data": { "claim": "7", "severity": "SEV2", "title": "Checkout 5xx", "to": "dete\#
            ct", … },
                  "hash": "9c1f…",
                  "kind": "phase",
                  "parents": [],
                  "recordedAt": "2026-11-21T14:02:00Z",
                  "seq": 1,
                  "text": "Detected: Checkout 5xx"
                }
              ],
              "incident": "<uid>",
              "replica": "<replica id>",
              "schemaVersion": 3
            }
            ```

            and a later segment also has `"previous"`, the hash of the chain's entry before its
            first, so each segment verifies on its own and a missing one is named. A format-2
            file is the same with `"schemaVersion": 2` and is read as the first segment of its
            chain.

            pretty-printed with sorted keys, written by irctl's own JSON writer so the bytes
            depend only on the content. **An incident is the projection of its entries**: every
            change (title, severity, phase, roles, services, tags, links, narrative, action
            items, checklist, times) is an entry whose `data` says all it changed, and the
            incident is what applying all entries of all its files gives, in one order: every
            entry after the entries it had seen (its `parents`, and the entry before it in its
            own file), and among entries free to go next, the earliest `recordedAt`, then the
            smallest hash. The same entries give the same incident, byte for byte in `show
            --json`, on every clone. How concurrent changes are decided is in `irctl help team`.

            **Stores of format 1** (`incidents/INC-<n>.json`, written by irctl before format 2)
            are read as they are, and converted the first time this irctl writes to the store,
            under the lock: each file becomes `incidents/<uid>/legacy-<12 hex digits>.json`,
            holding its timeline exactly as it was (every field, every hash: old entries still
            verify with the version-1 rule) and one last `migrated` entry that carries the rest
            of its state, unknown fields included. The conversion depends only on the file, so a
            file an older teammate pushes again later is converted again to the same bytes, and
            a version of it with more entries adds just those.

            **`config.json`**: see `irctl help config`.

            **How writes work.** Every change is a read-modify-write under an exclusive `flock`
            on `lock`: read the incident's files, apply the change, write this clone's file to a
            temporary file in the same directory, `fsync`, `rename` over the old file, `fsync`
            the directory. Readers never lock and never change an incident. A write that would
            make a file larger than the 32 MiB irctl reads is refused, so irctl never writes
            what it would then refuse. Once the incident file is in place the change is stored:
            if updating the cache afterwards fails (a full disk, an unwritable `cache/`), the
            command still succeeds, with a warning saying so. Numbers are handed out after the
            highest number any incident of the store holds and after the highest this clone ever
            handed out (`local/state`), so a number is never reused, even when its incident's
            files are gone. Fields a newer irctl wrote are kept when an older one rewrites a
            file; a file with a newer `schemaVersion` is read-only for an older irctl. Store
            files are read strictly: a file that is not a regular file (a FIFO, a device) is
            refused without being opened for reading, and so is JSON with a duplicate key (two
            readers would otherwise see two different entries), a number out of range or nesting
            deeper than 64 levels.

            **The cache** (`cache/index`) makes `list` and `stats` fast at 10,000 incidents: one
            line per incident with the summary `list` needs and the identity of what it was made
            from (the incident directory's inode and change time, and for an open incident each
            of its files'). Every read compares those identities with the store: git and irctl
            replace files (which changes the directory), and an edit in place of an open
            incident changes its file, so a `git pull`, a hand edit or a restored backup is seen
            by the next command without being told; a stale or damaged line only means that
            incident's files are read instead. When a read finds stale lines (after a `git
            pull`) and the lock is free, it writes the cache back, so the cost of changed files
            is paid once. Delete `cache/` at will.
            """#)
}
