// swift-format-ignore-file
// GENERATED from runbooks/*.md. Do not edit by hand; after changing a runbook run:
// swift run generate-runbooks

/// The starter runbooks compiled into the binary, so an installed `irctl` has them
/// without the repository. Sorted by name.
public enum BuiltinRunbooks {
    public static let all: [(name: String, markdown: String)] = [
        (name: "database-outage", markdown: #"""
---
title: Database outage and failover
severity: SEV1
tags: [database, postgresql, failover]
services: PostgreSQL primary and replicas
owner: database on-call
escalation: database on-call, then the data platform lead; the cloud provider for managed databases
---

# Database outage and failover

## When to use

- Applications log `connection refused`, `too many connections` or timeouts to the
  database; health checks that touch the database fail.
- The primary is down, read-only, or unreachable; replication alerts fire.
- Error rate rises across several services that share one database.

Suggested severity: SEV1 for the primary of a customer-facing database; SEV2 when only
a replica or a reporting database is affected.

## Steps

1. Assign roles now: a database expert as tech lead, and someone who decides on failover (the commander). Failover can lose the last writes; one person decides.

   ```sh
   irctl assign <incident> --commander <name> --tech <db-engineer>
   ```

2. Check whether the primary accepts connections.

   ```sh
   pg_isready -h <primary-host> -p 5432
   ```

3. On the primary host, check the service and its recent log: crash, out of memory, disk full, corrupted WAL.

   ```sh
   sudo journalctl -u <postgres-unit> --since "30 min ago" --no-pager | tail -100
   ```

   A full disk is the most common cause: `df -h <data-directory>`; if so, use the
   disk-full runbook and do not delete files under the data directory.

4. If the server is up but refuses work, look at connections by state; an exhausted pool usually means a client leak or a stuck transaction.

   ```sh
   psql -h <primary-host> -U <user> -d postgres -c "SELECT state, count(*) FROM pg_stat_activity GROUP BY state ORDER BY 2 DESC;"
   ```

5. Try the cheap fix before failover: if the process crashed and the disk is fine, start it again.

   ```sh
   sudo systemctl restart <postgres-unit>
   ```

6. Before failing over, check the replica's lag: this is how much data a failover loses. Record the number and the decision.

   ```sh
   psql -h <replica-host> -U <user> -d postgres -c "SELECT pg_is_in_recovery(), now() - pg_last_xact_replay_timestamp() AS replay_lag;"
   ```

7. Fence the old primary so it cannot come back and accept writes (split brain). If the host is unreachable, remove it from the load balancer or DNS instead.

   ```sh
   sudo systemctl stop <postgres-unit>
   ```

8. Promote the replica. With Patroni use `patronictl failover`; on a managed database use the provider's failover (e.g. `aws rds failover-db-cluster --db-cluster-identifier <cluster>`).

   ```sh
   psql -h <replica-host> -U postgres -c "SELECT pg_promote();"
   ```

9. Point the applications at the new primary (DNS, connection string or secret), then restart them so pools reconnect.

   ```sh
   kubectl rollout restart deployment/<service> -n <namespace>
   ```

10. Record the failover with the data-loss window, and move the incident to contain.

    ```sh
    irctl contain <incident> -m "Promoted <replica-host> to primary; up to <lag> of writes may be lost"
    ```

## Verify

- The new primary accepts writes: `psql -h <new-primary> -U <user> -d <database> -c "SELECT pg_is_in_recovery();"`
  returns `f`.
- Application error rates and latency are back to baseline.
- Rebuild a replica from the new primary so you are not running without one.

Then `irctl recover <incident> -m "Database writable on <new-primary> since <time>"`.

## Escalate

- Database on-call immediately for any SEV1 database incident.
- The cloud provider's support for managed databases (open a case at the highest
  priority; note the case number with `irctl log <incident> "Provider case <id>"`).
- Security on-call if the data may have been corrupted or tampered with.

## Communicate

Data loss must be stated plainly. Record each update with
`irctl log <incident> --kind comms "<update>"`.

```text
[SEV1] Database outage affecting <services> — <investigating|failed over|resolved>
Impact: <what users cannot do> since <time>
Data: <no data loss | writes between <time> and <time> may be lost>
Action: <failover to replica / restart> at <time>
Next update: <time>   Commander: <name>
```

"""#),
        (name: "disk-full", markdown: #"""
---
title: Disk or volume full
severity: SEV2
tags: [disk, storage, capacity]
services: any host or persistent volume
owner: the team that owns the host or service
escalation: platform on-call for volumes and nodes; database on-call if it holds database data
---

# Disk or volume full

## When to use

- Disk usage alert (above 90%) or inode usage alert on a host or persistent volume.
- Errors like `No space left on device`, writes failing, a database refusing writes,
  pods evicted for `DiskPressure`.

Suggested severity: SEV2; SEV1 when a database or a customer-facing write path is
already failing.

## Steps

1. See which filesystem is full; check blocks and inodes (a full inode table also gives `No space left on device`).

   ```sh
   df -h && df -i
   ```

2. Find what grew, staying on that filesystem (`-x`).

   ```sh
   sudo du -xh --max-depth=2 <mount-point> 2>/dev/null | sort -rh | head -20
   ```

3. Look for deleted files still held open by a process: the space is only freed when the process closes them or restarts.

   ```sh
   sudo lsof -nP +L1
   ```

4. Free space safely first: old journal logs, rotated logs, package caches. Never delete database files (`pg_wal`, data directories) by hand.

   ```sh
   sudo journalctl --vacuum-size=500M
   ```

5. Force log rotation if an application log is the culprit, then restart the process that holds a deleted log open (from step 3).

   ```sh
   sudo logrotate -f /etc/logrotate.conf
   ```

6. Record what was removed, so the cause can be fixed later.

   ```sh
   irctl log <incident> --kind action "Freed <size> on <host>:<mount-point> by <what>"
   ```

7. If nothing safe can be removed, grow the volume. For a Kubernetes volume whose storage class allows expansion, patch the claim.

   ```sh
   kubectl patch pvc <claim> -n <namespace> -p '{"spec":{"resources":{"requests":{"storage":"<new-size>"}}}}'
   ```

   On a cloud VM: grow the disk in the provider, then `sudo growpart /dev/<disk> <partition-number>`
   and `sudo resize2fs /dev/<partition>` (ext4) or `sudo xfs_growfs <mount-point>` (XFS).

8. Restart the services that failed while the disk was full; they may not recover on their own.

   ```sh
   sudo systemctl restart <unit>
   ```

9. Move the incident to contain and add an action item for the cause (missing rotation, retention, alert threshold).

   ```sh
   irctl contain <incident> -m "<mount-point> at <percent>% after cleanup"
   ```

## Verify

- `df -h <mount-point>` shows below 80% and is not rising quickly (check again after
  10 minutes).
- The affected service writes again: its error log is quiet and health checks pass.

Then `irctl recover <incident> -m "<mount-point> at <percent>%, writes healthy"`.

## Escalate

- Platform on-call to grow volumes or replace nodes.
- Database on-call before touching anything on a database host.
- The owning team if their application writes unbounded logs or files.

## Communicate

Record each update with `irctl log <incident> --kind comms "<update>"`.

```text
[<SEV>] Disk full on <host/volume> — <investigating|mitigated|resolved>
Impact: <which writes or features fail> since <time>
Action: freed <size> / grew volume to <size> at <time>
Next update: <time>   Commander: <name>
```

"""#),
        (name: "error-rate-spike", markdown: #"""
---
title: Error rate spike (5xx)
severity: SEV2
tags: [errors, 5xx, availability]
services: any HTTP service
owner: the team that owns the service
escalation: the owner of the failing dependency, then platform on-call
---

# Error rate spike (5xx)

## When to use

- The 5xx ratio or error budget burn-rate alert fires for a service.
- Load balancer or ingress logs show `502`, `503` or `504` climbing.
- Customers or synthetic checks report failed requests.

Suggested severity: SEV2; SEV1 when more than a quarter of requests fail on a
customer-facing path, or payments, login or data integrity are affected.

## Steps

1. Declare the incident and take the commander role, so there is one owner and a timeline from the first minute.

   ```sh
   irctl declare "5xx spike on <service>" -s SEV2 --service <service> --commander <your-name>
   ```

2. Confirm from outside that requests fail and see the status code users get.

   ```sh
   curl -sS -o /dev/null -w '%{http_code} %{time_total}s\n' https://<host>/<path>
   ```

3. Look for a recent change: a deploy, config change or flag flip in the last hour is the most likely cause. If there is one, switch to the failed-deployment runbook and roll back.

   ```sh
   kubectl rollout history deployment/<service> -n <namespace>
   ```

4. Find what is failing: read recent error logs from the service and note the error type (timeouts to a dependency, crashes, out of memory).

   ```sh
   kubectl logs deployment/<service> -n <namespace> --since=15m --all-containers | grep -iE 'error|exception|timeout' | tail -50
   ```

5. Check the pods and the cluster for restarts, OOM kills and evictions.

   ```sh
   kubectl get events -n <namespace> --sort-by=.lastTimestamp | tail -30
   ```

6. Mitigate by the cause found: roll back a bad change; scale out if the service is saturated; restart only if pods are stuck (it destroys evidence, so save a log first).

   ```sh
   kubectl scale deployment/<service> -n <namespace> --replicas=<count>
   ```

7. If a dependency is failing, shed or degrade: turn off the feature that calls it, or fail open where it is safe, and record the decision.

   ```sh
   irctl log <incident> --kind decision "Disabled <feature> to stop calls to <dependency>"
   ```

8. Once the error rate is falling, move the incident to contain.

   ```sh
   irctl contain <incident> -m "<mitigation> applied; 5xx falling from <peak>% to <now>%"
   ```

## Verify

- The 5xx ratio is back to baseline on the dashboard for 15 minutes.
- The check from step 2 returns `200` repeatedly.
- No new restarts or OOM kills in `kubectl get pods -n <namespace> -l app=<service>`.

Then `irctl recover <incident> -m "5xx at baseline since <time>"`.

## Escalate

- The owning team of a failing dependency (database, cache, upstream API) through
  their on-call.
- Platform on-call for ingress, load balancer, DNS or cluster trouble.
- Raise severity if errors grow or spread: `irctl severity <incident> SEV1 --reason "<why>"`.

## Communicate

Assign a comms lead for SEV1 (`irctl assign <incident> --comms <name>`). Record every
update: `irctl log <incident> --kind comms "<update>"`.

```text
[<SEV>] Elevated errors on <service> — <investigating|mitigated|resolved>
Impact: <percent> of <requests/feature> failing since <time>
Cause: <known cause, or "under investigation">
Action: <what we did / are doing>
Next update: <time>   Commander: <name>
```

"""#),
        (name: "failed-deployment", markdown: #"""
---
title: Failed deployment and rollback
severity: SEV2
tags: [deploy, rollback, kubernetes]
services: any service deployed to Kubernetes
owner: the team that owns the service
escalation: platform on-call, then the service's engineering manager
---

# Failed deployment and rollback

## When to use

- Errors, latency or crash loops start within minutes of a deploy, config push or
  feature-flag change.
- `kubectl rollout status` hangs or reports `ProgressDeadlineExceeded`; new pods sit in
  `CrashLoopBackOff`, `ImagePullBackOff` or fail their readiness probe.
- Smoke tests or synthetic checks fail right after a release.

Suggested severity: SEV2; SEV1 if a customer-facing path is down for everyone.
Roll back first, find the cause later.

## Steps

1. Freeze deploys of the service (pause the CD pipeline, lock the deploy job) so nobody ships on top of the broken release, and record it.

   ```sh
   irctl log <incident> --kind action "Deploys of <service> frozen; release <version> suspected"
   ```

2. Confirm the timing: find the live revision and when it rolled out, and compare it with when the errors started on the dashboard.

   ```sh
   kubectl rollout history deployment/<service> -n <namespace>
   ```

3. Look at the new pods: crash loops, failed probes, image pull errors.

   ```sh
   kubectl get pods -n <namespace> -l app=<service> -o wide
   ```

   For a failing pod: `kubectl describe pod <pod> -n <namespace>` and
   `kubectl logs <pod> -n <namespace> --previous`.

4. Roll back to the previous revision. If the release ran a database migration that is not backward compatible, stop and escalate to the service owner before rolling back the code.

   ```sh
   kubectl rollout undo deployment/<service> -n <namespace>
   ```

   To a specific known-good revision add `--to-revision=<revision>`.
   On plain hosts: redeploy the previous artifact and `sudo systemctl restart <unit>`.

5. Wait for the rollback to finish; all replicas must be updated and available.

   ```sh
   kubectl rollout status deployment/<service> -n <namespace> --timeout=5m
   ```

6. Record the rollback and move the incident to contain.

   ```sh
   irctl contain <incident> -m "Rolled back <service> to revision <revision>"
   ```

7. If errors persist after the rollback, revert the config or feature-flag changes that shipped with the release, one at a time, and record each.

   ```sh
   irctl log <incident> --kind action "Reverted <flag-or-config> to <previous-value>"
   ```

8. Keep the freeze until the cause is understood; mark the bad version so the pipeline cannot redeploy it, and record the follow-up.

   ```sh
   irctl action add <incident> "Find why <version> failed and add a check to the pipeline" --type prevent --owner <owner>
   ```

## Verify

- `kubectl get pods -n <namespace> -l app=<service>` shows every pod `Running` and
  ready, with no restarts climbing.
- Error rate and latency are back to the pre-deploy baseline for 15 minutes.
- A real request succeeds:
  `curl -sS -o /dev/null -w '%{http_code} %{time_total}s\n' https://<host>/<health-path>`.

Then `irctl recover <incident> -m "Error rate at baseline since <time>"`.

## Escalate

- The service owner's on-call if the rollback fails or a migration blocks it.
- Platform on-call if the cluster itself misbehaves (pods unschedulable, image
  registry down, nodes `NotReady`).
- Raise to SEV1 (`irctl severity <incident> SEV1 --reason "<why>"`) if customers are
  fully down for more than 15 minutes.

## Communicate

Update every 30 minutes (SEV1) or hourly (SEV2), and record each update with
`irctl log <incident> --kind comms "<update>"`.

```text
[<SEV>] <service>: errors after deploy of <version> — <investigating|rolled back|resolved>
Impact: <who is affected and how, e.g. 8% of checkout requests fail>
Started: <time> (deploy at <time>)
Action: rolled back to <revision> at <time>; deploys frozen
Next update: <time>   Commander: <name>
```

"""#),
        (name: "latency-regression", markdown: #"""
---
title: Latency regression
severity: SEV3
tags: [latency, performance, saturation]
services: any HTTP service
owner: the team that owns the service
escalation: database on-call for slow queries, platform on-call for nodes and network
---

# Latency regression

## When to use

- p95 or p99 latency alert fires, or an SLO latency burn-rate alert.
- Users report a slow product; timeouts (`504`) begin to appear.
- Queue depth, thread pool or connection pool usage climbs while traffic is flat.

Suggested severity: SEV3; SEV2 when requests time out or a key journey (login,
checkout, search) is slower than its SLO for more than 15 minutes.

## Steps

1. Measure from outside and see where the time goes (DNS, connect, TLS, server).

   ```sh
   curl -sS -o /dev/null -w 'dns=%{time_namelookup} connect=%{time_connect} tls=%{time_appconnect} ttfb=%{time_starttransfer} total=%{time_total}\n' https://<host>/<path>
   ```

2. Check for a change in the last hours (deploy, config, flag, traffic shift). If one lines up with the start, roll it back first (failed-deployment runbook).

   ```sh
   kubectl rollout history deployment/<service> -n <namespace>
   ```

3. Check saturation of the service: CPU near the limit means throttling, memory near the limit means GC pressure or OOM kills.

   ```sh
   kubectl top pods -n <namespace> -l app=<service>
   ```

4. Check the database for long-running queries and lock waits.

   ```sh
   psql -h <db-host> -U <user> -d <database> -c "SELECT pid, now() - query_start AS duration, wait_event_type, state, left(query, 80) AS query FROM pg_stat_activity WHERE state <> 'idle' ORDER BY duration DESC LIMIT 10;"
   ```

5. On a plain host, check load, run queue and I/O wait (`wa` column).

   ```sh
   vmstat 1 5
   ```

6. Mitigate: scale out if saturated, cancel a runaway query (`SELECT pg_cancel_backend(<pid>);`), or disable the slow feature. Record what you did.

   ```sh
   irctl log <incident> --kind action "<mitigation>, e.g. scaled <service> from <n> to <m> replicas"
   ```

7. When latency is back under the SLO, move the incident to contain and keep watching for 30 minutes; latency often returns with the next traffic peak.

   ```sh
   irctl contain <incident> -m "p99 back to <value> ms after <mitigation>"
   ```

## Verify

- p95 and p99 latency are at baseline for 30 minutes, including a traffic peak.
- The timing from step 1 matches the baseline on several runs.
- No pods are CPU-throttled and the connection pools are below 80%.

Then `irctl recover <incident> -m "Latency at baseline since <time>"`.

## Escalate

- Database on-call for slow queries, lock contention or replication lag.
- Platform on-call for noisy neighbours, node pressure or network latency.
- Raise to SEV2 when timeouts reach users: `irctl severity <incident> SEV2 --reason "<why>"`.

## Communicate

Record each update with `irctl log <incident> --kind comms "<update>"`.

```text
[<SEV>] Slow responses on <service> — <investigating|mitigated|resolved>
Impact: p99 <value> ms (normal <value> ms) on <endpoints> since <time>
Action: <what we did / are doing>
Next update: <time>   Commander: <name>
```

"""#),
        (name: "leaked-credential", markdown: #"""
---
title: Leaked credential
severity: SEV1
tags: [security, credentials, secrets]
services: any system the credential opens
owner: security on-call
escalation: security on-call, then the CISO; legal and privacy when personal data may be exposed
---

# Leaked credential

## When to use

- A secret (cloud key, API token, database password, private key, session signing
  key) appears where it should not: a public or shared repository, a log, a ticket,
  a chat, a paste site, a build artifact.
- A secret-scanning alert (GitHub, GitLab, cloud provider) or a report from a third
  party.
- Unexpected use of a credential: calls from unknown IP addresses or regions.

Suggested severity: SEV1 for production credentials or any sign of use by someone
else; SEV2 for a non-production credential with no sign of use. Rotate within minutes:
public repositories are scanned by attackers within minutes.

## Steps

1. Declare the incident, make security the tech lead, and keep the secret itself out of every channel, ticket and note (irctl redacts secrets it recognises, but do not rely on it).

   ```sh
   irctl declare "Leaked credential: <credential-name>" -s SEV1 --tag security --commander <your-name>
   ```

2. Identify the credential: what it is, what it can access, where it leaked, and since when. Record the facts, not the value.

   ```sh
   irctl log <incident> "Credential <key-id> (<scope>) exposed in <location> since <time>"
   ```

3. Create a replacement credential, so that services keep working after the old one is revoked. If the leak is public and the credential is powerful, skip ahead and revoke first: an outage is better than a breach.

   ```sh
   aws iam create-access-key --user-name <user>
   ```

4. Deploy the replacement to its secret store and restart the services that use it. Read the new value from a file, never from the command line (shell history).

   ```sh
   kubectl create secret generic <secret> -n <namespace> --from-file=<key>=<path-to-new-value> --dry-run=client -o yaml | kubectl apply -f -
   ```

   Then `kubectl rollout restart deployment/<service> -n <namespace>`.

5. Revoke the leaked credential. For other kinds: revoke the token in its provider, `ALTER ROLE <role> PASSWORD …` via `\password <role>` in `psql`, or revoke and reissue a certificate.

   ```sh
   aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive
   ```

6. Record the rotation and move the incident to contain.

   ```sh
   irctl contain <incident> -m "Credential <key-id> revoked; replacement deployed"
   ```

7. Audit what the credential did from the moment it leaked: look for calls you do not recognise (source IP, user agent, region, actions).

   ```sh
   aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=<key-id> --start-time <leak-time> --max-results 50
   ```

8. Check the exposure: who could see the location, whether it was copied or forked, and whether other secrets leaked with it. Search the repository history for the key id.

   ```sh
   git log --all --oneline -S '<key-id>'
   ```

9. Remove the secret from where it leaked (delete the message, make the paste private, purge the artifact). Rewriting git history does not undo a leak: the rotation is the fix. Keep logs and evidence.

   ```sh
   irctl log <incident> --kind action "Removed secret from <location>; evidence kept in <place>"
   ```

10. If the audit shows use by someone else, treat it as a breach: keep SEV1, involve legal and privacy, and find what was accessed before leaving containment. Record the finding either way.

    ```sh
    irctl log <incident> --kind decision "Audit: <no unauthorised use | use from <ip> at <time>, accessed <what>>"
    ```

## Verify

- The old credential is rejected (a test call with it fails with an authorization
  error) and `aws iam list-access-keys --user-name <user>` shows it `Inactive`.
- Services using the replacement are healthy; no authentication errors in their logs.
- The audit of step 7 is complete and its result is recorded in the timeline.

Then `irctl recover <incident> -m "Credential rotated; no unauthorised use found"`, and
delete the old key after a week: `aws iam delete-access-key --user-name <user> --access-key-id <key-id>`.

## Escalate

- Security on-call at once, for every leaked production credential.
- Legal and privacy if personal or customer data may have been accessed (there may be
  a notification deadline, often 72 hours).
- The credential's provider (cloud, SaaS) to report abuse.

## Communicate

Keep details on a need-to-know basis; never include the secret. Record each update
with `irctl log <incident> --kind comms "<update>"`.

```text
[<SEV>] Security: exposed credential for <system> — <investigating|rotated|resolved>
Exposure: <where>, from <time> to <time>
Action: credential revoked and replaced at <time>
Use by others: <none found | under investigation | confirmed — see security lead>
Next update: <time>   Commander: <name>
```

"""#),
        (name: "tls-certificate-expiry", markdown: #"""
---
title: TLS certificate expiry
severity: SEV2
tags: [tls, certificate, security]
services: any HTTPS endpoint
owner: the team that owns the endpoint
escalation: platform on-call for ingress and cert-manager; security on-call for key compromise
---

# TLS certificate expiry

## When to use

- A certificate expiry alert (fewer than 14 days left), or a certificate has expired.
- Clients fail with `certificate has expired`, `CERT_HAS_EXPIRED`,
  `x509: certificate has expired or is not yet valid`, or a browser warning.
- Automatic renewal (certbot, cert-manager) reports failures.

Suggested severity: SEV2 before expiry (renew within the day); SEV1 once expired on a
customer-facing endpoint.

## Steps

1. Check the certificate the endpoint serves right now: subject, issuer and dates.

   ```sh
   echo | openssl s_client -connect <host>:443 -servername <host> 2>/dev/null | openssl x509 -noout -subject -issuer -dates
   ```

2. Find where it comes from: the ingress secret, load balancer, CDN, or a file on the host. For a file, check its dates and names.

   ```sh
   openssl x509 -in <cert.pem> -noout -subject -enddate -ext subjectAltName
   ```

3. Renew it. With certbot use the command below; with cert-manager, `kubectl describe certificate <certificate> -n <namespace>` shows why renewal fails and `cmctl renew <certificate> -n <namespace>` forces it.

   ```sh
   sudo certbot renew --cert-name <cert-name> --force-renewal
   ```

4. Check that the new certificate matches its private key before installing it (the command prints `match`).

   ```sh
   diff <(openssl x509 -noout -pubkey -in <cert.pem>) <(openssl pkey -pubout -in <key.pem>) && echo match
   ```

5. Install it and reload the server without dropping connections; test the configuration first.

   ```sh
   sudo nginx -t && sudo systemctl reload nginx
   ```

6. Record the renewal with the new expiry date.

   ```sh
   irctl log <incident> --kind action "Renewed certificate for <host>; valid until <date>"
   ```

7. Check every other place that serves the same name (other regions, CDN, load balancers) with the command from step 1, and move the incident to contain.

   ```sh
   irctl contain <incident> -m "New certificate served on all endpoints for <host>"
   ```

8. Add an action item to fix the renewal automation and alert 21 days before expiry.

   ```sh
   irctl action add <incident> "Fix automatic renewal for <host> and alert 21 days before expiry" --type prevent --owner <owner>
   ```

## Verify

- Step 1 shows the new `notAfter` date on every endpoint.
- `curl -sSI https://<host>/` succeeds without `-k`.
- Clients that pin or cache certificates (mobile apps, partners) connect again.

Then `irctl recover <incident> -m "Valid certificate on all endpoints"`.

## Escalate

- Platform on-call for ingress, load balancer or cert-manager problems.
- The certificate authority's support if issuance is blocked (rate limits, validation).
- Security on-call if the private key may have leaked: revoke, do not only renew.

## Communicate

Record each update with `irctl log <incident> --kind comms "<update>"`.

```text
[<SEV>] Certificate for <host> <expires on <date>|has expired> — <investigating|renewed|resolved>
Impact: <clients failing TLS, browser warnings> since <time>
Action: renewed certificate at <time>, valid until <date>
Next update: <time>   Commander: <name>
```

"""#),
        (name: "traffic-spike-ddos", markdown: #"""
---
title: Traffic spike or denial of service
severity: SEV2
tags: [traffic, ddos, security, capacity]
services: public endpoints, load balancers, CDN
owner: platform on-call
escalation: platform on-call, security on-call; the CDN or cloud provider's DDoS response team
---

# Traffic spike or denial of service

## When to use

- Requests per second jump well above the normal peak; 429, 503 or timeouts rise.
- Traffic concentrates on few IP addresses, networks, countries, user agents or one
  expensive endpoint.
- The CDN, WAF or cloud provider raises a DDoS alert; connection counts or bandwidth
  hit limits.

Suggested severity: SEV2; SEV1 when the service is unavailable for real users.

## Steps

1. Declare the incident with security tagged, so the security on-call sees it.

   ```sh
   irctl declare "Traffic spike on <service>" -s SEV2 --service <service> --tag security --commander <your-name>
   ```

2. Characterise the traffic: top client addresses in the access log (behind a load balancer, log and use `X-Forwarded-For` instead).

   ```sh
   sudo awk '{print $1}' /var/log/nginx/access.log | sort | uniq -c | sort -rn | head -20
   ```

3. See which paths are hit; one expensive endpoint (search, login, export) is a common target.

   ```sh
   sudo awk '{print $7}' /var/log/nginx/access.log | sort | uniq -c | sort -rn | head -20
   ```

4. Decide whether it is legitimate (launch, campaign, retry storm from your own clients) or hostile, and record the decision: legitimate traffic gets capacity, hostile traffic gets blocked.

   ```sh
   irctl log <incident> --kind decision "Traffic judged <legitimate|hostile>: <evidence>"
   ```

5. Protect the origin at the edge first: turn on the CDN/WAF rate limits or challenge mode for the targeted paths. Blocking on the host itself is the last resort, for a few addresses.

   ```sh
   sudo iptables -I INPUT -s <cidr> -j DROP
   ```

6. Add capacity where the traffic is legitimate or cannot be filtered: raise the autoscaler ceiling.

   ```sh
   kubectl patch hpa <service> -n <namespace> -p '{"spec":{"maxReplicas":<count>}}'
   ```

7. Shed non-critical load: disable expensive features, serve cached or static pages, pause batch jobs that share the database.

   ```sh
   irctl log <incident> --kind action "Disabled <feature> and paused <job> to shed load"
   ```

8. For a large attack, open a case with the CDN or cloud provider's DDoS response team, and move the incident to contain once users are served again.

   ```sh
   irctl contain <incident> -m "Edge rules for <paths>; origin load back under <value> rps"
   ```

## Verify

- Origin requests per second, error rate and latency are back within normal range.
- Real users get through: `curl -sS -o /dev/null -w '%{http_code} %{time_total}s\n' https://<host>/`
  returns `200` from outside your network.
- Connection counts are normal: `ss -s`.
- Temporary blocks and raised limits are listed in the timeline, each with an owner
  to remove it later.

Then `irctl recover <incident> -m "Traffic absorbed; service normal since <time>"`.

## Escalate

- Security on-call for any hostile traffic, and if the attack may hide another
  intrusion (a DDoS is sometimes a distraction).
- The CDN or cloud provider's DDoS response team for volumetric attacks you cannot
  filter yourself.
- The owners of the targeted endpoint for rate limits that need product decisions.

## Communicate

Do not describe your defences in public updates. Record each update with
`irctl log <incident> --kind comms "<update>"`.

```text
[<SEV>] <service> degraded by unusual traffic — <investigating|mitigated|resolved>
Impact: <slow or failing requests for some users> since <time>
Action: <filtering and added capacity> at <time>
Next update: <time>   Commander: <name>
```

"""#),
    ]
}
