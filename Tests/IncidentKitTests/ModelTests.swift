import Foundation
import Testing

@testable import IncidentKit

@Suite struct IncidentIDTests {
    @Test(arguments: [
        ("INC-42", 42), ("inc-42", 42), ("42", 42), ("INC-1", 1), ("Inc-007", 7),
        ("999999999", 999_999_999),
    ])
    func accepts(_ text: String, _ number: Int) throws {
        #expect(try IncidentID.parse(text).number == number)
    }

    @Test(arguments: [
        "", "INC-", "INC-0", "0", "-1", "INC--1", "../x", "/etc/passwd", "a/b", "INC-4\n", "1e3",
        "INC-1234567890",
        String(repeating: "9", count: 300), "４２", "INC-4 2", " 42",
    ])
    func rejects(_ text: String) {
        #expect(throws: ValueError.invalidIncidentID(text)) { try IncidentID.parse(text) }
    }

    @Test func fileNameComesFromTheNumberOnly() throws {
        #expect(try IncidentID.parse("inc-7").fileName == "INC-7.json")
        #expect(try IncidentID.parse("7").description == "INC-7")
    }

    @Test func storeFileNamesRoundTrip() {
        #expect(FileSystem.incidentNumber("INC-12.json") == 12)
        for name in [
            ".INC-12.json.tmp", "INC-012.json", "INC-12.json~", "INC-.json", "inc-12.json",
            "INC-1a.json", "notes.txt",
        ] {
            #expect(FileSystem.incidentNumber(name) == nil, "\(name)")
        }
        #expect(Store.replicaName(ofFile: "0123456789abcdef.json") == "0123456789abcdef")
        #expect(Store.replicaName(ofFile: "legacy-0123456789ab.json") == "legacy-0123456789ab")
        for name in [
            ".0123456789abcdef.json.tmp", "0123456789ABCDEF.json", "0123456789abcde.json",
            "../x.json", "legacy-01.json",
        ] {
            #expect(Store.replicaName(ofFile: name) == nil, "\(name)")
        }
        #expect(
            Store.directoryName("a1b2c3d4-0000-4000-8000-000000000000")
                == "a1b2c3d4-0000-4000-8000-000000000000")
        #expect(Store.directoryName("A1B2C3D4-0000") == "a1b2c3d4-0000")
        for hostile in ["../../etc", "/etc/passwd", "u", "a/b/c/d/e/f"] {
            let name = Store.directoryName(hostile)
            #expect(!name.contains("/") && !name.hasPrefix("."), "\(hostile) → \(name)")
        }
    }
}

@Suite struct SeverityTests {
    @Test(arguments: [
        ("SEV2", "SEV2"), ("sev2", "SEV2"), ("2", "SEV2"), ("P2", "SEV2"), ("p1", "SEV1"),
        ("Sev4", "SEV4"), (" 3 ", "SEV3"),
    ])
    func parsesStandardForms(_ input: String, _ expected: String) throws {
        #expect(try SeverityScheme.standard.parse(input).name == expected)
    }

    @Test(arguments: ["SEV5", "0", "P0", "", "critical", "SEV", "sev-1", "99999"])
    func rejectsUnknown(_ input: String) {
        #expect(throws: ValueError.invalidSeverity(input, known: ["SEV1", "SEV2", "SEV3", "SEV4"]))
        {
            try SeverityScheme.standard.parse(input)
        }
    }

    @Test func customSchemeAcceptsItsOwnLevels() throws {
        let scheme = SeverityScheme(
            levels: (0...4).map { SeverityLevel(name: "SEV\($0)", description: "level \($0)") })
        #expect(try scheme.parse("P0").name == "SEV0")
        #expect(try scheme.parse("0").name == "SEV0")
        #expect(scheme.rank(of: "SEV0") == 0)
        #expect(scheme.rank(of: "SEV4") == 4)
        #expect(
            scheme.rank(of: "BOGUS") == 5, "an unknown stored level sorts last instead of failing")
    }

    @Test func errorMessageNamesValueAndChoices() {
        let error = ValueError.invalidSeverity("SEV9", known: ["SEV1", "SEV2"])
        #expect(
            error.message
                == "unknown severity 'SEV9'; use one of SEV1, SEV2 (or its number, e.g. 2 or P2)")
        #expect(error.isUsageError)
    }
}

@Suite struct PhaseTests {
    @Test func orderIsTheLifecycle() {
        #expect(
            Phase.allCases.map(\.rawValue) == [
                "detect", "declare", "contain", "eradicate", "recover", "review", "closed",
            ])
        #expect(Phase.detect < .declare && Phase.review < .closed)
    }

    @Test(arguments: ["Contain", "CONTAIN", "contain"])
    func parsesAnyCase(_ text: String) throws { #expect(try Phase.parse(text) == .contain) }

    @Test func rejectsUnknown() {
        #expect(throws: ValueError.invalidPhase("mitigate")) { try Phase.parse("mitigate") }
    }

    @Test func narrativeFieldArguments() {
        #expect(NarrativeField.rootCause.argument == "root-cause")
        #expect(NarrativeField(argument: "went-well") == .wentWell)
        #expect(NarrativeField(argument: "nope") == nil)
        #expect(Set(NarrativeField.allCases.map(\.argument)).count == NarrativeField.allCases.count)
    }
}

@Suite struct CodableTests {
    static let json = """
        {
          "actionItems" : [],
          "createdAt" : "2026-11-21T14:00:00Z",
          "detectedAt" : "2026-11-21T13:58:00Z",
          "futureField" : { "nested" : [1, 2.5, "x", null, true] },
          "id" : "INC-3",
          "links" : [],
          "narrative" : {},
          "phase" : "contain",
          "roles" : { "commander" : "alice" },
          "schemaVersion" : 1,
          "services" : ["checkout"],
          "severity" : "SEV2",
          "tags" : [],
          "timeline" : [
            { "at" : "2026-11-21T13:58:00Z", "author" : "alice", "hash" : "", "kind" : "phase", \
        "recordedAt" : "2026-11-21T14:00:00Z",
              "seq" : 1, "text" : "Detected", "data" : { "to" : "detect" }, "signature" : \
        "from-a-newer-irctl" }
          ],
          "title" : "Checkout 5xx",
          "uid" : "8d3c1b2a-0000-4000-8000-000000000001"
        }
        """

    @Test func unknownFieldsSurviveARewrite() throws {
        let incident = try JSONCoding.decoder().decode(Incident.self, from: Data(Self.json.utf8))
        #expect(incident.unknownFields["futureField"] != nil)
        #expect(incident.timeline[0].unknownFields["signature"] == .string("from-a-newer-irctl"))
        let written = String(decoding: try Store.encode(incident), as: UTF8.self)
        #expect(written.contains("\"futureField\""))
        #expect(written.contains("\"signature\" : \"from-a-newer-irctl\""))
        let again = try JSONCoding.decoder().decode(Incident.self, from: Data(written.utf8))
        #expect(again == incident)
    }

    /// A newer irctl's fields survive a rewrite at every level, not only the top one:
    /// a role, a link attribute, a narrative section added by a newer version.
    @Test func unknownFieldsSurviveInNestedObjects() throws {
        let json = Self.json
            .replacingOccurrences(
                of: #""roles" : { "commander" : "alice" }"#,
                with: #""roles" : { "commander" : "alice", "observer" : "dana" }"#
            )
            .replacingOccurrences(
                of: #""links" : []"#,
                with:
                    #""links" : [{ "label" : "grafana", "url" : "https://g.example/d/1", "kind" : "#
                    + #""dashboard" }]"#
            )
            .replacingOccurrences(
                of: #""narrative" : {}"#,
                with: #""narrative" : { "summary" : "s", "customerComms" : "sent at 14:10" }"#)
        let incident = try JSONCoding.decoder().decode(Incident.self, from: Data(json.utf8))
        let written = String(decoding: try Store.encode(incident), as: UTF8.self)
        #expect(written.contains(#""observer" : "dana""#))
        #expect(written.contains(#""kind" : "dashboard""#))
        #expect(written.contains(#""customerComms" : "sent at 14:10""#))
        #expect(
            try JSONCoding.decoder().decode(Incident.self, from: Data(written.utf8)) == incident)
    }

    @Test func encodingIsStableAndSorted() throws {
        let incident = try JSONCoding.decoder().decode(Incident.self, from: Data(Self.json.utf8))
        let a = try Store.encode(incident)
        let b = try Store.encode(incident)
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map {
            $0.split(separator: "\"")[1]
        }
        #expect(keys == keys.sorted(), "top-level keys are sorted for small git diffs")
        #expect(!text.contains("open"), "derived fields are never stored")
    }

    @Test func derivedFieldsOnlyOnRequest() throws {
        let incident = try JSONCoding.decoder().decode(Incident.self, from: Data(Self.json.utf8))
        let encoder = JSONCoding.encoder()
        encoder.userInfo[.includeDerivedFields] = true
        let object = try #require(
            JSONSerialization.jsonObject(with: encoder.encode(incident)) as? [String: Any])
        #expect(object["open"] as? Bool == true)
        #expect(object["active"] as? Bool == true)
        #expect(
            (object["phaseEnteredAt"] as? [String: String])?["detect"] == "2026-11-21T13:58:00Z")
    }

    @Test func datesAtAnyDepthAreISO() throws {
        let item = ActionItem(
            id: "A1", text: "add alert", due: Date(timeIntervalSince1970: 1_795_000_000),
            createdAt: Date(timeIntervalSince1970: 1_794_000_000))
        let text = String(decoding: try JSONCoding.encoder().encode(item), as: UTF8.self)
        #expect(text.contains("\"due\" : \"2026-11-18T"))
        #expect(try JSONCoding.decoder().decode(ActionItem.self, from: Data(text.utf8)) == item)
    }
}
