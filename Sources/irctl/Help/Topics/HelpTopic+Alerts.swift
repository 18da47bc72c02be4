extension HelpTopic {
    static let alerts = HelpTopic(
        name: "alerts", title: "Alerts in: Prometheus Alertmanager",
        summary: "Alertmanager webhooks: the receiver, routing rules, ingest and serve",
        text: #"""
            Most incidents start as an alert. irctl turns Alertmanager's notifications into
            incidents, with no hosted service in between: `irctl serve` is Alertmanager's
            webhook receiver, and `irctl ingest alertmanager` applies one notification from a
            file or a pipe. Grafana's alerting sends the same webhook format.

            ```console
            $ irctl serve --token-file /etc/irctl/alertmanager.token &
            irctl: listening on 127.0.0.1:9095, POST /alertmanager (bearer token required); store \#
            /srv/ops/.irctl
            $ amtool alert add DiskAlmostFull severity=critical service=postgres instance=db-1 --a\#
            nnotation=summary="Disk almost full on the database" --generator-url=http://prometheus\#
            :9090/graph
            $ amtool alert add DiskAlmostFull severity=critical service=postgres instance=db-2 --a\#
            nnotation=summary="Disk almost full on the database"
            2026-11-24T03:38:55Z 127.0.0.1:35708 POST /alertmanager 200 23ms INC-1 opened: SEV2 · \#
            detect (2 firing)
            $ irctl list
            ID     SEV   PHASE   AGE  COMMANDER  SERVICES  TITLE
            INC-1  SEV2  detect  3s   —          postgres  Disk almost full on the database
            $ irctl show INC-1 | tail -3
              03:38  alertmanager  phase  Detected: Disk almost full on the database
              03:38  alertmanager  alert  Firing: Disk almost full on the database [severity=criti\#
            cal service=postgres instance=db-1] http://prometheus:9090/graph
              03:38  alertmanager  alert  Firing: Disk almost full on the database [severity=criti\#
            cal service=postgres instance=db-2]
            ```

            (both alerts resolve)

            ```console
            2026-11-24T03:38:58Z 127.0.0.1:35708 POST /alertmanager 200 18ms INC-1 closed: every a\#
            lert resolved (2 resolved)
            $ irctl show INC-1 | tail -3
              03:38  alertmanager  alert  Resolved: Disk almost full on the database [severity=cri\#
            tical service=postgres instance=db-1]
              03:38  alertmanager  alert  Resolved: Disk almost full on the database [severity=cri\#
            tical service=postgres instance=db-2]; all 2 alerts of the group resolved
              03:38  alertmanager  phase  Closed from detect (forced): every alert resolved (close\#
            d by Alertmanager)
            ```

            (A real run against Alertmanager 0.25; the test suite runs the same exchange on
            every build.)

            ### The receiver in Alertmanager's config

            Add a receiver and route the alerts that should become incidents to it (or add the
            webhook to an existing receiver). The token file holds the same token as irctl's
            `--token-file` (`openssl rand -hex 32 > alertmanager.token`):

            ```yaml
            route:
              receiver: irctl                      # or a child route with matchers
              group_by: ['alertname', 'service']   # one incident per group
              group_wait: 30s
              group_interval: 5m
              repeat_interval: 4h
            receivers:
              - name: irctl
                webhook_configs:
                  - url: http://127.0.0.1:9095/alertmanager
                    send_resolved: true            # needed to close incidents when alerts resolve
                    max_alerts: 50                 # more are left out; irctl records how many
                    http_config:
                      authorization:
                        type: Bearer
                        credentials_file: /etc/alertmanager/irctl.token
            ```

            ### What each notification does

            One incident per **alert group** (the receiver and Alertmanager's `groupKey`) while
            it is open; alerts are told apart by their `fingerprint`, and one firing of an alert
            by its `startsAt`.

            | Notification | What happens |
            |---|---|
            | a group with no open incident, a firing alert | a new incident in phase `detect` (`d\#
            eclare` if a route says so): title, severity, services, tags, commander and runbook fr\#
            om the alerts and the routes; detected when the first alert started; one `alert` entry\#
             per firing alert |
            | a new firing alert in the group | one `alert` entry (`Firing: …`, or `Firing again: \#
            …` for an alert that had resolved); the severity is raised if the alert is more severe\#
            , its services and tags are added, a `declare` route promotes an incident still in `de\#
            tect` |
            | an alert resolves | one `alert` entry (`Resolved: …`) |
            | every alert of the group has resolved | the last entry says so; an incident still in\#
             `detect` is closed (`Closed from detect (forced): every alert resolved (closed by Ale\#
            rtmanager)`); one a person declared stays open for the team to finish |
            | `truncatedAlerts` > 0 (`max_alerts`) | one `alert` entry saying how many were left o\#
            ut (again only when the number changes); while alerts are left out, the group is never\#
             taken as all resolved |
            | a repeat (`repeat_interval`), a retry, a replay of an older notification | nothing: \#
            no entry, the file is not even rewritten |
            | the group fires again after its incident closed | a new incident, linked to the old \#
            one (link `previous` → `irctl:INC-3`; its first entry's data has `previous`) |
            | resolutions for a group with no open incident, alerts every route ignores | nothing |
            | a closed incident | never changed by an alert |

            Automatic changes only ever raise the severity: an `info` alert joining a `critical`
            group, or a person who set SEV1, keeps the higher one. Secrets in labels and
            annotations are redacted like every other stored text (see `irctl help security`);
            the group is recognised by a digest of its raw key, so redaction never splits a
            group. Entries are written by `alertmanager` (or `--as NAME`).

            Each `alert` entry's `data` carries: `source` (`alertmanager`), `event` (`firing`,
            `resolved`, `truncated`), `group` (receiver and group key), `groupDigest`,
            `fingerprint`, `alertname`, `labels` (all of them, `name="value",…`), `startsAt`,
            `endsAt`, `generatorURL`, and where they apply `opened`, `previous`, `previousUID`,
            `refired`, `allResolved`, `closing`, `truncatedAlerts`. The incident's alert state
            (which alerts fire, which group it belongs to) is derived from these entries alone.

            Defaults, when no route says otherwise:

            - **severity** from the `severity` label: `critical` → SEV2, `warning` or `error` →
              SEV3, `info` → SEV4, a level of the store's scheme by name (`SEV1`, `P1`);
              otherwise the middle of the scheme. With a custom scheme that has no SEV2,
              `critical` is the middle level too.
            - **service** from the first of the labels `service`, `app`, `job`.
            - **title** from the `summary` annotation (common to the group, else the first
              alert's), else the alert name and the group labels (`DiskFull: cluster=eu-1`).

            ### Routing rules

            `config.json`'s `alerts` section. Routes are tried in order; the **first** whose
            matchers all hold applies to an alert (no route: the defaults). The config is read
            on every notification, so a change needs no restart; a route that can't be used is
            an error naming it (`alert route 2 ('pager'): unknown severity 'SEV9'; use one of
            SEV1, SEV2, SEV3, SEV4`), and nothing is written until it is fixed.

            ```json
            {
              "alerts": {
                "closeWhenResolved": true,
                "routes": [
                  { "name": "heartbeat", "match": ["alertname=\"Watchdog\""], "ignore": true },
                  { "name": "database pages",
                    "match": ["severity=\"critical\"", "team=~\"db|storage\""],
                    "severity": "SEV1", "services": ["postgres"], "tags": ["database"],
                    "runbook": "database-down", "commander": "dba-oncall", "declare": true },
                  { "name": "staging", "match": ["env!~\"prod.*\""], "severity": "SEV4", "closeWhe\#
            nResolved": true }
                ]
              }
            }
            ```

            | Key | Meaning |
            |---|---|
            | `closeWhenResolved` | (section) close an incident still in `detect` when all its ale\#
            rts resolved; default `true` |
            | `name` | names the route in errors |
            | `match` | label matchers, all must hold: `name="value"`, `name!="value"`, `name=~"re\#
            gex"`, `name!~"regex"` (quotes optional). Regular expressions are anchored (`=~"db"` d\#
            oes not match `db-1`), as in Alertmanager; a missing label is the empty string |
            | `severity` | a level of the store's scheme (`SEV1`, `1`, `P1`) instead of the label'\#
            s |
            | `services`, `tags` | instead of the service from the labels; tags to add |
            | `runbook` | attached as a checklist when the incident opens (see `irctl help runbook\#
            `); `irctl serve` refuses to start when it can't be found |
            | `commander` | the incident commander, when none is assigned |
            | `declare` | `true`: open (or promote) the incident as declared; `false` (default): s\#
            tay in `detect` |
            | `ignore` | `true`: drop these alerts; they never open or change an incident |
            | `closeWhenResolved` | (route) overrides the section's value for the groups it matche\#
            s |

            ### `irctl ingest alertmanager [FILE | -]`

            Applies one notification (the JSON body Alertmanager posts, version 4) from FILE, or
            from standard input with `-` or when it is piped. Anything else is refused (exit 2)
            with what is wrong: not JSON, not version 4 (`Alertmanager webhook version '3' is
            not supported; irctl reads version 4 …`), no `groupKey` or `alerts`. Unknown fields
            are ignored: newer Alertmanagers add some. It prints one line (`INC-4 opened: SEV2 ·
            detect (2 firing)`, `INC-4 updated (1 resolved)`, `INC-4 closed: every alert
            resolved (1 resolved)`, `INC-4 unchanged`, `no incident changed`, `ignored by the
            alert routes`), or with `--json`:

            ```json
            {
              "action" : "opened",
              "alerts" : 2,
              "entries" : 3,
              "fired" : 2,
              "group" : "irctl {}:{alertname=\"DiskAlmostFull\"}",
              "ignored" : 0,
              "incident" : "INC-4",
              "phase" : "detect",
              "previous" : "INC-3",
              "resolved" : 0,
              "severity" : "SEV2",
              "warnings" : [ ]
            }
            ```

            `action` is `opened`, `updated`, `closed`, `unchanged` or `ignored`; `incident`,
            `previous`, `severity` and `phase` are absent when they don't apply; `entries`
            counts the entries appended. It is handy for replaying a notification saved from
            Alertmanager's logs, and for testing routes: `irctl ingest alertmanager
            notification.json --dir /tmp/scratch-store --json`.

            ### `irctl serve`

            ```
            irctl serve [--listen ADDR:PORT] [--token-file FILE] [--request-timeout SECONDS] [--ma\#
            x-connections N] [--runbooks DIR]
            ```

            | Option | Meaning |
            |---|---|
            | `--listen ADDR:PORT` | where to listen; default `127.0.0.1:9095`. `0.0.0.0:9095`, `[\#
            ::1]:9095`; port 0 picks a free port (the first line says which) |
            | `--token-file FILE` | require `Authorization: Bearer TOKEN`, TOKEN being the file's \#
            content (whitespace around it ignored). **Required** when ADDR is not loopback; a warn\#
            ing when the file is readable by others |
            | `--request-timeout SECONDS` | the time a client has to send a whole request, from it\#
            s first byte; default 10 |
            | `--max-connections N` | connections served at once (one thread each); default 32 (be\#
            low) |
            | `--runbooks DIR` | where routes' runbooks are looked up first |

            A small HTTP/1.1 server written in irctl on plain sockets. It answers `POST
            /alertmanager` and nothing else, applying each notification exactly as `ingest`
            does, one at a time, under the store's lock, so CLI users and other `irctl`s can
            write to the same store meanwhile. It answers **200 only once the change is on
            disk** (the body is the `--json` shape above), and every refusal with a one-line
            reason:

            | Status | When |
            |---|---|
            | 400 | a malformed request, or a body that is not a version 4 notification |
            | 401 | the bearer token is missing or wrong (compared in constant time) |
            | 404 | another path |
            | 405 | another method than POST |
            | 408 | the request was not received within `--request-timeout` |
            | 411 | no `Content-Length` (chunked bodies are refused) |
            | 413 | `Content-Length` over 4 MiB: refused before the body is read |
            | 415 | a `Content-Type` other than `application/json` |
            | 431 | request line and headers over 16 KiB, or more than 64 headers |
            | 503 | the store can't be written (lock held too long, disk full, a bad `config.json`\#
            ) or too many connections: Alertmanager retries |

            Path, method and token are checked before the body is read, and the token as soon as
            its `Authorization` line arrives: a wrong one is answered 401 at once, without
            waiting for the rest of the head. Connections that have not authenticated yet (no
            valid token line; with no token, no request head admitted) may hold at most three
            quarters of `--max-connections` (24 of 32), and a quarter (8) from one address. Past
            that, a new connection closes the oldest of them that has had a second to
            authenticate (answered 503 "closed to make room", and logged), the address's own
            first; so clients that open connections and send nothing can't keep Alertmanager
            out. Only when every slot holds an authenticated client is a new connection answered
            503 at once.

            Alertmanager's keep-alive connections are kept between notifications (idle ones for
            2 minutes, longer than the 90 s after which Alertmanager's Go client drops them, so
            the client always closes first); a refused request closes its connection. One line
            per request goes to standard error (`2026-11-24T03:38:55Z 127.0.0.1:35708 POST
            /alertmanager 200 23ms INC-1 opened: SEV2 · detect (2 firing)`). SIGTERM or SIGINT
            stops it: it stops accepting, lets requests under way finish, logs `stopped on
            SIGTERM`, and exits 0.

            ### Running it under systemd

            ```ini
            # /etc/systemd/system/irctl-alerts.service
            [Unit]
            Description=irctl: Alertmanager webhooks become incidents
            After=network-online.target

            [Service]
            User=irctl
            Group=irctl
            Environment=IRCTL_DIR=/srv/ops/.irctl
            ExecStart=/usr/local/bin/irctl serve --listen 127.0.0.1:9095 --token-file /etc/irctl/a\#
            lertmanager.token
            Restart=on-failure
            # irctl's only writes are to the store.
            NoNewPrivileges=yes
            ProtectSystem=strict
            ReadWritePaths=/srv/ops/.irctl
            ProtectHome=yes
            PrivateTmp=yes

            [Install]
            WantedBy=multi-user.target
            ```

            ```sh
            sudo install -d -m 0700 -o irctl /etc/irctl
            openssl rand -hex 32 | sudo install -m 0600 -o irctl /dev/stdin /etc/irctl/alertmanage\#
            r.token
            sudo systemctl enable --now irctl-alerts
            journalctl -u irctl-alerts -f          # the request log
            ```

            The store the service writes is the team's store: when it lives in a git repository,
            `irctl sync` (or a timer running it) publishes what the alerts opened.

            ### TLS, and other security notes

            `irctl serve` speaks plain HTTP. Across machines, put a TLS-terminating reverse
            proxy in front and keep irctl on loopback:

            ```nginx
            server {
                listen 443 ssl;
                server_name irctl.example.com;
                ssl_certificate     /etc/ssl/irctl.crt;
                ssl_certificate_key /etc/ssl/irctl.key;
                location = /alertmanager {
                    proxy_pass http://127.0.0.1:9095;
                    client_max_body_size 4m;
                }
            }
            ```

            and point Alertmanager's `url` at `https://irctl.example.com/alertmanager` (add
            `http_config.tls_config.ca_file` for a private CA). Caddy does the same in one line:
            `reverse_proxy /alertmanager 127.0.0.1:9095`.

            - Listen on loopback unless you must not; off loopback irctl refuses to start
              without a token.
            - The token authenticates Alertmanager: keep its file `0600`, give both sides their
              own copy, and rotate it by changing both files and restarting irctl (Alertmanager
              rereads `credentials_file` on every request). Without TLS the token crosses the
              network in clear.
            - Anyone who can post notifications can open incidents, append `alert` entries,
              raise severities and close incidents still in `detect`; never close a declared
              incident, lower a severity or touch a closed one. That is what the token protects.
            - Labels and annotations are redacted before they are written, and nothing from a
              request reaches the terminal or the log raw.
            - Limits bound what one client can take: head and body sizes, the request deadline,
              the number of connections.
            """#)
}
