/// The shared secret a client must send as `Authorization: Bearer <token>`. Compared in
/// constant time: the digests of what was sent and of the token are compared whole, so the
/// time taken says nothing about how much of a guess was right.
public struct BearerToken: Sendable {
    private let digest: [UInt8]

    public init(_ token: String) {
        digest = SHA256.digest(Array(token.utf8))
    }

    /// True when the header carries exactly this token (the scheme name in any case).
    public func accepts(authorization header: String?) -> Bool {
        guard let header else { return false }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return false }
        let sent = SHA256.digest(
            Array(trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8))
        var difference: UInt8 = 0
        for (a, b) in zip(sent, digest) { difference |= a ^ b }
        return difference == 0
    }
}
