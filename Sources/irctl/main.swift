import IncidentKit
print("irctl \(IncidentKit.version)")
