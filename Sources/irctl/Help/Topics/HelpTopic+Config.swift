extension HelpTopic {
    static let config = HelpTopic(
        name: "config", title: "config.json",
        summary: "the store's settings file, key by key",
        text: #"""
            Every key of `.irctl/config.json` is optional; `{}` means the defaults. The file is
            shared through git with the store.

            ```json
            {
              "schemaVersion" : 1,
              "defaultAuthor" : "oncall",
              "severities" : [
                { "name" : "SEV0", "description" : "everything is down" },
                { "name" : "SEV1", "description" : "critical" },
                { "name" : "SEV2", "description" : "major" }
              ],
              "runbooks" : "../runbooks",
              "redactionRules" : [ { "kind" : "acme-key", "pattern" : "ACME-[0-9]{6}", "keywords" \#
            : [ "acme-" ] } ],
              "alerts" : { "closeWhenResolved" : true, "routes" : [ { "match" : [ "alertname=\"Wat\#
            chdog\"" ], "ignore" : true } ] }
            }
            ```

            (`alerts`: see `irctl help alerts`. `"similar" : false` turns off the similar lines
            of `declare`, `ingest` and `show`; see `irctl help search`.)

            ## Where each key is described

            - `defaultAuthor`: the author when neither `--as` nor `IRCTL_USER` is given (`irctl
              help store`).
            - `severities`: the store's own severity scheme, most severe first (`irctl help`).
            - `runbooks`: a directory of team runbooks, relative to the store (`irctl help
              runbook`).
            - `redactionRules`: more secrets to redact before anything is stored (`irctl help
              security`).
            - `alerts`: routing rules for Alertmanager notifications (`irctl help alerts`).
            - `updates`: a command each status update is handed to (`irctl help updates`).
            - `statusPage`: the public status page's name and components (`irctl help site`).
            - `similar`: `false` turns off the similar lines of `declare`, `ingest` and `show`
              (`irctl help similar`).
            """#)
}
