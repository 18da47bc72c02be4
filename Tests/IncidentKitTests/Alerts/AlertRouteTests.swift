import Foundation
import Testing

@testable import IncidentKit

@Suite struct AlertRouteTests {
    @Test(
        arguments: [
            ("severity=\"critical\"", ["severity": "critical"], true),
            ("severity=critical", ["severity": "critical"], true),
            ("severity = \"critical\"", ["severity": "warning"], false),
            ("team!=db", ["team": "web"], true),
            ("team!=db", [:], true),
            ("team=\"\"", [:], true),
            ("service=~\"checkout|payments\"", ["service": "payments"], true),
            ("service=~\"checkout|payments\"", ["service": "payments-api"], false),
            ("service=~check", ["service": "checkout"], false),
            ("env!~\"dev.*\"", ["env": "dev-3"], false),
            ("env!~\"dev.*\"", ["env": "prod"], true),
            ("host=~\"db\\\\.internal\"", ["host": "db.internal"], true),
            ("host=~\"db\\.internal\"", ["host": "dbxinternal"], false),
            ("quote=\"say \\\"hi\\\"\"", ["quote": "say \"hi\""], true),
        ] as [(String, [String: String], Bool)])
    func matchersHoldAnchored(_ text: String, _ labels: [String: String], _ expected: Bool) throws {
        #expect(try LabelMatcher(text).matches(labels) == expected)
    }

    @Test(arguments: [
        ("", "label name"), ("=x", "label name"), ("1a=x", "label name"),
        ("severity", "no operator"),
        ("severity~critical", "no operator"), ("a=~\"(\"", "not a valid regular expression"),
        ("a=\"open", "not closed"),
    ])
    func badMatchersAreRefused(_ text: String, _ words: String) {
        #expect {
            _ = try LabelMatcher(text)
        } throws: { ($0 as? AlertError)?.message.contains(words) == true }
    }

    @Test func matchersRoundTripThroughJSON() throws {
        let matcher = try LabelMatcher("team=~\"db|storage\"")
        let data = try JSONEncoder().encode([matcher])
        #expect(try JSONDecoder().decode([LabelMatcher].self, from: data) == [matcher])
    }

    static let config = """
        {
          "alerts": {
            "closeWhenResolved": false,
            "routes": [
              { "name": "heartbeat", "match": ["alertname=\\"Watchdog\\""], "ignore": true },
              { "name": "database pages", "match": ["severity=\\"critical\\"", \
        "team=~\\"db|storage\\""],
                "severity": "SEV1", "services": ["postgres"], "tags": ["database"], "runbook": \
        "database-down",
                "commander": "dba-oncall", "declare": true },
              { "match": ["env=\\"staging\\""], "severity": "4", "closeWhenResolved": true }
            ]
          }
        }
        """

    @Test func routesLoadFromTheConfigAndTheFirstMatchWins() throws {
        let config = try JSONCoding.decoder().decode(StoreConfig.self, from: Data(Self.config.utf8))
        let settings = try #require(config.alerts)
        #expect(settings.closeWhenResolved == false)
        #expect(settings.routes.count == 3)
        #expect(
            settings.route(for: ["alertname": "Watchdog", "severity": "critical", "team": "db"])?
                .name == "heartbeat")
        #expect(
            settings.route(for: ["alertname": "X", "severity": "critical", "team": "storage"])?.name
                == "database pages")
        #expect(
            settings.route(for: ["alertname": "X", "severity": "warning", "team": "db"]) == nil)
        #expect(settings.route(for: ["env": "staging"])?.severity == "4")

        let scheme = config.severityScheme
        let routed = RoutedAlert(
            Alert(
                status: .firing, labels: ["severity": "critical", "team": "db"], fingerprint: "f"),
            settings: settings, scheme: scheme)
        #expect(
            routed.severity.name == "SEV1" && routed.services == ["postgres"]
                && routed.tags == ["database"] && routed.declare)
        let staging = RoutedAlert(
            Alert(status: .firing, labels: ["env": "staging", "app": "web"], fingerprint: "g"),
            settings: settings, scheme: scheme)
        #expect(
            staging.severity.name == "SEV4",
            "a route's severity may be written as the scheme accepts it")
        #expect(staging.services == ["web"], "services the route leaves unset come from the labels")
        #expect(
            RoutedAlert(
                Alert(status: .firing, labels: ["alertname": "Watchdog"], fingerprint: "h"),
                settings: settings, scheme: scheme
            ).ignored)
    }

    @Test func configRoundTrips() throws {
        let config = try JSONCoding.decoder().decode(StoreConfig.self, from: Data(Self.config.utf8))
        let again = try JSONCoding.decoder().decode(
            StoreConfig.self, from: JSONCoding.encoder().encode(config))
        #expect(again.alerts == config.alerts)
        #expect(
            try JSONCoding.decoder().decode(StoreConfig.self, from: Data("{}".utf8)).alerts == nil)
        #expect(
            try JSONCoding.decoder().decode(AlertSettings.self, from: Data("{}".utf8))
                == AlertSettings(), "{} is the defaults")
    }

    @Test(
        arguments: [
            (
                #"{"alerts":{"routes":[{"match":["a=b"]},{"name":"pager","severity":"SEV9"}]}}"#,
                "alert route 2 ('pager'): unknown severity 'SEV9'; use one of SEV1, SEV2, SEV3, "
                    + "SEV4"
            ),
            (#"{"alerts":{"routes":[{"match":["a=~\"(\""]}]}}"#, "alert route 1: invalid matcher"),
            (
                #"{"alerts":{"routes":[{"name":"x","sevrity":"SEV1"}]}}"#,
                "alert route 1: unknown route setting 'sevrity'"
            ),
            (
                #"{"alerts":{"routes":[{"name":"quiet","ignore":true,"severity":"SEV1"}]}}"#,
                "alert route 1 ('quiet'): an ignoring route sets nothing else"
            ),
            (
                #"{"alerts":{"routes":[{"services":["a,b"]}]}}"#,
                "alert route 1: invalid service 'a,b'"
            ),
            (
                #"{"alerts":{"routes":[{"runbook":"../etc/passwd"}]}}"#,
                "alert route 1: invalid runbook name"
            ),
            (#"{"alerts":{"routes":[{"commander":" "}]}}"#, "alert route 1: invalid commander"),
            (
                #"{"severities":[{"name":"P0","description":"all down"},{"name":"P1","description""#
                    + #":"bad"}],"alerts":{"routes":[{"severity":"SEV7"}]}}"#,
                "unknown severity 'SEV7'; use one of P0, P1"
            ),
        ] as [(String, String)])
    func badRoutesAreRefusedNamingTheRoute(_ json: String, _ words: String) throws {
        let directory =
            FileManager.default.temporaryDirectory.path + "/irctl-routes-"
            + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
        #expect {
            _ = try Store(root: directory).loadConfig()
        } throws: { error in
            guard case .badConfig(_, let reason)? = error as? StoreError else { return false }
            return reason.contains(words)
        }
    }

    @Test(arguments: [
        ("critical", "SEV2"), ("CRITICAL", "SEV2"), ("warning", "SEV3"), ("error", "SEV3"),
        ("info", "SEV4"),
        ("sev1", "SEV1"), ("P1", "SEV1"), ("", "SEV3"), ("whatever", "SEV3"),
    ])
    func defaultSeverityComesFromTheLabel(_ label: String, _ expected: String) {
        #expect(RoutedAlert.defaultSeverity(label, scheme: .standard).name == expected)
    }

    @Test func defaultSeverityFitsTheStoresScheme() {
        let scheme = SeverityScheme(
            levels: ["P0", "P1", "P2"].map { SeverityLevel(name: $0, description: $0) })
        #expect(
            RoutedAlert.defaultSeverity("critical", scheme: scheme).name == "P1",
            "no SEV2: the middle of the scheme")
        #expect(RoutedAlert.defaultSeverity("p0", scheme: scheme).name == "P0")
    }
}
