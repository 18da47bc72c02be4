import Foundation

@testable import IncidentKit

/// The three incidents the postmortem golden files are rendered from, built through the library's
/// own mutations under a fixed clock, so they are exactly what irctl would have stored.
enum PostmortemFixtures {
    static func at(_ text: String, _ author: String = "alice") -> EditContext {
        EditContext(author: author, now: Fixture.instant(text), redactor: .standard)
    }

    /// A possible incident, just detected: nothing else known.
    static func minimal() throws -> Incident {
        var new = NewIncident(
            title: "Disk usage climbing on db-3", severity: SeverityScheme.standard.levels[3],
            phase: .detect)
        new.detectedAt = Fixture.instant("2026-11-21T09:00:00Z")
        return try Incident.open(
            new, id: IncidentID(number: 2)!, uid: "00000000-0000-4000-8000-000000000002",
            context: at("2026-11-21T09:01:00Z"))
    }

    /// A closed SEV2 with every section written, roles, action items and a phase moved back.
    static func everything() throws -> Incident {
        var new = NewIncident(
            title: "Checkout returns 5xx after deploy v2.4",
            severity: SeverityScheme.standard.levels[1], phase: .declare)
        new.services = ["checkout", "payments-api"]
        new.tags = ["deploy", "customer-facing"]
        new.roles = Roles(commander: "alice", comms: "bob", tech: "carol")
        new.startedAt = Fixture.instant("2026-11-21T13:55:00Z")
        new.detectedAt = Fixture.instant("2026-11-21T14:02:00Z")
        var i = try Incident.open(
            new, id: IncidentID(number: 1)!, uid: "00000000-0000-4000-8000-000000000001",
            context: at("2026-11-21T14:05:00Z"))
        try i.log(
            "Error rate 12% on /checkout since 14:02; started right after deploy v2.4",
            kind: .alert, context: at("2026-11-21T14:06:00Z", "carol"))
        try i.log(
            "Status page: investigating elevated checkout errors", kind: .comms,
            context: at("2026-11-21T14:09:00Z", "bob"))
        try i.log(
            "Roll back checkout to v2.3.1 rather than forward-fix", kind: .decision,
            context: at("2026-11-21T14:12:00Z"))
        try i.log(
            "kubectl rollout undo deploy/checkout", kind: .action,
            context: at("2026-11-21T14:14:00Z", "carol"))
        try i.move(
            to: .contain, message: "rollback done, error rate falling",
            context: at("2026-11-21T14:20:00Z", "carol"))
        try i.move(to: .eradicate, context: at("2026-11-21T14:31:00Z", "carol"))
        try i.move(
            to: .contain, reason: "errors back on payments-api",
            context: at("2026-11-21T14:38:00Z", "carol"))
        try i.log(
            "Pool exhausted on payments-api: max 20 connections, 20 in use",
            context: at("2026-11-21T14:41:00Z", "dave"))
        try i.move(
            to: .recover, message: "pool raised to 80; errors at baseline",
            context: at("2026-11-21T14:55:00Z", "carol"))
        try i.move(to: .review, context: at("2026-11-21T15:25:00Z"))
        let narrative: [(NarrativeField, String)] = [
            (
                .summary,
                "For 1h 30m, about 8% of checkout requests failed with HTTP 503 after deploy v2.4 "
                    + "raised the number of checkout workers without raising the payments-api "
                    + "connection pool."
            ),
            (
                .impact,
                "- ~4,100 failed checkouts (8% of attempts) between 13:55 and 15:25 UTC\n- No data "
                    + "loss; customers could retry\n- Two enterprise customers opened tickets"
            ),
            (
                .rootCause,
                "The payments-api connection pool was sized (20) for the old worker count. v2.4 "
                    + "doubled checkout workers, so the pool saturated under normal evening load."
            ),
            (.trigger, "Deploy of checkout v2.4 at 13:50 UTC."),
            (
                .contributingFactors,
                "- No alert on pool saturation\n- The load test ran against a single worker"
            ),
            (
                .detection,
                "The 5xx-rate alert fired 7 minutes after impact began; its 5-minute window "
                    + "delayed it."
            ),
            (
                .resolution,
                "Rolled back checkout to v2.3.1 (errors fell), then raised the pool to 80 and "
                    + "redeployed v2.4. Verified by 30 minutes of baseline error rate."
            ),
            (.wentWell, "Rollback took 4 minutes from decision to done."),
            (.wentWrong, "We first declared containment while payments-api still failed."),
            (.lucky, "It happened before the evening peak."),
            (.lessons, "Capacity limits of a dependency belong in the deploy checklist."),
        ]
        for (field, text) in narrative {
            try i.setNarrative(field, to: text, context: at("2026-11-22T10:00:00Z"))
        }
        try i.addActionItem(
            ActionItemChange(
                text: "Alert on connection pool saturation above 80%", owner: "carol",
                due: .some(Fixture.instant("2026-12-01T00:00:00Z")), type: .detect, priority: "P1"),
            context: at("2026-11-22T10:05:00Z"))
        try i.addActionItem(
            ActionItemChange(
                text: "Load test with the production worker count", owner: "dave",
                due: .some(Fixture.instant("2026-12-15T00:00:00Z")), type: .prevent,
                priority: "P2"),
            context: at("2026-11-22T10:06:00Z"))
        try i.addActionItem(
            ActionItemChange(
                text: "Add dependency limits to the deploy checklist", owner: "alice",
                type: .process, priority: "P3"),
            context: at("2026-11-22T10:07:00Z"))
        try i.completeActionItem(
            "A3", note: "checklist updated", context: at("2026-11-23T09:00:00Z"))
        try i.close(context: at("2026-11-23T09:30:00Z"))
        return i
    }

    /// Every field a responder can type, written to break markdown, HTML and Mermaid.
    static func hostile() throws -> Incident {
        let evil =
            "a | b ` c ``` # h\n## Injected heading\n<script>alert(1)</script> "
            + "[x](javascript:alert(1)) *bold* _em_ \u{1B}[31mred"
        var new = NewIncident(
            title: "# Title | with `code` and <b>html</b>",
            severity: SeverityScheme.standard.levels[0], phase: .declare)
        new.services = ["svc|one", "<img src=x>"]
        new.roles = Roles(commander: "mallory | admin", comms: "eve\n# heading")
        new.detectedAt = Fixture.instant("2026-11-21T10:00:00Z")
        // Opened with a title of two lines, which only another tool or a hand-edited file writes
        // (`set title` refuses one), and its detection entry naming it on one line.
        var i = Incident(opening: "00000000-0000-4000-8000-000000000003")
        let opening = IncidentChange.Opening(
            claim: IncidentID(number: 3),
            title: "# Title | with `code`\nand a second line <b>html</b> :; gantt",
            severity: new.severity.name, rank: 1, services: new.services, tags: [],
            roles: new.roles, startedAt: nil, summary: nil, phase: .detect)
        i.record(
            .opened(opening), "Detected: \(new.title)", at: new.detectedAt,
            context: at("2026-11-21T10:00:00Z", "m|allory"))
        try i.declare(severity: nil, context: at("2026-11-21T10:00:00Z", "m|allory"))
        try i.log(evil, kind: .note, context: at("2026-11-21T10:05:00Z", "eve`s"))
        try i.move(
            to: .review, message: "done | really\n# not a heading",
            context: at("2026-11-21T11:00:00Z"))
        try i.setNarrative(.summary, to: evil, context: at("2026-11-21T11:05:00Z"))
        try i.setNarrative(
            .rootCause, to: "```\nunclosed fence swallowing the rest",
            context: at("2026-11-21T11:05:00Z"))
        try i.setNarrative(
            .impact, to: "Heading by underline\n===\nand\n---", context: at("2026-11-21T11:05:00Z"))
        try i.addActionItem(
            ActionItemChange(
                text: "fix | this\nnow <script>", owner: "o|wner", type: .prevent, priority: "P1"),
            context: at("2026-11-21T11:06:00Z"))
        return i
    }
}
