extension HelpTopic {
    static let times = HelpTopic(
        name: "times", title: "Times",
        summary: "how to write a time (--at, --since, --due …) and how times are shown",
        text: #"""
            Stored in UTC (ISO 8601, whole seconds); shown in local time (`TZ`), or UTC with
            `--utc`: in tables, messages, errors, `check` output and times inside entry texts
            alike. Only `--json`, `--csv` and the stored files carry UTC ISO 8601. Input for
            `--at`, `--started`, `--detected`, `--since`, `--until`, `--due`, `--next`:

            | Form | Example |
            |---|---|
            | ISO 8601 with zone | `2026-11-21T14:02:00Z`, `2026-11-21T14:02+01:00` |
            | local date and time | `2026-11-21 14:02`, `2026-11-21T14:02:30` |
            | local date (midnight; for `--due`, that day: see below) | `2026-11-21` |
            | the most recent such time, local | `14:02`, `9:05` |
            | as `show` prints it (this year, or the last one where only the past makes sense) | `\#
            Nov 23 14:02`, `nov 23` |
            | relative day | `yesterday 23:10`, `today 09:00`, `tomorrow 10:00`, `yesterday` |
            | ago | `10m ago`, `2h ago`, `1h30m ago`, `-10m`, `90 sec ago` |
            | ahead (due dates) | `+3d`, `in 3d`, `in 2 hours` |
            | now | `now` |

            Units: `s`, `m`/`min`, `h`/`hr`, `d`/`day`, `w`/`week` (and plurals). In a
            daylight-saving gap or overlap, the offset in force before the change is used.

            Where only a past time makes sense (`--at`, `--started`, `--detected`, `--since`,
            `set started TIME`), a bare `14:02` means the most recent 14:02: typed at 00:10,
            `23:50` is last night's, and irctl says which day it took (`irctl: note: --at 23:50
            is later than now, so it is taken as yesterday: 2026-11-21 23:50`). A time more than
            a minute in the future is refused there. For `--due` and `--next` a bare time is
            today's (`--next` takes tomorrow's once it has passed).

            ## Writing an incident up afterwards

            An incident is often written up the next morning from chat logs. Every command that
            records something takes `--at TIME`: `declare` (the declaration; and the detection,
            unless `--detected` says otherwise) and the promotion `declare INC-7 --at`,
            `detect`, `log`, `phase` and its shortcuts, `severity`, `assign`, `service`, `tag`,
            `link`, `set`, `action add|done|reopen|edit`, `runbook attach`, `step` (not with
            `--run`), `close`, `reopen`, `update` and `strike`. Each entry keeps both times:
            `at` (when it happened) and `recordedAt` (when it was written). A phase change can't
            be dated before the current phase began: record the phases in the order they
            happened.

            ```console
            $ irctl declare "Checkout returns 5xx" -s 2 --service checkout --started "yesterday 13\#
            :55" --detected "yesterday 14:02" --at "yesterday 14:05"
            INC-3 declared: SEV2 · Checkout returns 5xx
            $ irctl assign INC-3 --commander alice --comms bob --at "yesterday 14:06"
            INC-3: commander alice · comms bob
            $ irctl severity INC-3 1 --reason "EU customers too" --at "yesterday 14:10"
            INC-3: severity SEV2 → SEV1
            $ irctl contain INC-3 --at "yesterday 14:31" -m "rolled back"
            INC-3: declare → contain
            ```
            """#)
}
