import Foundation

/// The optional command a store hands each status update to (`config.json` → `updates`), for
/// example `curl` posting to a chat webhook:
///
///     "updates": { "command": ["curl", "-sS", "--fail", "-K",
/// "/home/alice/.config/irctl/chat.curlrc", "--data-binary", "@-"],
///                  "input": "slack-json" }
///
/// The update goes to the command on standard input, never in its arguments, and the webhook
/// address stays in a file the command reads (curl's `-K` config), so neither the process list
/// nor the store ever holds the secret.
public struct UpdateHook: Hashable, Sendable {
    /// What the command reads on standard input.
    public enum Input: String, Sendable {
        /// The update as rendered.
        case text
        /// `{"text": "<the update>"}`: what Slack, Mattermost and Rocket.Chat webhooks take.
        case slackJSON = "slack-json"
    }

    /// The program and its arguments, run without a shell.
    public var command: [String]
    public var input: Input

    public init(command: [String], input: Input = .text) {
        self.command = command
        self.input = input
    }

    /// The store's hook, nil when it has none; a malformed one is an error naming the fix.
    public static func from(_ config: StoreConfig) throws(UpdateHookError) -> UpdateHook? {
        guard let value = config.unknownField("updates") else { return nil }
        guard case .object(let object) = value else {
            throw .malformed("'updates' must be an object")
        }
        guard let commandValue = object["command"] else { return nil }
        guard case .array(let words) = commandValue, !words.isEmpty else {
            throw .malformed(
                "'updates.command' must be a non-empty array of strings, e.g. [\"curl\", \"-K\", "
                    + "\"FILE\", \"--data-binary\", \"@-\"]"
            )
        }
        var command: [String] = []
        for word in words {
            guard case .string(let text) = word, !text.contains("\0") else {
                throw .malformed("'updates.command' must hold only strings")
            }
            command.append(text)
        }
        guard !command[0].isEmpty else { throw .malformed("'updates.command' names no program") }
        var input = Input.text
        if let inputValue = object["input"] {
            guard case .string(let text) = inputValue, let parsed = Input(rawValue: text) else {
                throw .malformed("'updates.input' must be \"text\" or \"slack-json\"")
            }
            input = parsed
        }
        return UpdateHook(command: command, input: input)
    }

    /// SHA-256 over the exact command and input, in hex: what a clone approves. Any change to
    /// the command (a word, an argument, the input) is a different digest, asked again.
    public var digest: String {
        let words = command.map(JSONString.quoted).joined(separator: ",")
        let input = JSONString.quoted(input.rawValue)
        let canonical = "{\"command\":[" + words + "],\"input\":" + input + "}"
        return SHA256.hex(canonical)
    }

    /// The start of ``digest`` that people type: 16 hex digits (64 bits) name one value.
    public var shortDigest: String { String(digest.prefix(16)) }

    /// The command as a person reads it: each word shell-quoted, control characters shown safely.
    public var shown: String {
        TerminalText.singleLine(ShellQuote.join(command))
    }

    /// The bytes written to the command's standard input.
    public func payload(_ text: String) -> [UInt8] {
        switch input {
        case .text:
            return Array(text.utf8)
        case .slackJSON:
            return Array(("{\"text\":" + JSONString.quoted(text) + "}\n").utf8)
        }
    }
}

/// A status update hook that is misconfigured or failed.
public enum UpdateHookError: DescribedError, Hashable, Sendable {
    case malformed(String)
    case failed(program: String, reason: String)
    /// The store's hook arrived with its shared configuration and this clone has not approved
    /// this exact value (new, or changed since it was approved).
    case notApproved(command: String, input: String, digest: String, incident: String)
    /// `--approve-hook` named a value other than the store's hook as it is now.
    case approvalMismatch(given: String, command: String, digest: String)

    public var message: String {
        switch self {
        case .malformed(let reason):
            "the store's config.json has a bad status update hook: \(reason)"
        case .notApproved(let command, let input, let digest, let incident):
            "the store's status update command is not approved on this clone: \(command) "
                + "(input \(input)). It comes from config.json, which anyone who can push to the "
                + "team's repository can change, so this clone runs it only once you approve this "
                + "exact command. If you trust it, run: irctl update \(incident) --approve-hook "
                + "\(digest) (a changed command is asked again), or use --dry-run and send the "
                + "update by hand"
        case .approvalMismatch(let given, let command, let digest):
            "--approve-hook \(given) does not name the store's status update command as it is now "
                + "(\(command), \(digest)); read the command again, then approve what it is now"
        case .failed(let program, let reason):
            "the update was not recorded: handing it to '\(program)' failed (\(reason)); fix the "
                + "hook, or use --dry-run and send it by hand"
        }
    }
}
