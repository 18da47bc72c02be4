import Foundation
import IncidentKit
import Testing

/// `irctl site build` and `irctl report` through the binary, and the pages in a real browser
/// (headless Chromium): scripts run, the archive's search comes from the URL, the feed parses
/// with an independent parser, the JSON has Statuspage's shape, and the status page carries
/// nothing internal.
@Suite struct SiteEndToEndTests {
    static func at(_ time: String) -> [String: String] { ["IRCTL_NOW": "2026-11-21T\(time):00Z"] }

    static let config = """
        {"schemaVersion": 1, "statusPage": {"name": "Acme status", "components": [
          {"name": "Checkout", "services": ["checkout"], "description": "Cart and payments"},
          {"name": "Database", "services": ["postgres"]}]}}
        """

    /// Two incidents: an open SEV1 on checkout with an external and an internal update, and a
    /// closed SEV3 disk incident on postgres.
    static func store(_ box: borrowing Sandbox) throws {
        try box.ok(
            [
                "declare", "Checkout returns 5xx", "-s", "1", "--service", "checkout",
                "--commander", "zara", "--detected", "14:00",
            ], env: at("14:05"))
        try box.ok(["log", "1", "SECRET-TIMELINE-NOTE pool exhausted on db-7"], env: at("14:10"))
        try box.ok(
            ["link", "1", "https://grafana.internal/d/checkout", "--label", "Dashboard"],
            env: at("14:11"))
        try box.ok(["contain", "1"], env: at("14:20"))
        try box.ok(
            [
                "update", "1", "--audience", "external", "--next", "30m", "-m",
                "Payments fail for some customers; zara rolled back, see "
                    + "https://grafana.internal/d/checkout",
            ],
            env: at("14:30"))
        try box.ok(["update", "1", "-m", "INTERNAL-ONLY db pool at 100%"], env: at("14:31"))
        try box.ok(
            [
                "declare", "Disk full on db-3", "-s", "3", "--service", "postgres", "--tag",
                "disk",
                "--detected", "09:00",
            ], env: at("09:05"))
        try box.ok(["set", "2", "summary", "The WAL volume filled up."], env: at("09:30"))
        try box.ok(["recover", "2"], env: at("10:00"))
        try box.ok(["review", "2"], env: at("10:30"))
        try box.ok(["close", "2"], env: at("11:00"))
        try Data(config.utf8).write(to: URL(fileURLWithPath: box.store + "/config.json"))
    }

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Every file under `dir`, relative path → bytes.
    static func snapshot(_ dir: String) -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: dir)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(
                atPath: dir + "/" + path,
                isDirectory: &isDirectory), !isDirectory.boolValue
            {
                result[path] = FileManager.default.contents(atPath: dir + "/" + path)
            }
        }
        return result
    }

    @Test(.timeLimit(.minutes(5))) func buildsEveryPageAndNothingInTheStore() throws {
        let box = try Sandbox()
        try Self.store(box)
        let before = Self.snapshot(box.store + "/incidents")
        let config = try box.bytes(box.store + "/config.json")
        let result = try box.run(["site", "build", box.root + "/site", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try Sandbox.json(result.stdout) as? [String: Any])
        #expect(summary["incidents"] as? Int == 2 && summary["rebuilt"] as? Int == 2)
        for page in [
            "index.html", "archive.html", "metrics.html", "incidents/INC-1.html",
            "incidents/INC-2.html",
            "assets/site.css", "assets/site.js", "status/index.html", "status/feed.atom",
            "status/api/v2/summary.json", "status/api/v2/incidents.json",
            "status/assets/"
                + "site.css",
        ] {
            #expect(
                FileManager.default.fileExists(atPath: box.root + "/site/" + page),
                "\(page) missing")
        }
        #expect(Self.snapshot(box.store + "/incidents") == before)
        #expect(try box.bytes(box.store + "/config.json") == config)
        let index = Self.read(box.root + "/site/index.html")
        #expect(
            index.contains(
                "Content-Security-Policy\" content=\"default-src 'none'; style-src "
                    + "'self'; "
                    + "script-src 'self'; img-src 'self' data:"))
        #expect(index.contains("<main id=\"main\">") && index.contains("<nav aria-label=\"Site\">"))
        #expect(!index.contains("http://") || !index.contains("src=\"http"))
        let page = Self.read(box.root + "/site/incidents/INC-1.html")
        #expect(
            page.contains("<svg class=\"timeline\"")
                && page.contains(
                    "<title "
                        + "id=\"tl-title\">")
        )
        #expect(
            page.contains("<th scope=\"col\">Author</th>")
                && page.contains(
                    "✓ The hash "
                        + "chains verify")
        )
        // Same store, same bytes; and a build right after rewrites nothing.
        try box.ok(["site", "build", box.root + "/again"])
        var first = Self.snapshot(box.root + "/site")
        var second = Self.snapshot(box.root + "/again")
        first[".irctl-site"] = nil
        second[".irctl-site"] = nil
        #expect(first == second)
        let rerun = try #require(
            try Sandbox.json(
                try box.ok([
                    "site", "build", box.root + "/site",
                    "--json",
                ]))
                as? [String: Any])
        #expect(rerun["rebuilt"] as? Int == 0 && rerun["written"] as? Int == 0)
    }

    @Test(.timeLimit(.minutes(5))) func oneChangeRebuildsOneIncident() throws {
        let box = try Sandbox()
        try Self.store(box)
        try box.ok(["site", "build", box.root + "/site"])
        let other = try box.bytes(box.root + "/site/incidents/INC-2.html")
        let before = try FileManager.default.attributesOfItem(
            atPath: box.root
                + "/site/incidents/INC-2.html")
        try box.ok(["log", "1", "error rate falling"], env: Self.at("14:40"))
        let report = try #require(
            try Sandbox.json(
                try box.ok([
                    "site", "build", box.root + "/site",
                    "--json",
                ]))
                as? [String: Any])
        #expect(report["rebuilt"] as? Int == 1)
        #expect(Self.read(box.root + "/site/incidents/INC-1.html").contains("error rate falling"))
        #expect(try box.bytes(box.root + "/site/incidents/INC-2.html") == other)
        let after = try FileManager.default.attributesOfItem(
            atPath: box.root
                + "/site/incidents/INC-2.html")
        #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)
        // The incremental result is the full build's, byte for byte.
        try box.ok(["site", "build", box.root + "/full"])
        var a = Self.snapshot(box.root + "/site")
        var b = Self.snapshot(box.root + "/full")
        a[".irctl-site"] = nil
        b[".irctl-site"] = nil
        #expect(a == b)
    }

    @Test(.timeLimit(.minutes(5)), .enabled(if: Chromium.isInstalled))
    func theArchiveSearchComesFromTheURL() throws {
        let box = try Sandbox()
        try Self.store(box)
        try box.ok(["site", "build", box.root + "/site"])
        let archive = box.root + "/site/archive.html"
        let dom = try Chromium.dom(box, archive, query: "?q=wal&service=postgres")
        #expect(dom.contains("data-ready=\"1\""), "the archive's script did not run")
        #expect(dom.contains("1 of 2 incidents"))
        #expect(dom.contains("<tr data-i=\"1\"><td><a href=\"incidents/INC-2.html\">"))
        #expect(dom.contains("<tr data-i=\"0\" hidden=\"\"><td><a href=\"incidents/INC-1.html\">"))
        // A search in the timeline's words, and one that matches nothing.
        let timeline = try Chromium.dom(box, archive, query: "?q=SECRET-TIMELINE")
        #expect(timeline.contains("1 of 2 incidents"))
        let none = try Chromium.dom(box, archive, query: "?q=nothing-like-this")
        #expect(none.contains("0 of 2 incidents"))
        // The index page: its script brings the overdue flag to the reader's clock (2026-11-21
        // is past).
        let index = try Chromium.dom(box, box.root + "/site/index.html")
        #expect(
            index.contains(
                "<span class=\"overdue\" "
                    + "data-due=") && !index.contains("hidden=\"\">⚠ overdue"))
    }

    @Test(.timeLimit(.minutes(5)), .enabled(if: Chromium.isInstalled))
    func everyPageHasAScreenshotAtDesktopAndPhoneWidths() throws {
        let box = try Sandbox()
        try Self.store(box)
        try box.ok(["site", "build", box.root + "/site"])
        for page in [
            "index.html", "archive.html", "metrics.html", "incidents/INC-1.html",
            "status/index.html",
        ] {
            for (name, width, height) in [("desktop", 1280, 1000), ("phone", 390, 844)] {
                let png =
                    box.root + "/" + page.replacingOccurrences(of: "/", with: "-")
                    + "-\(name).png"
                let size = try Chromium.screenshot(
                    box, box.root + "/site/" + page, to: png,
                    width: width, height: height)
                #expect(size > 5_000, "\(page) at \(name) width: no screenshot")
            }
        }
        // Dark mode, and the print stylesheet: a report becomes a PDF.
        let page = box.root + "/site/incidents/INC-1.html"
        _ = try Chromium.run(
            box,
            [
                "--force-dark-mode", "--window-size=1280,1000",
                "--screenshot=" + box.root + "/dark.png", "file://" + page,
            ])
        _ = try Chromium.run(
            box,
            [
                "--no-pdf-header-footer",
                "--print-to-pdf=" + box.root + "/INC-1.pdf", "file://" + page,
            ])
        for file in ["dark.png", "INC-1.pdf"] {
            let path = box.root + "/" + file
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = attributes?[.size]
            #expect((size as? Int ?? 0) > 5_000, "\(file) was not made")
        }
        let pdf = try box.bytes(box.root + "/INC-1.pdf")
        #expect(pdf.starts(with: Data("%PDF".utf8)))
    }

    @Test(.timeLimit(.minutes(5)), .enabled(if: Chromium.isInstalled))
    func storedTextStaysText() throws {
        let box = try Sandbox()
        let title = "<script>document.title='pwned'</script>\"><img src=x onerror=alert(1)>"
        try box.ok(["declare", title, "-s", "2", "--service", "web"], env: Self.at("10:00"))
        try box.ok(
            ["link", "1", "javascript:alert(1)", "--label", "<b>click</b>"],
            env: Self.at("10:01"))
        try box.ok(["site", "build", box.root + "/site"])
        let html = Self.read(box.root + "/site/incidents/INC-1.html")
        #expect(!html.contains("<script>document") && !html.contains("<img src=x"))
        #expect(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"))
        #expect(!html.contains("href=\"javascript:"))
        let dom = try Chromium.dom(box, box.root + "/site/incidents/INC-1.html")
        #expect(!dom.contains("<img src=\"x\"") && !dom.contains("<title>pwned"))
        #expect(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"))
    }

    @Test(.timeLimit(.minutes(5))) func theFeedParsesAndValidates() throws {
        let box = try Sandbox()
        try Self.store(box)
        try box.ok(["site", "build", box.root + "/site"])
        let feed = box.root + "/site/status/feed.atom"
        let lint = try box.sh("xmllint --noout \(Chromium.quoted(feed))")
        #expect(lint.status == 0, "\(lint.stderr)")
        let script = """
            import feedparser, sys
            d = feedparser.parse(sys.argv[1])
            assert not d.bozo, d.bozo_exception
            assert d.version == "atom10", d.version
            assert d.feed.title == "Acme status status", d.feed.title
            assert len(d.entries) == 1, len(d.entries)
            e = d.entries[0]
            assert e.title == "Identified: Checkout returns 5xx", e.title
            assert "Payments fail" in e.content[0].value
            assert e.updated == "2026-11-21T14:30:00Z", e.updated
            print("ok")
            """
        // Debian's python3, where python3-feedparser installs (not a pyenv shim's).
        let result = try box.sh(
            "/usr/bin/python3 -c \(Chromium.quoted(script)) "
                + "\(Chromium.quoted(feed))")
        #expect(result.status == 0 && result.stdout == "ok\n", "\(result.stderr)")
    }

    @Test(.timeLimit(.minutes(5))) func theJSONHasStatuspagesShape() throws {
        let box = try Sandbox()
        try Self.store(box)
        try box.ok(["site", "build", box.root + "/site"])
        let summary = try #require(
            try Sandbox.json(
                Self.read(
                    box.root
                        + "/site/status/api/v2/summary.json"))
                as? [String: Any])
        let page = try #require(summary["page"] as? [String: Any])
        #expect(Set(page.keys) == ["id", "name", "url", "time_zone", "updated_at"])
        let status = try #require(summary["status"] as? [String: Any])
        #expect(status["indicator"] as? String == "critical")
        #expect(status["description"] as? String == "Major System Outage")
        let components = try #require(summary["components"] as? [[String: Any]])
        #expect(components.map { $0["name"] as? String } == ["Checkout", "Database"])
        #expect(components.map { $0["status"] as? String } == ["major_outage", "operational"])
        for component in components {
            for key in [
                "id", "name", "status", "created_at", "updated_at", "position",
                "description",
                "showcase", "group_id", "page_id", "group", "only_show_if_degraded",
            ] {
                #expect(component.keys.contains(key), "component without \(key)")
            }
        }
        #expect(summary["scheduled_maintenances"] as? [Any] != nil)
        let open = try #require(summary["incidents"] as? [[String: Any]])
        #expect(open.count == 1)
        let all = try #require(
            try Sandbox.json(
                Self.read(
                    box.root
                        + "/site/status/api/v2/incidents.json"))
                as? [String: Any])
        let incidents = try #require(all["incidents"] as? [[String: Any]])
        let incident = try #require(incidents.first)
        for key in [
            "id", "name", "status", "created_at", "updated_at", "monitoring_at",
            "resolved_at", "impact",
            "shortlink", "started_at", "page_id", "incident_updates", "components",
        ] {
            #expect(incident.keys.contains(key), "incident without \(key)")
        }
        #expect(
            incident["status"] as? String == "identified"
                && incident["impact"] as? String == "critical")
        let update = try #require((incident["incident_updates"] as? [[String: Any]])?.first)
        for key in [
            "id", "status", "body", "incident_id", "created_at", "updated_at",
            "display_at",
        ] {
            #expect(update.keys.contains(key), "update without \(key)")
        }
        #expect(
            (incident["components"] as? [[String: Any]])?.first?["name"] as? String == "Checko"
                + "ut")
    }

    @Test(.timeLimit(.minutes(5))) func theStatusPageCarriesNothingInternal() throws {
        let box = try Sandbox()
        try Self.store(box)
        // A rule added after the update was sent still applies to what is published.
        let config = Self.config.replacingOccurrences(
            of: "{\"schemaVersion\": 1,",
            with: """
                {"schemaVersion": 1, "redactionRules": [{"kind": "customer", "pattern": \
                "Payments"}],
                """)
        try Data(config.utf8).write(to: URL(fileURLWithPath: box.store + "/config.json"))
        try box.ok(["site", "build", box.root + "/site", "--public"])
        let files = Self.snapshot(box.root + "/site")
        #expect(
            files.keys.allSatisfy { $0.hasPrefix("status/") || $0 == ".irctl-site" },
            "\(files.keys.sorted())")
        let everything = files.values.map {
            String(
                decoding: $0,
                as: UTF8.self)
        }.joined(separator: "\n")
        for secret in [
            "zara", "grafana.internal", "SECRET-TIMELINE-NOTE", "INTERNAL-ONLY", "INC-1",
            "INC-2",
            "SEV1", "tester", "checkout\"", "Disk full", "Payments",
        ] {
            #expect(!everything.contains(secret), "the public site shows '\(secret)'")
        }
        #expect(
            everything.contains(
                "[REDACTED:customer] fail for some customers; the team rolled "
                    + "back"))
        #expect(everything.contains("[internal link removed]"))
        // A full build and then a public one into the same folder: the internal pages go.
        try box.ok(["site", "build", box.root + "/both"])
        try box.ok(["site", "build", box.root + "/both", "--public"])
        #expect(!FileManager.default.fileExists(atPath: box.root + "/both/incidents/INC-1.html"))
        #expect(!FileManager.default.fileExists(atPath: box.root + "/both/archive.html"))
        #expect(!FileManager.default.fileExists(atPath: box.root + "/both/incidents"))
        let left = Self.snapshot(box.root + "/both")
        #expect(left.keys.allSatisfy { $0.hasPrefix("status/") || $0 == ".irctl-site" })
        let manifest = String(decoding: left[".irctl-site"] ?? Data(), as: UTF8.self)
        #expect(!manifest.contains("secret-timeline-note") && !manifest.contains("INC-1"))
    }

    @Test(.timeLimit(.minutes(5))) func badOutputFoldersAreClearErrors() throws {
        let box = try Sandbox()
        try Self.store(box)
        let inside = try box.run(["site", "build", box.store + "/site"])
        #expect(
            inside.status == 1 && inside.stderr.contains("is inside the store"),
            "\(inside.stderr)")
        let around = try box.run(["site", "build", box.root])
        #expect(
            around.status == 1 && around.stderr.contains("contains the store"),
            "\(around.stderr)")
        #expect(
            FileManager.default.createFile(atPath: box.root + "/plain", contents: Data("x".utf8)))
        let unwritable = try box.run(["site", "build", box.root + "/plain/site"])
        #expect(
            unwritable.status == 1 && unwritable.stderr.contains("cannot write the site to"),
            "\(unwritable.stderr)")
        #expect(!FileManager.default.fileExists(atPath: box.store + "/site"))
        let usage = try box.run(["site", "publish"])
        #expect(usage.status == 2 && usage.stderr.contains("unknown subcommand 'publish'"))
        // A component on a service no incident names: said, and the page still builds.
        let config = Self.config.replacingOccurrences(
            of: "[\"postgres\"]",
            with: "[\"postgres\", \"mysqlx\"]")
        try Data(config.utf8).write(to: URL(fileURLWithPath: box.store + "/config.json"))
        let unknown = try box.run(["site", "build", box.root + "/site"])
        #expect(
            unknown.status == 0
                && unknown.stderr.contains(
                    "names service 'mysqlx', which no "
                        + "incident has")
        )
        try Data(#"{"statusPage": {"components": [{"services": ["x"]}]}}"#.utf8)
            .write(to: URL(fileURLWithPath: box.store + "/config.json"))
        let bad = try box.run(["site", "build", box.root + "/site"])
        #expect(
            bad.status == 1 && bad.stderr.contains("component 1 needs a 'name'"),
            "\(bad.stderr)")
    }

    @Test(.timeLimit(.minutes(5)), .enabled(if: Chromium.isInstalled))
    func hugeIncidentsStillRender() throws {
        let box = try Sandbox()
        // irctl takes titles of at most 1000 bytes; a longer one arrives by a hand edit or a
        // teammate's older binary. Its chain then no longer verifies, and the page says so.
        try box.ok(
            ["declare", "PLACEHOLDER-TITLE", "-s", "2", "--service", "web"],
            env: Self.at("10:00"))
        let file = box.incidentFile(1)
        let long = String(repeating: "Very long title ", count: 625)  // 10,000 characters
        try Data(Self.read(file).replacingOccurrences(of: "PLACEHOLDER-TITLE", with: long).utf8)
            .write(to: URL(fileURLWithPath: file))
        try box.ok(["declare", "Runaway logging", "-s", "3"], env: Self.at("10:00"))
        _ = try Store(root: box.store).update(IncidentID("2")!) { incident in
            let context = EditContext(
                author: "bot",
                now: Date(timeIntervalSince1970: 1_795_000_000))
            for n in 0..<50_000 { incident.append(.note, "entry \(n)", context: context) }
        }
        let result = try box.run(["site", "build", box.root + "/site"])
        #expect(result.status == 0, "\(result.stderr)")
        let page = Self.read(box.root + "/site/incidents/INC-2.html")
        #expect(page.contains("The first 5000 of 50002 entries are listed"))
        let dom = try Chromium.dom(box, box.root + "/site/incidents/INC-2.html")
        #expect(dom.contains("<h1>INC-2: Runaway logging</h1>"))
        let index = try Chromium.dom(box, box.root + "/site/index.html")
        #expect(index.contains("Very long title") && index.contains("…</td>"))
        let first = Self.read(box.root + "/site/incidents/INC-1.html")
        #expect(first.contains(long) && first.contains("✗ The hash chains do not verify"))
    }

    @Test(.timeLimit(.minutes(5)), .enabled(if: Chromium.isInstalled))
    func aReportIsOneSelfContainedFile() throws {
        let box = try Sandbox()
        try Self.store(box)
        let stdout = try box.ok(["report", "1"])
        try box.ok(["report", "1", "-o", box.root + "/INC-1.html"])
        let html = Self.read(box.root + "/INC-1.html")
        #expect(html == stdout)
        #expect(
            html.contains(
                "script-src "
                    + "'sha256-") && html.contains("<style>") && !html.contains("src=\"assets"))
        let refused = try box.run(["report", "1", "-o", box.store + "/x.html"])
        #expect(refused.status == 1 && refused.stderr.contains("inside the store"))
        let dom = try Chromium.dom(box, box.root + "/INC-1.html")
        #expect(dom.contains("<h1>INC-1: Checkout returns 5xx</h1>"))
        // The inline script ran under the policy: the overdue flag is shown.
        #expect(dom.contains("⚠ overdue") && !dom.contains("hidden=\"\">⚠ overdue"))
    }
}
