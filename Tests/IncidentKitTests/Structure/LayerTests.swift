import Foundation
import Testing

/// The library's layers: no folder of `Sources/IncidentKit` uses a name declared in a folder of a
/// higher layer, and folders sharing a layer use each other one way only.
struct LayerTests {
    /// Lowest first. A new folder takes its place here before the check passes.
    static let layers = Layers(layers: [
        ["Support"],
        ["Time"],
        ["JSON"],
        ["Redaction"],
        ["Model"],
        ["Lifecycle"],
        ["Store"],
        ["Sync"],
        // Features: each reads its own section of the store's config.
        [
            "Alerts", "Changes", "Comms", "Evidence", "HTTP", "Metrics", "Recording", "Render",
            "Review", "Runbooks", "Search", "Site", "Verification",
        ],
    ])

    /// Back edges known and still to remove: none, and nothing new goes here.
    static let knownBackEdges: Set<FolderEdge> = []

    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/IncidentKit")

    @Test func everyFolderHasALayer() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path)
            .filter { !$0.hasSuffix(".swift") }
        let placed = Set(Self.layers.layers.joined())
        #expect(Set(folders).subtracting(placed).sorted() == [], "add them to LayerTests.layers")
        #expect(placed.subtracting(folders).sorted() == [], "gone: remove them from the layers")
    }

    @Test func noFolderDependsOnAHigherOne() throws {
        let graph = try FolderGraph.read(root: Self.sources)
        #expect(graph.ambiguous.isEmpty, "declared in more than one folder: \(graph.ambiguous)")
        let back = Self.layers.backEdges(in: graph)
        let offending = back.filter { !Self.knownBackEdges.contains($0) }
        let named = offending.map { "\($0) (\(graph.edges[$0, default: []].sorted()))" }
        #expect(named == [], "back edges; the whole graph:\n\(graph.listing)")
        let stale = Self.knownBackEdges.subtracting(back).sorted()
        #expect(stale == [], "no longer there: remove them from knownBackEdges")
    }

    @Test func foldersOfOneLayerUseEachOtherOneWayOnly() throws {
        let graph = try FolderGraph.read(root: Self.sources)
        let cycle = Self.layers.cycleWithinLayers(in: graph, ignoring: Self.knownBackEdges)
        let named = cycle.map { $0.map { "\($0) (\(graph.edges[$0, default: []].sorted()))" } }
        #expect(named == nil, "the whole graph:\n\(graph.listing)")
    }

    // The check itself, on sources made up for it.

    static let sample = Layers(layers: [["Low"], ["High", "Side"]])

    @Test func aBackEdgeIsNamedWithTheTypeAndFileThatMakeIt() {
        let graph = FolderGraph(folders: [
            "Low": ["Low.swift": "public struct Base { var top: Top }\n"],
            "High": ["Top.swift": "struct Top { var base: Base }\n"],
        ])
        #expect(Self.sample.backEdges(in: graph) == [FolderEdge("Low", "High")])
        #expect(graph.edges[FolderEdge("Low", "High")] == ["Top in Low.swift"])
        #expect(graph.edges[FolderEdge("High", "Low")] == ["Base in Top.swift"])
    }

    @Test func aCycleWithinALayerIsFound() {
        let graph = FolderGraph(folders: [
            "High": ["A.swift": "enum A { static let b = B.self }\n"],
            "Side": ["B.swift": "enum B { static let a = A.self }\n"],
        ])
        let cycle = Self.sample.cycleWithinLayers(in: graph, ignoring: [])
        #expect(cycle == [FolderEdge("High", "Side"), FolderEdge("Side", "High")])
        #expect(
            Self.sample.cycleWithinLayers(in: graph, ignoring: [FolderEdge("Side", "High")]) == nil)
    }

    @Test func commentsAndStringTextAreNoUseButInterpolationIs() {
        let source = """
            /// Uses Top in a comment. /* Top /* nested */ Top */
            let a = "Top \\(Base.self) Top"
            let b = #"Top \\(Top) \\#(Side.self)"#
            let c = \"\"\"
                Top \\(Deep.self)
                \"\"\"
            let d = x.Top
            """
        // `self` in `Base.self` is a member; `Top` after `x.` too.
        let expected: Set = ["let", "a", "Base", "b", "Side", "c", "Deep", "d", "x"]
        #expect(SwiftCode.identifiers(SwiftCode.strip(source)) == expected)
    }

    @Test func onlyTopLevelVisibleDeclarationsAreNames() {
        let source = """
            public struct Shown {
                struct Nested {}
            }
            @available(*, deprecated)
            public final class Kept {}
            private enum Hidden {}
            func helper() {}
            extension Shown {}
            """
        #expect(SwiftCode.topLevelNames(source) == ["Shown", "Kept", "helper"])
    }
}
