import Foundation

// The reader that finds one number's incident without parsing the other records.
extension SummaryIndex {
    /// The one incident whose latest record claims `number`, found without parsing the other
    /// records (a command on one incident must not cost more with more incidents): each line is
    /// looked at only up to its claim. Nil when no record or more than one incident claims it, or
    /// when its record names format-1 sources: the full look decides those.
    static func soleClaimant(of number: Int, in bytes: [UInt8]) -> String? {
        let headerBytes = Array(header.utf8)
        guard bytes.count >= headerBytes.count, Array(bytes[0..<headerBytes.count]) == headerBytes
        else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> String? in
            let base = buffer.baseAddress!
            func tab(_ from: Int, _ end: Int) -> Int? {
                memchr(base + from, 0x09, end - from).map {
                    UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base
                }
            }
            // The uids whose latest line claims the number, with that line's sources.
            var candidates: [(uid: Range<Int>, sources: Range<Int>)] = []
            var start = headerBytes.count
            while start < buffer.count {
                // a torn last line
                guard let found = memchr(base + start, 0x0A, buffer.count - start) else { break }
                let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                defer { start = end + 1 }
                guard end - start > 2, buffer[start] == UInt8(ascii: "R"),
                    buffer[start + 1] == 0x09,
                    let t1 = tab(start + 2, end)
                else { continue }
                let uid = (start + 2)..<t1
                let claims: Bool
                if let t2 = tab(t1 + 1, end), let t3 = tab(t2 + 1, end), let t4 = tab(t3 + 1, end),
                    integer(UnsafeBufferPointer(rebasing: buffer[(t3 + 1)..<t4])) == Int64(number)
                {
                    // A line `parseHead` refuses is no record.
                    guard parseHead(UnsafeBufferPointer(rebasing: buffer[start..<end])) != nil
                    else { continue }
                    claims = true
                    candidates.removeAll {
                        $0.uid.count == uid.count
                            && memcmp(base + $0.uid.lowerBound, base + uid.lowerBound, uid.count)
                                == 0
                    }
                    candidates.append((uid, (t1 + 1)..<t2))
                } else {
                    claims = false
                }
                // A later record of a candidate that claims another number (it was renumbered)
                // wins.
                func same(_ c: (uid: Range<Int>, sources: Range<Int>)) -> Bool {
                    c.uid.count == uid.count
                        && memcmp(base + c.uid.lowerBound, base + uid.lowerBound, uid.count) == 0
                }
                if !claims, candidates.contains(where: same),
                    parseHead(UnsafeBufferPointer(rebasing: buffer[start..<end])) != nil
                {
                    candidates.removeAll(where: same)
                }
            }
            guard candidates.count == 1, directoryIdentity(buffer, candidates[0].sources) != nil
            else { return nil }
            let uid = String(
                decoding: UnsafeBufferPointer(rebasing: buffer[candidates[0].uid]), as: UTF8.self)
            return uid.utf8.contains(0x5C) ? unescape(uid) : uid
        }
    }
}
