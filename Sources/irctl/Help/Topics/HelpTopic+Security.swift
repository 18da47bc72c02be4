extension HelpTopic {
    static let security = HelpTopic(
        name: "security", title: "Security and reliability",
        summary: "redaction, what a teammate's push can do, verify, the hash-chain format",
        text: #"""
            Incident notes hold some of the most sensitive data a company has, are written in a
            hurry by several people at once, and become evidence afterwards. irctl promises:

            - **No lost notes.** Every change is a read-modify-write under an exclusive `flock`
              on the store's `lock` file; every file is replaced atomically (temporary file in
              the same directory, `fsync`, `rename`, `fsync` of the directory). A process killed
              at any instant leaves each incident file as it was or as it became, never torn.
              Readers (`list`, `show`, `verify`, …) take no lock and never write. Writers wait
              for the lock in the kernel (a blocking `flock` on a helper thread: no polling, no
              timer signal), which hands it on as soon as it is released, so no writer is
              starved by quicker pollers: 50 writers × 20 appends at once on 2 cores all get
              through with the default timeout. The timeout is for a stuck lock, not a long
              queue: while the lock changes hands the wait goes on, and a writer gives up when
              one process has held the lock for 5 seconds (`IRCTL_LOCK_TIMEOUT` seconds, if set;
              when irctl can't see the holder, after 5 seconds of waiting), or after twelve
              times that in all, so it never waits forever. It then names the process that holds
              it, as the kernel reports it in `/proc/locks` (`the store is locked by process
              4242 (irctl)`), or says it can't tell; the kernel releases the lock when its
              holder dies, however it dies.
            - **Damaged files are named, never overwritten.** A truncated, garbled, non-UTF-8 or
              otherwise invalid incident file gives an error naming the file and what is wrong;
              irctl never writes over it, and every other incident still lists and works (`list`
              warns on stderr). A file written by a newer irctl (higher `schemaVersion`) can be
              read but not changed: irctl says to upgrade. A failed write (disk full, quota,
              file-size limit, permission denied) leaves the previous file intact and no
              temporary file behind. A FIFO, device or directory in place of a store file is
              refused without being read (nothing hangs, the lock is never held waiting on it),
              and JSON that two readers could read two ways (a duplicate key) is refused rather
              than read one of them.
            - **Never a write irctl would refuse to read, never a success reported as a
              failure.** A change that would make an incident file larger than the 32 MiB irctl
              reads is refused whole. Once the incident file is in place the command has
              succeeded: a cache that can't be updated afterwards (full disk, `cache/`
              unwritable) is a warning with exit 0, so a retry never records a change twice. A
              number, once handed out by a clone, is never handed out again by it, whatever
              files or cache are lost since.
            - **No secrets in the store, or on stderr.** Titles, entries, narrative fields,
              action items, command output, and names (authors, roles, services, tags, owners)
              are redacted before anything is written (table below), and so are error and
              warning messages that quote what you typed, the program `exec` could not run, and
              the command `step --run` shows. `exec` redacts a command's output before cutting
              it to its last 50 lines, and key lines whose BEGIN line is missing are still a
              key. A runbook command that was redacted when the runbook was attached is never
              run. A store can add its own rules, whose cost is bounded (below).
            - **Stored text can't attack your terminal.** C0 control characters (except newline
              and tab), DEL, C1 controls (U+0080–U+009F) and the bidirectional overrides and
              isolates (U+202A–U+202E, U+2066–U+2069) are shown escaped (`\x1B`, `\u{202E}`),
              never raw, in everything printed for a person, ids echoed in errors included.
              `--json` returns the exact text, with DEL, C1 and the bidirectional controls
              written as JSON escapes (`\u009B`, `\u202E`): the same value, nothing for a
              terminal to act on.
            - **Ids can't name a path.** An incident id is `INC-<n>`, `inc-<n>` or `<n>` with
              1–9 digits, checked before any path is built: `../x`, `/etc/passwd`, `a/b`, an
              empty string, a newline or 300 characters are usage errors (exit 2) that touch
              nothing. An incident file that is a symbolic link is refused, for reading and for
              writing. `postmortem -o FILE` refuses a FILE inside the store, however it is
              spelled (`..`, a relative path, a symbolic link): a document never replaces an
              incident file or `config.json`.
            - **No planted store.** A `.irctl/` found by walking up from the working directory
              must belong to you (root included), or irctl refuses it and says how to allow it
              (`IRCTL_SAFE_DIRECTORIES=/path/.irctl`, or `--dir`): a world-writable store
              planted in a parent directory would otherwise receive your notes and supply your
              ids (the pattern of git's CVE-2022-24765). `--dir ''` is a usage error, not the
              per-user store; `/` is never a store. A symbolic link to the store is resolved
              once, so every command uses the same directory; an `incidents/` that is a symbolic
              link is refused by every command.
            - **Private files.** irctl creates directories 0700 and files 0600 (the temporary
              and lock files too) whatever the umask, and makes the store private again whenever
              it writes (git checks files out with the umask's modes; `irctl sync` tightens
              every file of the store). In a git work tree that is all: no warning on every read
              after a clone, and a warning only when irctl can't make the store private.
              Elsewhere, when the store or its `incidents/` directory is open to other users,
              every command warns:

            ```
            irctl: warning: the store is readable or writable by other users (/srv/ir/.irctl is mo\#
            de 0755); make it private with: chmod go-rwx /srv/ir/.irctl
            ```

            The advice closes exactly the directories named, never recursively: nothing inside a
            0700 directory can be reached, and a store pointed at a shared directory must not be
            told to lock up everything below it.
            - **Tamper evidence.** Every timeline entry carries a SHA-256 hash over its content,
              the previous entry of its clone's chain and the entries it had seen; every field
              of an incident is set by some entry, so any change to a stored byte that carries
              meaning is caught. `irctl verify` recomputes every chain and parent link and names
              the first entry that doesn't match (see `irctl help security` for what it can't
              see alone). The head it prints is a digest of the whole timeline in its order:
              recorded elsewhere and checked later with `--expect-head`, it proves that every
              entry it covered is still there, unchanged, and that nothing was put before them
              (a forged entry backdated into a new replica file, or a teammate's note removed
              with its file, both fail). SHA-256 is written in irctl (no package) and tested on
              the NIST vectors and against `sha256sum`.
            - **What arrives through git is data.** A teammate's push (or a stolen credential)
              writes into every clone, so what it can put in the store is held to the same rules
              as what irctl writes. A `strike` entry that names a change, another strike, an
              entry struck already or one not in the incident strikes nothing; `show` warns and
              `verify` fails naming it. A symbolic link in place of an incident directory is
              never followed: every walk of the store (`reindex`, `list`, `show`, `verify`,
              `stats`, `sync`) opens directories without following links, and names the link.
              Alert route regexes (`=~`, `!~`) are cost-bounded as redaction rules are, and a
              too costly one is refused when `config.json` loads. Status updates never let
              stored text ping a channel (`@channel`, `@here`, `@all`, `@everyone`,
              `<!channel>`) or embed a link or image; only `-m TEXT` with `--allow-mentions`
              may.
            - **`serve` can't be starved.** The bearer token is checked as soon as its header
              line arrives; clients that have not authenticated hold at most 3/4 of the
              connections, and 1/4 from one address, and are closed to make room past that, so
              connections that send nothing can't keep Alertmanager's posts out (see `irctl help
              alerts`).
            - **Bounded input.** One entry's text is at most 1 MiB; larger standard input is
              refused after reading just past the limit (so `yes | irctl log INC-1 -` ends at
              once). Text that is not valid UTF-8 is an error, on standard input, in a file or
              in an argument (never stored with U+FFFD in place of what was typed).
            - **No crash on any input**: exit 0, 1 or 2, with a message. A reader that stops
              reading (`irctl show INC-1 | head`) is not an error: irctl ends quietly, as any
              filter does; a full disk or a closed stdout still is.

            ### What a teammate's push can and cannot do

            Everyone who can push to the team's repository (or who holds their credentials)
            writes into every clone. As with git itself, whose hooks and `.git/config` are never
            cloned, what arrives is data, never a command:

            - **It cannot make your clone run a program.** The status update command in
              `config.json` runs only once your clone approved that exact command (`irctl update
              … --approve-hook DIGEST`); a changed command is asked again. A runbook step's
              command runs only with `step --run`, shown first and confirmed. The shared
              `runbooks` setting must be a relative path that stays beside the store
              (`../runbooks`), never elsewhere on your machine; use `--runbooks DIR` or
              `IRCTL_RUNBOOKS` for that.
            - **It cannot run code through your shell.** Severity names, and the names, services
              and tags of alert routes, must match a strict grammar
              (`[A-Za-z0-9][A-Za-z0-9._-]{0,31}` for a severity) when `config.json` loads, or
              every command names the bad value and the grammar. The completion scripts take
              each candidate as plain text: bash no longer passes them through `compgen -W`,
              which expands them again.
            - **It cannot change your clone's identity or state.** The replica id, the numbers
              handed out, open segments, chain heads, approvals and the cache live in the git
              directory (`.git/irctl/<store path>/`), which no pull or checkout writes; irctl
              finds it from `.git` without running git. An older store's `local/` moves there on
              first use, losing nothing, unless git tracks it: a `local/` that came in a commit
              is ignored, and `irctl sync` says so and how to remove it (`git rm -r --cached
              .irctl/local`). The lock, `local/` and `cache/` are never staged, whatever a
              `.gitignore` says. A store outside git keeps `local/` and `cache/` in the store.
            - **It cannot hide your incidents.** `irctl sync` stages incident files by name
              (`git add -f`), so an ignore rule someone pushed (`incidents/*/*.json`) does not
              keep your entries from being shared.
            - **It cannot take a published number.** A claim pushed with plain git, hooks or
              not, earlier or backdated, never moves an incident number that reached the remote
              first.
            - **It can change what is shared, visibly.** Anyone who can push can edit
              `config.json`, `.gitignore` and `.gitattributes` of the store, and can add or
              remove entries; `irctl sync` names the shared configuration files (and
              `config.json` settings) that came in changed, names removed entries, and `irctl
              verify` checks every hash chain.

            ### `irctl verify`

            ```
            irctl verify [INCIDENT] [--expect-head HASH] [--json]
            ```

            Recomputes every hash chain of one incident (one per clone that wrote to it) and
            checks every parent link between them, or does so for every incident when none is
            given, and prints each one's entry count and head: a digest of every entry's hash in
            the timeline's order (defined under `irctl help security`):

            Hashes are shortened here; irctl prints all 64 hex digits.

            ```
            $ irctl verify
            INC-1: ok, 12 entries, head 5f2c0e7b…e19a
            INC-2: FAILED at entry #4: hash does not match its content (edited, or an earlier entr\#
            y changed)
            INC-3: UNREADABLE: /srv/ir/.irctl/incidents/0c0e5a8e-…/5d0e9b3a7c1f2e48.json is not a \#
            valid incident file (not valid JSON: unexpected end of the file at line 40); …
            irctl: error: 2 of 3 incidents failed verification: INC-2 (entry #4), INC-3 (unreadabl\#
            e); see the lines above
            ```

            Exit status: 0 when every chain is intact; 1 when an entry doesn't match (edited,
            removed, reordered), a file can't be read, or the expected head is missing; 2 for a
            usage error. `verify` only reads: no lock, no writes.

            | Option | Meaning |
            |---|---|
            | `INCIDENT` | check this incident only (`INC-7`, `7`); a missing incident is an error\#
             (exit 1) |
            | `--expect-head HASH` | with one INCIDENT: fail unless the entries HASH covered come \#
            first intact |
            | `--json` | print the results as JSON (below) |

            `file` is the incident's directory; `firstMismatch.seq` is the entry's number as
            `show` prints it. Removing the *last* entries of a file, or a whole file nothing
            points at, leaves chains that are still valid on their own. To catch that, record
            the head somewhere else (the ticket, the incident channel) and check it later with
            `--expect-head`. **What it proves:** the timeline still starts with exactly the
            entries the head covered, each unchanged, in the same order. Entries appended after
            them are fine; the check fails when one of them was removed or changed, or when an
            entry now sorts before the last of them (a forged entry that claims an earlier time,
            or a teammate's entry written offline and synced later: either changed the past the
            head vouched for; `git log -p` on the incident's directory shows which).

            ```
            $ irctl verify INC-7 --expect-head 5f2c0e7b…e19a
            INC-7: ok, 14 entries, head 0b9d…41c2 (2 entries appended after the expected head)
            $ irctl verify INC-7 --expect-head 0b9d…41c2
            INC-7: ok, 14 entries, head 0b9d…41c2 (the expected head: the same 14 entries in the s\#
            ame order)
            ```

            A head printed by an irctl before this one was the last entry's own hash. It is
            still accepted and said for what it is: it shows that entry and every entry it had
            seen are unchanged, not that nothing was added before it or removed beside it;
            record the new head instead.

            `--json` shape (exit status as above):

            ```json
            {
              "ok": false,
              "incidents": [
                { "id": "INC-1", "file": "/srv/ir/.irctl/incidents/3f0c9d2e-…", "ok": true, "entri\#
            es": 12, "head": "5f2c…e19a" },
                { "id": "INC-2", "file": "…/71b2e0aa-…", "ok": false, "entries": 9, "head": "…",
                  "firstMismatch": { "seq": 4, "index": 3, "reason": "hash does not match its cont\#
            ent (edited, or an earlier entry changed)" } },
                { "id": "INC-3", "file": "…/0c0e5a8e-…", "ok": false, "error": "…/5d0e9b3a7c1f2e48\#
            .json is not a valid incident file (not valid JSON: …); …" },
                { "id": "INC-7", "file": "…", "ok": true, "entries": 14, "head": "0b9d…41c2",
                  "expectedHead": "5f2c…e19a", "entriesAfterExpectedHead": 2 }
              ]
            }
            ```

            `head` is `""` for an empty timeline; `expectedHead`, `expectedHeadCovers` (how many
            entries it covers) and `entriesAfterExpectedHead` appear only with `--expect-head`
            (when it does not hold, `ok` is false and `error` says so; an old-style head gives
            `expectedHeadIsEntry`, the entry's number). `ignoredStrikes` lists strikes that
            break the strike command's rules (an incident with one fails).

            ### Hash-chain format

            Each entry of a replica file has a `hash`: the SHA-256, in lowercase hex, of a text
            built from the entry's fields (not from the JSON text, so key order, whitespace and
            escaping never matter), encoded as UTF-8. Every field is written as `<name>
            <len>\n<value>\n`, where `<len>` is the value's length in UTF-8 **bytes**, in
            decimal (a value may itself contain newlines: the length says where it ends). An
            entry written by store format 2 (it has `parents`) is hashed with version 2:

            ```
            irctl-entry-v2\n
            incident <len>\n<the incident's uid: the file's "incident">\n
            replica <len>\n<the replica id: the file's "replica", its name without .json>\n
            prev <len>\n<the hash of the entry before it in the same file; empty for the first>\n
            parent <len>\n<hash>\n                 one per entry of "parents", sorted by their bytes
            seq <len>\n<seq in decimal>\n
            at <len>\n<at>\n
            recordedAt <len>\n<recordedAt>\n
            author <len>\n<author>\n
            kind <len>\n<kind>\n
            text <len>\n<text>\n
            data.<key> <len>\n<value>\n             one per key of "data", keys sorted by their UT\#
            F-8 bytes
            ```

            An entry converted from format 1 (no `parents`) keeps its version-1 hash: the same
            text without the `incident`, `replica` and `parent` fields, starting
            `irctl-entry-v1\n`.

            - `at` and `recordedAt` are in the form irctl writes, `YYYY-MM-DDTHH:MM:SSZ` (UTC,
              whole seconds). An entry without `data` (or with `{}`) has no `data.` lines.
              Fields other than these (for example ones added by a newer irctl) are not hashed.
            - A file's chain is intact when, for every entry at 0-based position *i*, `seq` is
              *i* + 1 and `hash` equals the hash computed with `prev` = the hash of the entry
              before it in the file. Every hash in an entry's `parents` must be the hash of an
              entry of the same incident.
            - Every field of an incident is set by some entry, and every entry is hashed, so
              changing any byte that carries meaning (a title, a severity, a phase, a role, a
              narrative field, a service, an action item, a time, the uid, an entry's file)
              makes `irctl verify` fail and name the entry. What verify cannot see on its own: a
              chain cut short at its end (the newest entries of a file dropped, or a whole file
              removed that nothing else points to) still verifies. `--expect-head HASH` with a
              head recorded earlier catches that, and so does git history (`git log -p`).
            - The head `verify` prints is computed over the timeline in the order `show` numbers
              it: starting from the empty string, for each entry, head = the SHA-256 (lowercase
              hex) of `irctl-head-v1\n` + the head so far + `\n` + the entry's `hash` + `\n`.
              The head after entry *k* thus commits to entries 1…*k* and their order.

            A complete checker in Python 3, which the test suite runs against irctl on every
            build:

            ```python
            import hashlib, json, os, sys

            def field(name, value):
                raw = value.encode("utf-8")
                return name.encode("utf-8") + b" " + str(len(raw)).encode() + b"\n" + raw + b"\n"

            def content(entry):
                text = field("seq", str(entry["seq"]))
                for name in ("at", "recordedAt", "author", "kind", "text"):
                    text += field(name, entry[name])
                data = entry.get("data", {})
                for key in sorted(data, key=lambda k: k.encode("utf-8")):
                    text += field("data." + key, data[key])
                return text

            def entry_hash(entry, uid, replica, previous):
                if "parents" not in entry:  # converted from store format 1
                    return hashlib.sha256(b"irctl-entry-v1\n" + field("prev", previous) + content(\#
            entry)).hexdigest()
                text = b"irctl-entry-v2\n" + field("incident", uid) + field("replica", replica) + \#
            field("prev", previous)
                for parent in sorted(entry["parents"], key=lambda p: p.encode("utf-8")):
                    text += field("parent", parent)
                return hashlib.sha256(text + content(entry)).hexdigest()

            directory = sys.argv[1]   # e.g. .irctl/incidents/3f0c9d2e-…
            files = sorted(n for n in os.listdir(directory) if n.endswith(".json") and not n.start\#
            swith("."))
            chains = [(name[:-5], json.load(open(os.path.join(directory, name), encoding="utf-8"))\#
            ) for name in files]
            known = {e["hash"] for _, c in chains for e in c["entries"]}
            for replica, chain in chains:
                previous = ""
                for index, entry in enumerate(chain["entries"]):
                    if (entry["seq"] != index + 1 or entry_hash(entry, chain["incident"], replica,\#
             previous) != entry["hash"]
                            or any(p not in known for p in entry.get("parents", []))):
                        sys.exit(f"{replica}: entry {index + 1} does not match")
                    previous = entry["hash"]
            print(len(known), "entries intact")
            ```

            ### Redaction rules

            Secrets are replaced by `[REDACTED:<kind>]` before anything is written. Placeholders
            are left alone: `<redacted>`, `***`, `${TOKEN}`, `$PASSWORD`, `xxxx`, `ghp_xxxx…`,
            empty values.

            | Kind | Catches |
            |---|---|
            | `private-key` | a PEM `-----BEGIN … PRIVATE KEY-----` block, a lone header and the b\#
            ase64 after it, base64 lines up to an END line, or two or more lines of 60–76 base64 c\#
            haracters mixing case and digits (a key body without its header; a certificate's body \#
            is left alone) |
            | `aws-access-key` | AWS access key ids: `AKIA`/`ASIA`/`ABIA`/`ACCA` + 16 uppercase le\#
            tters or digits |
            | `aws-secret-key` | the 40-character value of `aws_secret_access_key = …` |
            | `github-token` | GitHub tokens `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 or more l\#
            etters or digits (more than the format allows is still a token) |
            | `github-pat` | GitHub fine-grained tokens `github_pat_` + 82 or more of `[0-9A-Za-z_\#
            ]` |
            | `gitlab-token` | GitLab personal access tokens `glpat-` + 20 or more of `[0-9A-Za-z_\#
            -]` |
            | `slack-webhook` | Slack webhook URLs `https://hooks.slack.com/services/…` (also `wor\#
            kflows/`, `triggers/`) |
            | `slack-token` | Slack tokens `xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-`, `xoxe-`, a\#
            nd app tokens `xapp-` |
            | `stripe-key` | Stripe keys `sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`, `pk_live_\#
            ` + 24 or more letters or digits |
            | `google-api-key` | Google API keys `AIza` + 35 of `[0-9A-Za-z_-]` |
            | `jwt` | JSON Web Tokens: three base64url segments, the first starting `eyJ` |
            | `npm-token` | npm tokens `npm_` + 36 letters or digits |
            | `bearer-token` | the token after `Authorization: Bearer`, or after a bare `Bearer` w\#
            hen it looks like a token |
            | `basic-auth` | the credentials after `Authorization: Basic`, and the password in `cu\#
            rl -u user:password` (`--user`, `--proxy-user`) |
            | `auth-header` | the credentials after `Authorization:` with any other scheme (`token\#
             x`, `Bot x`) or none, when they look like a token |
            | `url-password` | the password in `scheme://user:password@host`, the user possibly em\#
            pty (`redis://:pw@host`) |
            | `password` | the value of `password`, `passwd`, `passphrase`, `_pwd` with any prefix\#
            , camelCase or glued (`DB_PASSWORD`, `PGPASSWORD`, `MYSQL_PWD`, `rootPassword`) after \#
            `=` or `:`; of the options `--password`, `--db-password=`, `-pass`; mysql's `-pPASSWOR\#
            D`; `sshpass -p` |
            | `secret` | the value of `secret`, `token`, `api_key`, `apikey`, `client_secret`, `ac\#
            cess_token`, `private_key` and the like, camelCase included (`accessToken`, `clientSec\#
            ret`, `"SessionToken"`), after `=` or `:`, or as an option (`--token x`, `--api-key x`\#
            ) |

            Token shapes are found after a percent-encoded separator too (`%2Fghp_…`,
            `%3AAKIA…`). A value is a secret even when it holds `/` or starts with `$`
            (`$ecr3t!`); a `$VAR`, `${VAR}` or `$1` is a placeholder. `key: word words…` is
            prose, not a value (`secret: rotate weekly` stays as it is), and so is an option
            followed by an English word (`use --token to log in`).

            The patterns follow the ideas of gitleaks' default rules (prefix-anchored token
            shapes, keyword pre-filters, a `secret` group for `key=value` forms). A store adds
            its own in `config.json`; `pattern` is an ICU regular expression (if it has a group
            named `secret`, or else a group 1, only that part is replaced), and `keywords`
            (optional, case-insensitive) let irctl skip the expression on text that can't match:

            ```json
            {
              "redactionRules": [
                { "kind": "acme-key", "pattern": "ACME-[0-9]{6}", "keywords": ["acme-"] }
              ]
            }
            ```

            A pattern that doesn't compile is an error naming the rule, and nothing is written
            until it is fixed. A store's rules arrive by `git pull` and every note and error
            message passes through them, so their cost is bounded, counted in the
            regular-expression engine's steps rather than in time (the same on every machine):

            - on load, a pattern is refused that repeats a group which itself repeats or has
              alternatives (`(a+)+`, `(a|aa)*`), uses a backreference, or is longer than 1,000
              characters; and a pattern that spends more than 500,000 steps on a hostile line
              made of its own characters (stacked repetition such as `a*a*a*b`) is refused too:
              `redaction rule 'x' in config.json is too slow: …`, and nothing is written until
              it is fixed;
            - when redacting, a store rule sees one line at a time (at most 4,096 characters of
              it; a longer line in overlapping windows), so it can't match across lines. A line
              on which it still runs out of steps is replaced as a whole by `[REDACTED:<kind>]`
              (when in doubt, redact), and one text may spend at most 5 million steps on
              backtracking.
            """#)
}
