import Foundation
import Testing

@testable import IncidentKit

/// The site's pieces without a browser: escaping, links, the public-safety filter's parsing and
/// cleaning, numbers in SVG, and the manifest that makes builds incremental.
@Suite struct SiteRenderTests {
    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("\"><img src=x onerror=a()>", "&quot;&gt;&lt;img src=x onerror=a()&gt;"),
        ("Tom & Jerry's", "Tom &amp; Jerry&#39;s"),
        ("bell\u{07}\u{1B}[31mred", "bell[31mred"),
        ("line\nnext\ttab", "line\nnext\ttab"),
        ("ümlaut → ok", "ümlaut → ok"),
    ])
    func escaping(input: String, expected: String) {
        #expect(HTML.escape(input) == expected)
    }

    @Test func shortTitlesAreCutThenEscaped() {
        #expect(HTML.short(String(repeating: "<", count: 10), 3) == "&lt;&lt;&lt;…")
        #expect(HTML.short("ok", 3) == "ok")
    }

    @Test(
        arguments: [
            ("https://example.com/a?b=c", "https://example.com/a?b=c"),
            ("HTTP://Example.com", "HTTP://Example.com"),
            ("mailto:ops@example.com", "mailto:ops@example.com"),
            ("javascript:alert(1)", nil), ("data:text/html,x", nil), ("/etc/passwd", nil),
            ("https://a.example/ x", nil),
        ] as [(String, String?)])
    func onlyWebAndMailLinksAreLinks(url: String, expected: String?) {
        #expect(HTML.safeURL(url) == expected)
    }

    @Test func jsonInAScriptCannotCloseIt() {
        let expected = #"["\u003c/script\u003e\u003cb\u003e\u0026"]"#
        #expect(HTML.jsonInScript(#"["</script><b>&"]"#) == expected)
    }

    @Test func svgNumbersHaveOneDecimal() {
        #expect(
            [0, 1.25, -0.26, 12.04, 999.96, .nan].map(svgNumber) == [
                "0", "1.3", "-0.3", "12",
                "1000", "0",
            ])
    }

    @Test(arguments: [
        (
            "text",
            "[IDENTIFIED] Checkout down\nImpact: Affects checkout.\nWhat we know: a bad "
                + "deploy\n"
                + "Who leads: commander alice\nNext update: 15:00 UTC\n"
        ),
        (
            "markdown",
            "**Identified** · Checkout down\n\n- **Impact:** Affects checkout.\n"
                + "- **What we know:** a bad deploy\n- **Who leads:** commander alice\n- **Next "
                + "update:** 15:00 UTC\n"
        ),
        (
            "slack",
            "*Identified* · Checkout down\n• *Impact:* Affects checkout.\n• *What we know:* a bad "
                + "deploy\n"
                + "• *Who leads:* commander alice\n• *Next update:* 15:00 UTC\n"
        ),
    ])
    func updatesParseBackInEveryFormatKeepingOnlyPublicFields(format: String, text: String) throws {
        let parsed = try #require(PublicFilter.parse(text, format: format))
        #expect(parsed.title == "Checkout down")
        #expect(parsed.fields.map(\.0) == ["Impact", "What we know", "Next update"])
        #expect(parsed.fields[1].1 == "a bad deploy")
    }

    @Test func namesAndInternalLinksAreRemoved() {
        #expect(
            PublicFilter.removeNames("Alice and alicia; ALICE rolled back", ["alice", "al"])
                == "the team and alicia; the team rolled back")
        #expect(PublicFilter.removeNames("team team", ["team"]) == "the team the team")
        let links = PublicFilter.removeLinks(
            "see https://grafana.internal/d/1, http://10.0.0.7/x https://status.example.com "
                + "https://wiki/x https://dash.example.com/board/7",
            internal: ["https://dash.example.com/board"])
        #expect(
            links == "see [internal link removed] [internal link removed] "
                + "https://status.example.com "
                + "[internal link removed] [internal link removed]")
    }

    @Test func theManifestRoundTrips() throws {
        var manifest = SiteManifest(key: "1|full|abc")
        manifest.files = ["index.html", "incidents/INC-1.html"]
        let update = PublicUpdate(
            at: Date(timeIntervalSince1970: 1_795_000_000), state: "resolved",
            title: "Tab\there",
            body: "Impact: none\nWhat we know: fixed "
                + "\\ done")
        manifest.records["u1"] = SiteRecord(
            uid: "u1", fingerprint: "f", search: "a\tb\nc\\d",
            onTime: 1,
            late: 2, doneUndated: 3, updates: [update])
        let bytes = Array(manifest.serialized().utf8)
        let back = try #require(SiteManifest.parse(bytes, key: "1|full|abc"))
        #expect(back.files == manifest.files)
        let record = try #require(back.records["u1"])
        #expect(
            record.search == "a\tb\nc\\d" && record.onTime == 1 && record.late == 2
                && record.doneUndated == 3)
        #expect(record.updates == [update])
        // Another key (config changed, a public build): the records are not trusted, the files are.
        let other = try #require(SiteManifest.parse(bytes, key: "1|public|abc"))
        #expect(other.records.isEmpty && other.files == manifest.files)
        #expect(SiteManifest.parse(Array("not a manifest".utf8), key: "x") == nil)
    }

    @Test func searchTextIsFolded() {
        #expect(SiteRecord.fold("  Café\tRÉSUMÉ\n\nDisk  ") == "cafe resume disk")
        #expect(SiteRecord.fold("disk full disk FULL now") == "disk full now")
    }

    @Test func theReportPolicyAllowsExactlyItsOwnStyleAndScript() {
        let page = SitePage(root: "", title: "t", current: "", inline: true)
        #expect(page.policy.hasPrefix("default-src 'none'; style-src 'sha256-"))
        #expect(!page.policy.contains("'self'; script") && !page.policy.contains("unsafe"))
        let html = page.render("<p>x</p>")
        #expect(html.contains("<style>" + SiteAssets.css + "</style>"))
    }
}

/// The metrics page's duration axis: gridlines a round duration apart, never two alike.
@Suite struct MetricsAxisTests {
    @Test(arguments: [0.2, 0.9, 3, 59, 61, 290, 3599, 10_000, 90_000, 400_000, 5_000_000])
    func gridlineLabelsAreDistinctAndReachTheLargestValue(largest: Double) {
        let step = MetricsPage.axisStep(for: largest)
        #expect(step * 4 >= largest)
        let labels = (0...4).map { DurationFormat.long(step * Double($0)) }
        #expect(Set(labels).count == 5, "\(labels)")
    }

    @Test func stepsAreRoundDurations() {
        #expect(MetricsPage.axisStep(for: 0.5) == 1)
        #expect(MetricsPage.axisStep(for: 100) == 30)
        #expect(MetricsPage.axisStep(for: 3 * 3600) == 3600)
    }
}
