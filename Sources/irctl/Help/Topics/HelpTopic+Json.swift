extension HelpTopic {
    static let json = HelpTopic(
        name: "json", title: "JSON output",
        summary: "the --json shapes: incidents, entries, summaries",
        text: #"""
            Every read command takes `--json` and prints pretty-printed JSON with sorted keys;
            times are ISO 8601 UTC strings (`2026-11-21T14:02:00Z`), durations are seconds.
            Fields marked `?` are absent when unknown. Fields are only ever added, never renamed
            or removed, within a major version.

            **An incident** (`show`, and every command that changes one: `declare`, `detect`,
            `log`, `phase`, `contain` …, `severity`, `assign`, `service`, `tag`, `link`,
            `close`, `reopen`, `set`, `action …`, `step`, `runbook attach`): the incident as
            stored plus derived fields.

            ```json
            {
              "actionItems" : [ ],
              "active" : true,
              "containedAt" : "2026-11-21T14:31:00Z",
              "createdAt" : "2026-11-21T14:05:10Z",
              "declaredAt" : "2026-11-21T14:05:10Z",
              "detectedAt" : "2026-11-21T14:02:00Z",
              "id" : "INC-1",
              "links" : [ ],
              "metrics" : { "impactDuration" : 3600, "timeToContain" : 1740, "timeToDeclare" : 190\#
            , "timeToDetect" : 420, "timeToRecover" : 3180 },
              "narrative" : { "summary" : "…", "rootCause" : "…" },
              "open" : true,
              "phase" : "review",
              "phaseEnteredAt" : { "contain" : "2026-11-21T14:20:00Z", "declare" : "2026-11-21T14:\#
            05:10Z", "detect" : "2026-11-21T14:02:00Z", "eradicate" : "…", "recover" : "…", "revie\#
            w" : "…" },
              "recoveredAt" : "2026-11-21T14:55:00Z",
              "roles" : { "commander" : "alice", "comms" : "bob" },
              "runbook" : { "…" : "see Runbooks" },
              "schemaVersion" : 2,
              "services" : [ "checkout" ],
              "severity" : "SEV2",
              "startedAt" : "2026-11-21T13:55:00Z",
              "tags" : [ ],
              "timeline" : [
                { "at" : "2026-11-21T14:02:00Z", "author" : "alice", "data" : { "to" : "detect" },
                  "hash" : "9b1c…", "kind" : "phase", "parents" : [ ], "recordedAt" : "2026-11-21T\#
            14:05:10Z",
                  "replica" : "5d0e9b3a7c1f2e48", "replicaSeq" : 1, "seq" : 1, "text" : "Detected:\#
             Checkout returns 5xx" }
              ],
              "title" : "Checkout returns 5xx",
              "uid" : "0c0e5a8e-4a3f-4b8f-9f2e-1f4f1d0a2b3c"
            }
            ```

            Stored fields: `schemaVersion`, `id`, `uid` (a UUID that never changes), `title`,
            `severity`, `phase`, `services`, `tags`, `roles` (`commander`?, `comms`?, `tech`?,
            `scribe`?), `links` (`label`, `url`), `narrative` (`summary`?, `impact`?,
            `rootCause`?, `trigger`?, `contributingFactors`?, `detection`?, `resolution`?,
            `wentWell`?, `wentWrong`?, `lucky`?, `lessons`?), `actionItems`, `runbook`?,
            `timeline`, `createdAt`, `startedAt`?, `detectedAt`. Derived (output only): `open`,
            `active`, `declaredAt`?, `containedAt`?, `recoveredAt`?, `closedAt`?,
            `phaseEnteredAt` (first entry into each phase), `metrics` (each field absent when
            its times are missing), `aliases` (numbers it held before a renumbering),
            `concurrentChanges` (changes two clones made at once where one lost: `field`,
            `kept`, `keptBy`, `lost`, `lostBy`, `lostEntry`), `heads` (the hashes of the entries
            no other entry follows yet). Every stored field is the projection of the entries
            (see `irctl help store`), so two clones with the same entries print the same bytes.

            A timeline entry: `seq` (1, 2, 3 … in the timeline's order: the number `show`
            prints), `replica` and `replicaSeq` (the clone that wrote it and its place in that
            clone's chain), `parents` (the hashes of the entries it had seen; absent on entries
            converted from store format 1), `at`, `recordedAt`, `author`, `kind` (`note`,
            `action`, `decision`, `comms`, `alert`, `phase`, `severity`, `role`, `command`,
            `runbook`, `action-item`, `edit`, `strike`, `migrated`), `text`, `data`? (string →
            string: a phase change's `from`, `to`, `skipped`, `reason`; a severity change's
            `from`, `to`; a command's `exitStatus`, `durationMs` …; a status update's `state`,
            `audience`, `format`, `next`, `update`; a strike's `entry`, `seq`, `reason`),
            `hash`.

            **`list --json`**: an array of summaries, in the order of the table:

            ```json
            [
              {
                "createdAt" : "2026-11-21T14:05:10Z", "declaredAt" : "2026-11-21T14:05:10Z", "dete\#
            ctedAt" : "2026-11-21T14:02:00Z",
                "entryCount" : 6, "id" : "INC-1", "open" : true, "active" : true, "openActionItems\#
            " : 0,
                "phase" : "contain", "roles" : { "commander" : "alice" }, "services" : [ "checkout\#
            " ],
                "severity" : "SEV2", "startedAt" : "2026-11-21T13:55:00Z", "tags" : [ ],
                "title" : "Checkout returns 5xx", "uid" : "0c0e5a8e-…", "updatedAt" : "2026-11-21T\#
            14:20:00Z"
              }
            ]
            ```

            (plus `containedAt`?, `recoveredAt`?, `closedAt`? when known). `init --json` prints
            `{"created": true|false, "path": …}`; `reindex --json` prints `{"incidents": N}`.
            The shapes of `actions`, `postmortem`, `check`, `stats`, `runbook …`, `ingest` and
            `verify` are in their sections below.

            ## Runbooks and steps

            `irctl runbook list --json`: an array, sorted by name.

            ```json
            [
              {
                "builtin": true,
                "name": "disk-full",
                "services": ["any host or persistent volume"],
                "severity": "SEV2",
                "source": "built-in",
                "steps": 9,
                "tags": ["disk", "storage", "capacity"],
                "title": "Disk or volume full"
              }
            ]
            ```

            `irctl runbook show NAME --json`: the parsed runbook.

            ```json
            {
              "markdown": "---\ntitle: Disk or volume full\n…",
              "metadata": {"escalation": "…", "owner": "…", "services": "…"},
              "name": "disk-full",
              "severity": "SEV2",
              "source": "built-in",
              "steps": [{"command": "df -h && df -i", "line": 24, "number": 1, "text": "See which \#
            filesystem is full; …"}],
              "tags": ["disk", "storage", "capacity"],
              "title": "Disk or volume full",
              "whenToUse": "- Disk usage alert …"
            }
            ```

            `irctl runbook lint --json`: `{"checked": 3, "problems": [{"file": "…", "line": 2,
            "message": "…"}]}` (exit status as without `--json`).

            `runbook attach`, `step` and `declare --runbook` with `--json` print the updated
            incident. Its `runbook` field (absent when none is attached):

            ```json
            "runbook": {
              "attachedAt": "2026-11-21T14:02:00Z",
              "name": "failed-deployment",
              "source": "built-in",
              "steps": [
                {"at": "2026-11-21T14:02:40Z", "by": "alice", "command": "irctl log <incident> --k\#
            ind action \"…\"",
                 "number": 1, "status": "done", "text": "Freeze deploys of the service …"},
                {"number": 3, "status": "skipped", "note": "no crash loops; …", "…": "…"},
                {"command": "kubectl rollout undo deployment/<service> -n <namespace>", "number": \#
            4, "status": "pending", "text": "…"}
              ],
              "title": "Failed deployment and rollback"
            }
            ```

            `status` is `pending`, `done` or `skipped`; `at`, `by` and `note` appear once a step
            is marked.

            Timeline entries written by these commands:

            | kind | text | data |
            |---|---|---|
            | `runbook` | `Attached runbook NAME: TITLE (N steps)[; replaced OLD (d/n steps finish\#
            ed)]` | `runbook`, `source`, `steps`, `replaced`? |
            | `runbook` | `Step N/M done: TEXT[ — NOTE]` | `runbook`, `step`, `status` (`done`/`sk\#
            ipped`), `note`? |
            | `command` | the command line, shell-quoted (for `step --run`: the shell line as run)\#
             | `exitStatus` or `signal`, `durationMs`, `output` (tail), `outputBytes`, `outputTrun\#
            cated`?, `directory`, `step`?, `error`? (not started: `command not found`, `not execut\#
            able (…)`; `exitStatus` is then 127 or 126) |

            All `data` values are strings; all of them are redacted like the text.
            """#)
}
