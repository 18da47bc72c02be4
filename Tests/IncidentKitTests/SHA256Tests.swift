import Foundation
import TestSupport
import Testing

@testable import IncidentKit

/// The system's `sha256sum` over `bytes`, as an independent reference.
func systemSHA256(_ bytes: [UInt8]) throws -> String {
    let file = FileManager.default.temporaryDirectory
        .appendingPathComponent("irctl-sha256-\(UUID().uuidString)")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output.prefix(64), as: UTF8.self)
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func nistVectors(message: String, expected: String) {
        #expect(SHA256.hex(message) == expected)
        #expect(SHA256.hex(Array(message.utf8)) == expected)
        #expect(SHA256.hex(Data(message.utf8)) == expected)
    }

    @Test func oneMillionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hex(String(repeating: "a", count: 1_000_000)) == expected)
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == expected)
    }

    @Test func digestIs32BytesMatchingHex() {
        let digest = SHA256.digest(Array("abc".utf8))
        #expect(digest.count == 32)
        #expect(digest.map { String(format: "%02x", $0) }.joined() == SHA256.hex("abc"))
    }

    /// A non-contiguous collection takes the copying path and must hash the same.
    @Test func nonContiguousCollection() {
        let bytes = (0..<300).lazy.map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(SHA256.hex(bytes) == SHA256.hex(Array(bytes)))
    }

    /// Lengths around the padding boundaries: the length field fits in the last block or spills
    /// into a new one.
    @Test(arguments: [55, 56, 63, 64, 65, 119, 120, 128])
    func paddingEdgesMatchSystem(length: Int) throws {
        var generator = SplitMix64(seed: UInt64(length))
        let bytes = generator.bytes(length)
        #expect(SHA256.hex(bytes) == (try systemSHA256(bytes)))
    }

    @Test func randomLengthsMatchSystem() throws {
        var generator = SplitMix64(seed: 0x1_2C71)
        for _ in 0..<24 {
            let bytes = generator.bytes(Int.random(in: 0...5000, using: &generator))
            #expect(SHA256.hex(bytes) == (try systemSHA256(bytes)), "length \(bytes.count)")
        }
    }
}
