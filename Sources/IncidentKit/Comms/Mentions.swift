/// Chat mentions that reach a whole channel (`@channel`, `@here`, `@all`, `@everyone`) and
/// markdown links or images (`[text](url)`, `![](url)`) in stored text, made inert in a status
/// update: an incident's title or summary comes from whoever can push to the store, and must not
/// page every reader of the channel or pull in a tracking image.
///
/// A word joiner (U+2060, invisible) goes after the `@` of a broadcast mention, between `]` and
/// `(` of a link, and between `!` and `[` of an image: the text reads the same, and no chat or
/// markdown renderer sees the syntax. Slack's own `<!channel>` form is escaped with `<` anyway.
public enum Mentions {
    public static let joiner: Character = "\u{2060}"
    /// The mentions that notify everyone in a channel, in Slack, Mattermost, Teams, Discord, Zulip.
    static let broadcast: Set<String> = ["channel", "here", "all", "everyone", "group", "room"]

    static func neutralized(_ text: String) -> String {
        let characters = Array(text)
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for (i, character) in characters.enumerated() {
            out.append(character)
            let next = i + 1 < characters.count ? characters[i + 1] : nil
            if character == "]", next == "(" { out.append(joiner) }
            if character == "!", next == "[" { out.append(joiner) }
            if character == "@", i == 0 || !isWordCharacter(characters[i - 1]),
                isBroadcast(characters[(i + 1)...])
            {
                out.append(joiner)
            }
        }
        return out
    }

    /// Whether `rest` starts with a broadcast word that ends there (`@channel,` but not
    /// `@channel-ops`, a group of its own).
    private static func isBroadcast(_ rest: ArraySlice<Character>) -> Bool {
        let word = rest.prefix { $0.isLetter }
        guard broadcast.contains(String(word).lowercased()) else { return false }
        guard let after = rest.dropFirst(word.count).first else { return true }
        return !isWordCharacter(after) && after != "-"
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "."
    }
}
