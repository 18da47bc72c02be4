extension NarrativeField {
    /// What belongs in the field, one line: shown in an empty postmortem section and in the `edit`
    /// form.
    public var prompt: String {
        switch self {
        case .summary:
            "What happened, to whom, for how long, and how it ended, in two or three sentences."
        case .impact:
            "Who and what was affected, how badly and for how long: customers, requests, revenue, "
                + "data."
        case .rootCause:
            "The underlying cause: why the system allowed this to happen. Keep asking why until it "
                + "is something you can change."
        case .trigger:
            "The specific change or event that set it off: a deploy, a config change, a traffic "
                + "spike, an expired certificate."
        case .contributingFactors:
            "Conditions that made it more likely or worse: missing alerts, unclear runbooks, load, "
                + "timing."
        case .detection:
            "How we found out (alert, customer report, by chance) and how we could have found out "
                + "sooner."
        case .resolution:
            "What stopped the impact, what restored normal service, and how recovery was verified."
        case .wentWell: "What worked and is worth keeping: tools, people, practices."
        case .wentWrong: "What slowed the response down or made it worse."
        case .lucky: "What happened to go our way and might not next time."
        case .lessons: "What we learned that another team should know."
        }
    }
}
