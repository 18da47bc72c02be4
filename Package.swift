// swift-tools-version:6.0
import PackageDescription

// No package dependencies, by design: irctl builds from the toolchain alone.
let package = Package(
    name: "irctl",
    products: [
        .executable(name: "irctl", targets: ["irctl"]),
        .library(name: "IncidentKit", targets: ["IncidentKit"]),
    ],
    targets: [
        // Optimised in debug builds too: the end-to-end tests run the debug binary hundreds of
        // times over stores of thousands of entries, and the store's JSON code is most of that.
        .target(
            name: "IncidentKit",
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Release binaries link the Swift stdlib and Foundation statically, which starts about
        // 3x faster: build them with `swift build -c release --static-swift-stdlib`.
        .executableTarget(name: "irctl", dependencies: ["IncidentKit"]),
        .executableTarget(name: "irctl-bench", dependencies: ["IncidentKit"]),
        // Compiles runbooks/*.md into the binary: `swift run generate-runbooks` after editing one.
        .executableTarget(name: "generate-runbooks"),
        // What both test targets share (a seeded random generator).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "IncidentKitTests", dependencies: ["IncidentKit", "TestSupport"],
            exclude: ["Golden"]),
        // Depends on the executables so `swift test` builds the binaries the end-to-end tests run.
        .testTarget(
            name: "irctlTests",
            dependencies: ["IncidentKit", "irctl", "generate-runbooks", "TestSupport"],
            exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
