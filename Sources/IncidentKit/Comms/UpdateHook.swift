import Foundation

/// The optional command a store hands each status update to (`config.json` → `updates`), for
/// example `curl` posting to a chat webhook:
///
///     "updates": { "command": ["curl", "-sS", "--fail", "-K", "/home/alice/.config/irctl/chat.curlrc", "--data-binary", "@-"],
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
        guard case .object(let object) = value else { throw .malformed("'updates' must be an object") }
        guard let commandValue = object["command"] else { return nil }
        guard case .array(let words) = commandValue, !words.isEmpty else {
            throw .malformed("'updates.command' must be a non-empty array of strings, e.g. [\"curl\", \"-K\", \"FILE\", \"--data-binary\", \"@-\"]")
        }
        var command: [String] = []
        for word in words {
            guard case .string(let text) = word, !text.contains("\0") else { throw .malformed("'updates.command' must hold only strings") }
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

    public var message: String {
        switch self {
        case .malformed(let reason):
            "the store's config.json has a bad status update hook: \(reason)"
        case .failed(let program, let reason):
            "the update was not recorded: handing it to '\(program)' failed (\(reason)); fix the hook, or use --dry-run and send it by hand"
        }
    }
}
