import Foundation

/// An incident as the store read or wrote it, with what the store wants said about that (a
/// renumbering, a cache it could not update). The notices are never stored. Its members read
/// through to the incident's (`stored.id`).
@dynamicMemberLookup
public struct StoredIncident: Sendable {
    public var incident: Incident
    public var notices: [String]

    public subscript<Value>(dynamicMember keyPath: KeyPath<Incident, Value>) -> Value {
        incident[keyPath: keyPath]
    }
}
