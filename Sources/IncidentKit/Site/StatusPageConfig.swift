import Foundation

/// The status page's settings in the store's `config.json`:
///
///     "statusPage": { "name": "Acme", "components": [
///         { "name": "Checkout", "services": ["checkout", "payments"], "description": "…" } ] }
///
/// A component's state comes from the open incidents on any of its services.
public struct StatusPageConfig: Hashable, Sendable {
    public struct Component: Hashable, Sendable {
        public var name: String
        public var services: [String]
        public var description: String?
    }

    public var name: String
    public var components: [Component]

    static let maxComponents = 200

    public init(name: String = "Service status", components: [Component] = []) {
        self.name = name
        self.components = components
    }

    /// Read from the config's `statusPage` key; a malformed value is an error naming what is wrong.
    public init(config: StoreConfig) throws(SiteError) {
        self.init()
        guard let value = config.unknownField("statusPage") else { return }
        guard case .object(let object) = value else {
            throw .badStatusConfig("'statusPage' must be an object with 'name' and 'components'")
        }
        if let name = object["name"] {
            guard case .string(let text) = name, !text.isEmpty, text.count <= 200 else {
                throw .badStatusConfig("'statusPage.name' must be a text of 1 to 200 characters")
            }
            self.name = text
        }
        guard let list = object["components"] else { return }
        guard case .array(let items) = list, items.count <= Self.maxComponents else {
            throw .badStatusConfig(
                "'statusPage.components' must be a list of at most "
                    + "\(Self.maxComponents) components")
        }
        var seen = Set<String>()
        for (index, item) in items.enumerated() {
            guard case .object(let fields) = item, case .string(let name)? = fields["name"],
                !name.isEmpty, name.count <= 200
            else {
                throw .badStatusConfig(
                    "component \(index + 1) needs a 'name' of 1 to 200 "
                        + "characters")
            }
            guard seen.insert(name).inserted else {
                throw .badStatusConfig("component '\(ValueError.shown(name))' is listed twice")
            }
            var services: [String] = []
            if case .array(let values)? = fields["services"] {
                for value in values {
                    guard case .string(let service) = value else {
                        throw .badStatusConfig(
                            "component '\(ValueError.shown(name))': services "
                                + "are texts")
                    }
                    services.append(service)
                }
            } else if fields["services"] != nil {
                throw .badStatusConfig(
                    "component '\(ValueError.shown(name))': 'services' is a "
                        + "list")
            }
            var description: String?
            if case .string(let text)? = fields["description"] { description = text }
            components.append(Component(name: name, services: services, description: description))
        }
    }
}

/// What can go wrong building the site.
public enum SiteError: DescribedError, Hashable, Sendable {
    case insideStore(path: String, store: String)
    case containsStore(path: String, store: String)
    case notWritable(path: String, reason: String)
    case badStatusConfig(String)

    public var message: String {
        switch self {
        case .insideStore(let path, let store):
            "OUTDIR '\(ValueError.shown(path))' is inside the store (\(store)), whose files only "
                + "irctl writes; build the site somewhere else, such as irctl-site/"
        case .containsStore(let path, let store):
            "OUTDIR '\(ValueError.shown(path))' contains the store (\(store)); publishing it would "
                + "publish every incident file; build the site in a folder of its own, such as "
                + "irctl-site/"
        case .notWritable(let path, let reason):
            "cannot write the site to '\(ValueError.shown(path))': \(reason); choose a folder you "
                + "can write to"
        case .badStatusConfig(let reason):
            "config.json: \(reason); see 'irctl help site'"
        }
    }
}
