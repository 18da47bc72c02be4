import Foundation
import Testing

/// Runs irctl's bash completion the way bash does on Tab.
enum BashCompletion {
    /// The lines of `COMPREPLY` for `words` (the last one is the word under the cursor), with
    /// the completion `script` sourced and the `irctl` in `bin` first on PATH.
    static func candidates(
        _ words: [String], script: String, bin: String, box: borrowing Sandbox
    ) throws -> [String] {
        let quoted = words.map { "'" + $0 + "'" }.joined(separator: " ")
        let program = """
            source '\(script)'
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1)
            _irctl
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try box.sh(
            "PATH='\(bin)':\"$PATH\" bash --norc --noprofile -c \"$PROGRAM\"",
            env: ["PROGRAM": program])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }
}
