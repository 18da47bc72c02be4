extension HelpTopic {
    static let updates = HelpTopic(
        name: "updates", title: "Status updates",
        summary: "stakeholder status updates: what they say, formats, sending them on",
        text: #"""
            ```
            irctl update INCIDENT [--state STATE] [-m|--message TEXT] [--next TIME|none] [--audien\#
            ce internal|external]
                                  [--format text|markdown|slack] [--allow-mentions] [-n|--dry-run]
                                  [--approve-hook DIGEST] [--at TIME]
            ```

            Drafts a status update for stakeholders from the incident, prints it on stdout, and
            records it as a `comms` entry (unless `--dry-run`):

            - **state**: `investigating`, `identified`, `monitoring` or `resolved`; by default
              from the phase (detect and declare: investigating; contain and eradicate:
              identified; recover: monitoring; review: resolved);
            - **impact**: the narrative's impact, else the affected services;
            - **what we know**: `-m TEXT`, else the summary, else the title;
            - **what we are doing**: from the phase;
            - **who leads**: the role holders (internal only), and the incident's links
              (internal only);
            - **next update**: `--next` (`30m`, `+30m`, `in 1h`, `15:30`, any time form; a bare
              time already past is tomorrow's), by default 30 minutes after this update, none
              for a resolved one; `--next none` promises nothing. The time is shown with its
              zone (`14:51 UTC`).

            `--audience external` leaves out names, links, the incident id and the severity,
            which mean nothing (or too much) outside the team. `--format markdown` escapes
            markdown; `--format slack` writes Slack mrkdwn and sends `&`, `<`, `>` as entities,
            so a title can't ping `<!channel>`. Text from the store (title, summary, impact,
            names, links) can't ping a channel or embed a link in any format: `@channel`,
            `@here`, `@all`, `@everyone` (and `@group`, `@room`), links `[text](url)` and images
            `![](url)` get an invisible word joiner (U+2060) that breaks the syntax while the
            text reads the same. The `-m TEXT` is treated the same unless `--allow-mentions` is
            given: then it may ping (`@here`, Slack's `<!here>`, `<@U123>`) and carry links, as
            typed. The entry's data holds `state`, `audience`, `format`, `next` (when one was
            promised) and `update` (the text as sent). `show` and `list` flag an open incident
            whose latest update (the latest `comms` entry that is not struck) promised a time
            that has passed; an update with no promise, or a `log --kind comms` entry, settles
            it.

            ```console
            $ irctl update INC-1 --audience external --format slack --dry-run
            *Identified* · Checkout returns 5xx
            • *Impact:* Affects checkout; the extent is being assessed.
            • *What we know:* Checkout returns 5xx
            • *What we are doing:* Working to limit the impact.
            • *Next update:* 14:55 UTC
            INC-1: draft only (--dry-run): not recorded
            ```

            **Handing the update to a command.** A store can have every update sent on, to a
            chat webhook for instance. In `config.json`:

            ```json
            {
              "updates": {
                "command": ["curl", "-sS", "--fail", "-K", "/home/alice/.config/irctl/chat.curlrc",
                            "-H", "Content-Type: application/json", "--data-binary", "@-"],
                "input": "slack-json"
              }
            }
            ```

            with the webhook address in a file only you can read (`chmod 600`), which curl reads
            itself:

            ```
            url = "https://hooks.slack.com/services/T000/B000/XXXX"
            ```

            irctl runs the command without a shell and writes the update to its standard input
            (`text`: as printed; `slack-json`: `{"text": "…"}`, what Slack, Mattermost and
            Rocket.Chat webhooks take), never on its command line, so neither the update nor the
            secret shows in the process list, and the secret is never in the store or in
            `config.json`. The command's own output goes to stderr; `IRCTL_INCIDENT` holds the
            incident's id. The update is recorded only when the command exits 0; otherwise irctl
            says so and exits 1, and nothing is recorded. `--dry-run` never sends.

            `config.json` is shared through git, so anyone who can push could change the
            command. Each clone therefore runs it only once it has approved that exact command
            (like direnv's `allow`): the first `irctl update` shows the command and a digest of
            it and exits 1 without sending or recording; `irctl update INC-1 --approve-hook
            3f9a0c5e1b2d4a67` approves it (the digest must match the command as it is then) and
            sends. Approvals are kept with the clone's own state, where git cannot write; a
            changed command (any word) has another digest and is asked again.

            `update --json` prints `{ "id", "state", "audience", "format", "text", "next"?,
            "seq", "sent" }`.
            """#)
}
