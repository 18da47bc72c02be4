import Foundation

extension StoreConfig {
    /// The `alerts` section of `config.json`: how Alertmanager notifications become incidents
    /// (routing rules, closing on resolve); nil when there is none. A bad section throws a
    /// `DecodingError` at `alerts…`, routes checked against the store's severities.
    public func alertSettings() throws -> AlertSettings? {
        guard let section = unknownField("alerts") else { return nil }
        // Decoded under its own key, so an error's path names where in the file it is.
        let data = try JSONCoding.encoder().encode(JSONValue.object(["alerts": section]))
        let settings = try JSONCoding.decoder().decode(AlertSection.self, from: data).alerts
        do {
            try settings.validate(scheme: severityScheme)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [AnyCodingKey("alerts")], debugDescription: error.message))
        }
        return settings
    }
}

private struct AlertSection: Decodable {
    var alerts: AlertSettings
}
