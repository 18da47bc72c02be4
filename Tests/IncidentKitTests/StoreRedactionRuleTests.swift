import Foundation
import Testing

@testable import IncidentKit

/// A store's own redaction rules arrive by `git pull` and see every note: their cost is bounded by
/// their shape, checked on load, and by a count of the engine's steps, never by a clock.
@Suite struct StoreRedactionRuleTests {
    static let refused: [String] = [
        #"(a+)+$"#, #"(a|aa)+b"#, #"(\w+\s?)*$"#, #"(.*a){20}"#, #"((ab)*c)+"#, #"(?:x+y?)*z"#,
        #"(a*)*"#,
        #"(a)\1"#, #"(?<x>a)\k<x>"#, String(repeating: "a", count: 1001),
    ]
    static let allowed: [String] = [
        #"ACME-[0-9]{6}"#, #"\bTK-(?<secret>[0-9a-f]{12})\b"#, #"\bdb-[0-9]+\.internal\b"#,
        #"(?:ab|cd){1,4}"#,
        #"(a+)?"#, #"[(a+)+]"#, #"\(a+\)+"#, #"(?i)key=(?<secret>[A-Z0-9]{8,})"#, #"\Q(a+)+\E"#,
    ]

    @Test(arguments: refused)
    func shapesThatBacktrackWithoutBoundAreRefused(_ pattern: String) {
        #expect(RedactionRuleSyntax.problem(in: pattern) != nil)
        let error = #expect(throws: RedactionError.self) {
            try Redactor(extraRules: [RedactionRule(kind: "slow", pattern: pattern)])
        }
        guard case .tooSlow(let kind, _, _) = error else {
            Issue.record("expected .tooSlow, got \(String(describing: error))")
            return
        }
        #expect(kind == "slow")
        #expect(
            error?.message.hasPrefix("redaction rule 'slow' in config.json is too slow: ") == true)
    }

    @Test(arguments: allowed)
    func ordinaryShapesAreAllowed(_ pattern: String) throws {
        #expect(RedactionRuleSyntax.problem(in: pattern) == nil)
        _ = try Redactor(extraRules: [RedactionRule(kind: "ok", pattern: pattern)])
    }

    /// Stacked repetition passes the shape check but not the hostile lines tried on load.
    @Test func stackedRepetitionIsRefusedByCountingSteps() {
        let error = #expect(throws: RedactionError.self) {
            try Redactor(extraRules: [RedactionRule(kind: "stacked", pattern: "a*a*a*a*a*a*b")])
        }
        guard case .tooSlow(_, _, let reason) = error else {
            Issue.record("expected .tooSlow, got \(String(describing: error))")
            return
        }
        #expect(reason == "it takes more than 500000 steps on a line of 257 'a'")
    }

    /// A rule slow only on text no probe tried: the line it can't finish is redacted as a whole,
    /// and the steps spent never pass the budget.
    @Test func aLineOnWhichARuleRunsOutOfStepsIsRedactedWhole() throws {
        let rule = RedactionRule(kind: "acme", pattern: "qz[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*!")
        let redactor = try Redactor(extraRules: [rule])
        let text = "before\nnote qz" + String(repeating: "a", count: 2000) + "\nafter qzab! done"
        #expect(redactor.redact(text) == "before\n[REDACTED:acme]\nafter [REDACTED:acme] done")

        let compiled = try CompiledRule(storeRule: rule)
        var budget = RuleBudget()
        _ = compiled.secretRanges(in: text, budget: &budget)
        #expect(budget.exceeded)
        #expect(budget.steps <= RuleBudget.stepsPerWindow + RuleBudget.stepsPerReport * 4)
    }

    /// However much hostile text arrives, the steps of one text stay bounded; past the budget the
    /// remaining lines are redacted without searching.
    @Test func theStepsOfOneTextAreBounded() throws {
        let compiled = try CompiledRule(
            storeRule: RedactionRule(kind: "acme", pattern: "qz[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*!"))
        let line = "qz" + String(repeating: "a", count: 300)
        let text = Array(repeating: line, count: 400).joined(separator: "\n")
        var budget = RuleBudget()
        let ranges = compiled.secretRanges(in: text, budget: &budget)
        #expect(ranges.count == 400)
        #expect(budget.exhausted)
        #expect(
            budget.steps <= RuleBudget.stepsPerText + RuleBudget.stepsPerWindow + RuleBudget
                .stepsPerReport * 4)
    }

    /// An ordinary rule on a long text spends no backtracking steps at all, and a secret on a line
    /// longer than a window is still found, wherever it falls.
    @Test func ordinaryRulesStayWithinTheBudgetOnLongLines() throws {
        let compiled = try CompiledRule(
            storeRule: RedactionRule(kind: "acme", pattern: "ACME-[0-9]{6}"))
        for position in [0, 2040, 2047, 2048, 4090, 9000] {
            let text =
                String(repeating: "x", count: position) + "ACME-123456"
                + String(repeating: "y", count: 10_000)
            var budget = RuleBudget()
            let ranges = compiled.secretRanges(in: text, budget: &budget)
            #expect(ranges == [NSRange(location: position, length: 11)], "at \(position)")
            #expect(budget.steps == 0 && !budget.exceeded)
        }
    }
}
