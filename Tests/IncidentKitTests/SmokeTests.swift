import Testing

@testable import IncidentKit

@Test func versionIsSet() { #expect(!IncidentKit.version.isEmpty) }
