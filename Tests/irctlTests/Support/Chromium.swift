import Foundation

/// Headless Chromium (Debian's `chromium`, installed by `.ci/run`) loading pages from files:
/// the DOM after scripts ran, and screenshots. Each run has its own profile folder, so tests run
/// in parallel, and `timeout` ends a browser that hangs (and the processes it started).
enum Chromium {
    static var isInstalled: Bool {
        [
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser"
                + "",
        ].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func quoted(_ text: String) -> String {
        "'"
            + text.replacingOccurrences(
                of: "'",
                with: "'\\''") + "'"
    }

    static func run(_ box: borrowing Sandbox, _ arguments: [String]) throws -> RunResult {
        let profile = box.root + "/chromium-" + UUID().uuidString.prefix(8)
        let script =
            "timeout -k 5 120 chromium --headless --no-sandbox --disable-gpu "
            + "--no-first-run "
            + "--disable-extensions --hide-scrollbars --user-data-dir=\(quoted(profile)) "
            + arguments.map(quoted).joined(separator: " ")
        return try box.sh(script, env: ["HOME": box.root + "/home"], timeout: 150)
    }

    /// The DOM of `file` (with `query`) once its scripts ran.
    static func dom(_ box: borrowing Sandbox, _ file: String, query: String = "") throws -> String {
        let result = try run(
            box,
            [
                "--virtual-time-budget=5000", "--dump-dom",
                "file://" + file
                    + query,
            ])
        return result.stdout
    }

    /// A screenshot of `file` at `width`×`height`; returns the PNG's size in bytes.
    @discardableResult
    static func screenshot(
        _ box: borrowing Sandbox, _ file: String, to png: String,
        width: Int, height: Int
    ) throws -> Int {
        _ = try run(
            box,
            [
                "--window-size=\(width),\(height)", "--screenshot=" + png,
                "file://"
                    + file,
            ])
        return ((try? FileManager.default.attributesOfItem(atPath: png))?[.size] as? Int) ?? 0
    }
}
