import Foundation

/// One folder of `Sources/IncidentKit` using a name another folder declares.
struct FolderEdge: Hashable, Comparable, CustomStringConvertible {
    var from: String
    var to: String

    init(_ from: String, _ to: String) {
        self.from = from
        self.to = to
    }

    var description: String { "\(from) → \(to)" }

    static func < (a: FolderEdge, b: FolderEdge) -> Bool {
        (a.from, a.to) < (b.from, b.to)
    }
}

/// Which folders use which, read from the sources: every folder's top-level declarations (types,
/// protocols, type aliases, functions, constants) and every identifier its code uses, comments
/// and string text left out. The library is one module (whole-module optimisation keeps the
/// listing fast), so this reading, not the compiler, keeps its layers.
struct FolderGraph {
    /// For each edge, the names that make it, each with the file that uses it.
    var edges: [FolderEdge: Set<String>] = [:]
    /// Names declared at the top level of more than one folder: a use can't be placed.
    var ambiguous: [String: Set<String>] = [:]

    /// `folders` maps a folder's name to its files' sources.
    init(folders: [String: [String: String]]) {
        var owners: [String: Set<String>] = [:]
        var code: [String: [String: String]] = [:]
        for (folder, files) in folders {
            for (file, source) in files {
                let stripped = SwiftCode.strip(source)
                code[folder, default: [:]][file] = stripped
                for name in SwiftCode.topLevelNames(stripped) {
                    owners[name, default: []].insert(folder)
                }
            }
        }
        ambiguous = owners.filter { $0.value.count > 1 }
        for (folder, files) in code {
            for (file, stripped) in files {
                for name in SwiftCode.identifiers(stripped) {
                    guard let owner = owners[name], owner.count == 1, let to = owner.first,
                        to != folder
                    else { continue }
                    edges[FolderEdge(folder, to), default: []].insert("\(name) in \(file)")
                }
            }
        }
    }

    /// The graph of the library's sources at `root` (`Sources/IncidentKit`): one folder each,
    /// files directly in `root` ignored (they declare nothing others use).
    static func read(root: URL) throws -> FolderGraph {
        let manager = FileManager.default
        var folders: [String: [String: String]] = [:]
        for folder in try manager.contentsOfDirectory(atPath: root.path) {
            var isDirectory: ObjCBool = false
            let url = root.appendingPathComponent(folder)
            guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory),
                isDirectory.boolValue
            else { continue }
            var files: [String: String] = [:]
            for file in try manager.contentsOfDirectory(atPath: url.path)
            where file.hasSuffix(".swift") {
                files[file] = try String(
                    contentsOf: url.appendingPathComponent(file), encoding: .utf8)
            }
            folders[folder] = files
        }
        return FolderGraph(folders: folders)
    }

    /// The graph drawn one edge a line, each with the names that make it.
    var listing: String {
        edges.keys.sorted().map { edge in
            "\(edge): " + edges[edge, default: []].sorted().joined(separator: ", ")
        }.joined(separator: "\n")
    }
}

/// Layers of folders, lowest first, and what breaks them.
struct Layers {
    var layers: [[String]]

    /// The layer each folder sits in.
    var level: [String: Int] {
        var level: [String: Int] = [:]
        for (index, layer) in layers.enumerated() {
            for folder in layer { level[folder] = index }
        }
        return level
    }

    /// Edges from a folder to one in a higher layer.
    func backEdges(in graph: FolderGraph) -> [FolderEdge] {
        let level = level
        return graph.edges.keys.filter { edge in
            guard let from = level[edge.from], let to = level[edge.to] else { return false }
            return to > from
        }.sorted()
    }

    /// A cycle among folders of one layer (they may use each other, one way only), as its edges;
    /// nil when there is none.
    func cycleWithinLayers(
        in graph: FolderGraph, ignoring ignored: Set<FolderEdge>
    ) -> [FolderEdge]? {
        let level = level
        var next: [String: [String]] = [:]
        for edge in graph.edges.keys.sorted() where !ignored.contains(edge) {
            guard let from = level[edge.from], from == level[edge.to] else { continue }
            next[edge.from, default: []].append(edge.to)
        }
        // Depth first; a folder met again while still on the path closes a cycle.
        var done: Set<String> = []
        var path: [String] = []
        func visit(_ folder: String) -> [FolderEdge]? {
            if let start = path.firstIndex(of: folder) {
                let loop = Array(path[start...]) + [folder]
                return zip(loop, loop.dropFirst()).map { FolderEdge($0, $1) }
            }
            guard !done.contains(folder) else { return nil }
            path.append(folder)
            for target in next[folder, default: []] {
                if let cycle = visit(target) { return cycle }
            }
            path.removeLast()
            done.insert(folder)
            return nil
        }
        for folder in next.keys.sorted() {
            if let cycle = visit(folder) { return cycle }
        }
        return nil
    }
}

/// Just enough of Swift's lexical structure to tell code from comments and string text.
enum SwiftCode {
    /// `source` with comments removed and string literals emptied, keeping the code inside
    /// string interpolations (it names types too).
    static func strip(_ source: String) -> String {
        let bytes = Array(source.utf8)
        var index = 0
        var out: [UInt8] = []
        code(bytes, &index, &out, untilParenthesis: false)
        return String(decoding: out, as: UTF8.self)
    }

    private static let slash = UInt8(ascii: "/")
    private static let star = UInt8(ascii: "*")
    private static let quote = UInt8(ascii: "\"")
    private static let hash = UInt8(ascii: "#")
    private static let backslash = UInt8(ascii: "\\")
    private static let open = UInt8(ascii: "(")
    private static let close = UInt8(ascii: ")")
    private static let space = UInt8(ascii: " ")

    /// Copies code until the end, or until the `)` that closes an interpolation.
    private static func code(
        _ s: [UInt8], _ i: inout Int, _ out: inout [UInt8], untilParenthesis: Bool
    ) {
        var depth = 0
        while i < s.count {
            let c = s[i]
            let next = i + 1 < s.count ? s[i + 1] : 0
            if c == slash, next == slash {
                while i < s.count, s[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            }
            if c == slash, next == star {
                var nesting = 0
                repeat {
                    if s[i] == slash, i + 1 < s.count, s[i + 1] == star {
                        nesting += 1
                        i += 2
                    } else if s[i] == star, i + 1 < s.count, s[i + 1] == slash {
                        nesting -= 1
                        i += 2
                    } else {
                        i += 1
                    }
                } while nesting > 0 && i < s.count
                out.append(space)
                continue
            }
            if c == hash || c == quote {
                var j = i
                while j < s.count, s[j] == hash { j += 1 }
                if j < s.count, s[j] == quote {
                    let hashes = j - i
                    let multiline = j + 2 < s.count && s[j + 1] == quote && s[j + 2] == quote
                    i = j + (multiline ? 3 : 1)
                    string(s, &i, &out, hashes: hashes, multiline: multiline)
                    continue
                }
            }
            if untilParenthesis {
                if c == open { depth += 1 }
                if c == close {
                    if depth == 0 {
                        i += 1
                        return
                    }
                    depth -= 1
                }
            }
            out.append(c)
            i += 1
        }
    }

    /// Skips a string literal's text up to its closing delimiter, keeping interpolated code.
    private static func string(
        _ s: [UInt8], _ i: inout Int, _ out: inout [UInt8], hashes: Int, multiline: Bool
    ) {
        out += [space, quote, quote, space]
        let closing =
            [UInt8](repeating: quote, count: multiline ? 3 : 1)
            + [UInt8](repeating: hash, count: hashes)
        func at(_ pattern: [UInt8], _ k: Int) -> Bool {
            k + pattern.count <= s.count && Array(s[k..<k + pattern.count]) == pattern
        }
        let escape = [backslash] + [UInt8](repeating: hash, count: hashes)
        while i < s.count {
            if at(closing, i) {
                i += closing.count
                return
            }
            if at(escape, i) {
                let k = i + escape.count
                if k < s.count, s[k] == open {
                    i = k + 1
                    out.append(space)
                    code(s, &i, &out, untilParenthesis: true)
                    out.append(space)
                } else {
                    i = k + 1
                }
                continue
            }
            i += 1
        }
    }

    /// Names declared at the top level (column 0) and visible to other files: types, protocols,
    /// type aliases, functions, constants and variables; `private` and `fileprivate` ones are not.
    static func topLevelNames(_ code: String) -> [String] {
        let pattern =
            #"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|internal|package|final|indirect|"#
            + #"nonisolated)\s+)*(?:struct|enum|class|protocol|typealias|actor|func|let|var)\s+"#
            + #"([A-Za-z_]\w*)"#
        return matches(pattern, in: code, options: [.anchorsMatchLines])
    }

    /// Every identifier that is not a member (not after a `.`).
    static func identifiers(_ code: String) -> Set<String> {
        Set(matches(#"(?<![\w.])[A-Za-z_]\w*"#, in: code, options: []))
    }

    private static func matches(
        _ pattern: String, in text: String, options: NSRegularExpression.Options
    ) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern, options: options)
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).map { match in
            let group = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
            return String(text[Range(group, in: text)!])
        }
    }
}
