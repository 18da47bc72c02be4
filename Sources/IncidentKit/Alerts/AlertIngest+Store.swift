import Foundation

extension AlertIngest {
    /// Applies one notification to the store: finds the group's open incident (or decides to open
    /// one) and changes it under the store's lock. Safe against other writers, other `ingest`s
    /// included: the lookup is repeated under the lock before anything is written.
    ///
    /// `runbook` resolves a route's runbook name; when it fails, the notification is still
    /// applied and the result carries a warning.
    public func ingest(
        _ payload: AlertmanagerPayload, store: Store, context: EditContext,
        runbook resolve: (String) throws -> Runbook
    ) throws -> AlertIngestResult {
        let (kept, ignored) = routed(payload)
        var result = AlertIngestResult(
            action: .ignored,
            group: context.redactor.redact(oneLine(payload.group.readable, limit: 500)),
            alerts: payload.alerts.count, ignored: ignored)
        guard !kept.isEmpty else {
            if ignored == 0 { result.action = .unchanged }  // a notification without alerts
            return result
        }
        var runbook: Runbook?
        if let name = runbookName(for: payload) {
            do {
                runbook = try resolve(name)
            } catch {
                result.warnings.append(
                    "runbook '\(name)' of an alert route was not attached: "
                        + ((error as? DescribedError)?.message ?? "\(error)"))
            }
        }
        let digest = payload.group.digest
        for _ in 0..<5 {
            if let open = try AlertGroupLookup.openIncident(of: digest, in: store) {
                // A dry run first: a repeat or a replay must not even rewrite the file.
                var copy = open
                if try apply(payload, to: &copy, runbook: runbook, context: context).isEmpty {
                    result.action = .unchanged
                    result.incident = open.id.description
                    return result
                }
                var change = Change()
                let before = open.timeline.count
                do {
                    let updated = try store.update(open.id) { incident in
                        guard incident.isOpen, incident.alertTrack.groupDigest == digest else {
                            throw Retry()
                        }
                        change = try apply(
                            payload, to: &incident, runbook: runbook, context: context)
                        if change.isEmpty { throw Unchanged() }
                    }
                    result.action = change.closed ? .closed : .updated
                    result.incident = updated.id.description
                    result.fired = change.fired
                    result.resolved = change.resolved
                    result.entries = updated.timeline.count - before
                    result.severity = updated.severity
                    result.phase = updated.phase.rawValue
                    return result
                } catch is Retry {
                    continue
                } catch is Unchanged {
                    result.action = .unchanged
                    result.incident = open.id.description
                    return result
                }
            }

            // Only firing alerts open an incident; resolutions alone need no search of closed ones.
            guard kept.contains(where: { $0.alert.status == .firing }) else {
                result.action = .unchanged
                return result
            }
            let previous = AlertGroupLookup.lastClosedIncident(of: digest, in: store)
            guard opensIncident(payload, previous: previous) else {
                result.action = .unchanged
                return result
            }
            let uid = UUID().uuidString.lowercased()
            do {
                let incident = try store.create { id in
                    // Another writer may have opened the group's incident since the lookup.
                    if try AlertGroupLookup.openIncident(of: digest, in: store) != nil {
                        throw Retry()
                    }
                    return try open(
                        payload, id: id, uid: uid, previous: previous, runbook: runbook,
                        context: context)
                }
                result.action = .opened
                result.incident = incident.id.description
                result.previous = previous?.id.description
                result.fired = incident.alertTrack.alerts.count
                result.entries = incident.timeline.count
                result.severity = incident.severity
                result.phase = incident.phase.rawValue
                return result
            } catch is Retry {
                continue
            }
        }
        throw AlertError.groupBusy(result.group)
    }
}

private struct Retry: Error {}
private struct Unchanged: Error {}
