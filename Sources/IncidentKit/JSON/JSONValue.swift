/// Any JSON value: how fields this version of irctl doesn't know are carried through a rewrite.
public enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// A coding key for any name, used to find and keep unknown fields.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == AnyCodingKey {
    /// The fields of this object whose names are not in `known`, kept verbatim.
    func unknownFields(known: Set<String>) throws -> [String: JSONValue] {
        var unknown: [String: JSONValue] = [:]
        for key in allKeys where !known.contains(key.stringValue) {
            unknown[key.stringValue] = try decode(JSONValue.self, forKey: key)
        }
        return unknown
    }
}

extension KeyedEncodingContainer where Key == AnyCodingKey {
    mutating func encodeUnknown(_ fields: [String: JSONValue]) throws {
        for (name, value) in fields { try encode(value, forKey: AnyCodingKey(name)) }
    }
}
