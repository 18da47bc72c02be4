import Foundation

extension Incident: Codable {
    static let known: Set<String> = [
        "schemaVersion", "id", "uid", "title", "severity", "phase", "services", "tags", "roles",
        "links",
        "narrative", "actionItems", "runbook", "timeline", "createdAt", "startedAt", "detectedAt",
    ]
    /// Computed fields added to `--json` output; never read back from a file.
    static let derivedKeys: Set<String> = [
        "open", "active", "declaredAt", "containedAt", "recoveredAt", "closedAt", "phaseEnteredAt",
        "metrics",
        "aliases", "concurrentChanges", "heads",
    ]

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        func key(_ name: String) -> AnyCodingKey { AnyCodingKey(name) }
        try c.encodeUnknown(unknownFields)
        try c.encode(schemaVersion, forKey: key("schemaVersion"))
        try c.encode(id, forKey: key("id"))
        try c.encode(uid, forKey: key("uid"))
        try c.encode(title, forKey: key("title"))
        try c.encode(severity, forKey: key("severity"))
        try c.encode(phase, forKey: key("phase"))
        try c.encode(services, forKey: key("services"))
        try c.encode(tags, forKey: key("tags"))
        try c.encode(roles, forKey: key("roles"))
        try c.encode(links, forKey: key("links"))
        try c.encode(narrative, forKey: key("narrative"))
        try c.encode(actionItems, forKey: key("actionItems"))
        try c.encodeIfPresent(runbook, forKey: key("runbook"))
        if encoder.userInfo[.includeDerivedFields] as? Bool == true {
            let shown = timeline.map { ShownEntry(entry: $0, text: shownText(of: $0)) }
            try c.encode(shown, forKey: key("timeline"))
        } else {
            try c.encode(timeline, forKey: key("timeline"))
        }
        try c.encode(StoredDate(createdAt), forKey: key("createdAt"))
        try c.encodeIfPresent(startedAt.map(StoredDate.init), forKey: key("startedAt"))
        try c.encode(StoredDate(detectedAt), forKey: key("detectedAt"))

        // `--json` output adds derived fields; the store never writes them.
        if encoder.userInfo[.includeDerivedFields] as? Bool == true {
            let times = phaseTimes
            try c.encode(isOpen, forKey: key("open"))
            try c.encode(isActive, forKey: key("active"))
            try c.encodeIfPresent(times.declaredAt.map(StoredDate.init), forKey: key("declaredAt"))
            try c.encodeIfPresent(
                times.containedAt.map(StoredDate.init), forKey: key("containedAt"))
            try c.encodeIfPresent(
                times.recoveredAt.map(StoredDate.init), forKey: key("recoveredAt"))
            try c.encodeIfPresent(times.closedAt.map(StoredDate.init), forKey: key("closedAt"))
            var entered: [String: StoredDate] = [:]
            for (phase, date) in times.firstEntered { entered[phase.rawValue] = StoredDate(date) }
            try c.encode(entered, forKey: key("phaseEnteredAt"))
            try c.encode(IncidentMetrics(self), forKey: key("metrics"))
            try c.encode(aliases, forKey: key("aliases"))
            try c.encode(concurrentChanges, forKey: key("concurrentChanges"))
            try c.encode(heads, forKey: key("heads"))
            if isDrill { try c.encode(true, forKey: key("drill")) }
            try c.encodeIfPresent(closedAs?.name, forKey: key("closedAs"))
            try c.encodeIfPresent(closedAs?.original, forKey: key("duplicateOf"))
        }
    }
}

extension CodingUserInfoKey {
    /// Set to `true` to add `open`, `active`, phase times and metrics when encoding an incident.
    public static let includeDerivedFields = CodingUserInfoKey(
        rawValue: "irctl.includeDerivedFields")!
}
