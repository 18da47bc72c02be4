import Foundation
import Glibc

/// One immutable file of the search index: documents, a sorted term dictionary, postings with
/// word positions (for phrases), the stored documents (for hits and snippets), and the earlier
/// segment's documents this one replaces. Read through `mmap`, so a query touches the pages of
/// the words it asks for, not the whole file. Every offset is checked: a torn or foreign file
/// reads as no segment, and the index is made again.
final class SearchSegment {
    static let magic: [UInt8] = Array("irsrch\u{0}\u{2}".utf8)
    static let headerSize = 96
    static let docSize = 40
    static let uidSize = 16
    static let termSize = 24

    private let base: UnsafeRawPointer
    let size: Int
    private let release: () -> Void

    let docCount: Int
    let termCount: Int
    let totalLength: UInt64
    private let docs: Int, uids: Int, terms: Int, termBytes: Int, postings: Int, stored: Int
    private let maskedAt: Int, maskedCount: Int

    deinit { release() }

    /// The segment in `bytes` (kept alive by the segment).
    convenience init?(bytes: [UInt8]) {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        self.init(base: UnsafeRawPointer(pointer), size: bytes.count) { pointer.deallocate() }
    }

    /// The segment in the file at `path`, mapped; nil when it is missing or not a segment.
    convenience init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size >= Self.headerSize,
            let mapped = mmap(nil, Int(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0),
            mapped != MAP_FAILED
        else { return nil }
        let size = Int(st.st_size)
        self.init(base: UnsafeRawPointer(mapped), size: size) { munmap(mapped, size) }
    }

    private init?(base: UnsafeRawPointer, size: Int, release: @escaping () -> Void) {
        func u32(_ at: Int) -> Int {
            Int(base.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
        }
        func u64(_ at: Int) -> Int {
            Int(
                truncatingIfNeeded: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                    .littleEndian)
        }
        // Checked before anything is kept: a segment that fails here is released here, once.
        guard size >= Self.headerSize,
            Self.magic.indices.allSatisfy({
                base.load(fromByteOffset: $0, as: UInt8.self) == Self.magic[$0]
            })
        else {
            release()
            return nil
        }
        let docCount = u32(8)
        let termCount = u32(12)
        let docs = u64(24)
        let uids = u64(32)
        let terms = u64(40)
        let termBytes = u64(48)
        let postings = u64(56)
        let stored = u64(64)
        let maskedAt = u64(72)
        let maskedCount = u32(80)
        guard u64(88) == size, docs == Self.headerSize, uids == docs + docCount * Self.docSize,
            terms == uids + docCount * Self.uidSize, termBytes == terms + termCount * Self.termSize,
            termBytes <= postings, postings <= stored, stored <= maskedAt,
            maskedAt + maskedCount * 4 == size
        else {
            release()
            return nil
        }
        self.base = base
        self.size = size
        self.release = release
        self.docCount = docCount
        self.termCount = termCount
        totalLength = UInt64(truncatingIfNeeded: u64(16))
        (self.docs, self.uids, self.terms, self.termBytes) = (docs, uids, terms, termBytes)
        (self.postings, self.stored, self.maskedAt, self.maskedCount) = (
            postings, stored, maskedAt, maskedCount
        )
    }

    // MARK: Documents

    private func u32(_ at: Int) -> UInt32 {
        base.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian
    }
    private func u64(_ at: Int) -> UInt64 {
        base.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian
    }

    func signature(_ doc: Int) -> UInt64 { u64(docs + doc * Self.docSize) }
    func uidHash(_ doc: Int) -> UInt64 { u64(docs + doc * Self.docSize + 8) }
    func date(_ doc: Int) -> Int64 { Int64(bitPattern: u64(docs + doc * Self.docSize + 16)) }
    func length(_ doc: Int) -> UInt32 { u32(docs + doc * Self.docSize + 24) }
    func number(_ doc: Int) -> Int { Int(u32(docs + doc * Self.docSize + 28)) }
    private func storedAt(_ doc: Int) -> Int {
        Int(truncatingIfNeeded: u64(docs + doc * Self.docSize + 32))
    }

    /// The documents of the segment before this one that this one replaces or removes.
    var masked: [Int] { (0..<maskedCount).map { Int(u32(maskedAt + $0 * 4)) } }

    /// The document with this uid's hash, by binary search of the sorted uid table.
    func doc(uidHash hash: UInt64) -> Int? {
        var low = 0
        var high = docCount
        while low < high {
            let mid = (low + high) / 2
            if u64(uids + mid * Self.uidSize) < hash { low = mid + 1 } else { high = mid }
        }
        guard low < docCount, u64(uids + low * Self.uidSize) == hash else { return nil }
        let doc = Int(u32(uids + low * Self.uidSize + 8))
        return doc < docCount ? doc : nil
    }

    /// The stored document; nil when its bytes are damaged.
    func document(_ doc: Int) -> SearchDocument? {
        var reader = ByteReader(base: base, at: storedAt(doc), end: maskedAt)
        guard reader.at >= stored, let uid = reader.string(), let severity = reader.string(),
            let phase = reader.string(), let title = reader.string(),
            let rootCause = reader.string(), let resolution = reader.string(),
            let serviceCount = reader.varint(), serviceCount < 10_000
        else { return nil }
        var services: [String] = []
        for _ in 0..<serviceCount {
            guard let s = reader.string() else { return nil }
            services.append(s)
        }
        guard let tagCount = reader.varint(), tagCount < 10_000 else { return nil }
        var tags: [String] = []
        for _ in 0..<tagCount {
            guard let s = reader.string() else { return nil }
            tags.append(s)
        }
        guard let textCount = reader.varint(), textCount < 1_000_000 else { return nil }
        var texts: [SearchDocument.Text] = []
        for _ in 0..<textCount {
            guard let raw = reader.byte(), let source = SearchDocument.Source(rawValue: raw),
                let label = reader.string(), let text = reader.string()
            else { return nil }
            texts.append(.init(source: source, label: label, text: text))
        }
        return SearchDocument(
            uid: uid, number: number(doc), signature: signature(doc),
            severity: severity, phase: phase,
            date: Date(timeIntervalSince1970: Double(date(doc))), title: title,
            services: services, tags: tags,
            rootCause: rootCause.isEmpty ? nil : rootCause,
            resolution: resolution.isEmpty ? nil : resolution, texts: texts)
    }

    // MARK: Terms

    private func termRange(_ t: Int) -> (offset: Int, count: Int)? {
        let at = terms + t * Self.termSize
        let offset = termBytes + Int(u32(at))
        let count = Int(u32(at + 4))
        guard offset + count <= postings else { return nil }
        return (offset, count)
    }

    func term(_ t: Int) -> String {
        guard let (offset, count) = termRange(t) else { return "" }
        return String(
            decoding: UnsafeRawBufferPointer(start: base + offset, count: count), as: UTF8.self)
    }

    func documentFrequency(_ t: Int) -> Int { Int(u32(terms + t * Self.termSize + 8)) }

    /// -1, 0, 1 as term `t` sorts before, equal to, or after `key`.
    private func compare(_ t: Int, _ key: UnsafeRawBufferPointer, prefixOnly: Bool = false) -> Int {
        guard let (offset, count) = termRange(t) else { return -1 }
        let n = prefixOnly ? min(count, key.count) : count
        let common = min(n, key.count)
        if common > 0 {
            let c = memcmp(base + offset, key.baseAddress!, common)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        if prefixOnly { return count < key.count ? -1 : 0 }
        return n == key.count ? 0 : (n < key.count ? -1 : 1)
    }

    /// The first term not sorting before `key`.
    private func lowerBound(_ key: UnsafeRawBufferPointer) -> Int {
        var low = 0
        var high = termCount
        while low < high {
            let mid = (low + high) / 2
            if compare(mid, key) < 0 { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func find(_ term: String) -> Int? {
        var term = term
        return term.withUTF8 { buffer -> Int? in
            let key = UnsafeRawBufferPointer(buffer)
            guard !key.isEmpty else { return nil }
            let i = lowerBound(key)
            return i < termCount && compare(i, key) == 0 ? i : nil
        }
    }

    /// Terms starting with `prefix`, at most `limit` of them.
    func terms(prefix: String, limit: Int) -> [Int] {
        var prefix = prefix
        return prefix.withUTF8 { buffer -> [Int] in
            let key = UnsafeRawBufferPointer(buffer)
            guard !key.isEmpty else { return [] }
            var i = lowerBound(key)
            var result: [Int] = []
            while i < termCount, result.count < limit, compare(i, key, prefixOnly: true) == 0 {
                result.append(i)
                i += 1
            }
            return result
        }
    }

    /// Each document the term occurs in, with its weighted count and (when asked) its word
    /// positions, in increasing document order; `want` (when given) is asked first, and a
    /// document it declines is skipped without its positions decoded. Stops at damaged bytes.
    func postings(
        _ t: Int, positions wanted: Bool, want: ((Int) -> Bool)? = nil,
        visit body: (_ doc: Int, _ tf: UInt32, _ positions: [UInt32]) -> Void
    ) {
        let start = Int(truncatingIfNeeded: u64(terms + t * Self.termSize + 16))
        let end =
            t + 1 < termCount
            ? Int(truncatingIfNeeded: u64(terms + (t + 1) * Self.termSize + 16)) : stored
        guard postings <= start, start <= end, end <= stored else { return }
        var reader = ByteReader(base: base, at: start, end: end)
        var doc = -1
        var positions: [UInt32] = []
        while reader.at < end {
            guard let delta = reader.varint(), let tf = reader.varint(),
                let count = reader.varint(),
                count <= end - reader.at
            else { return }
            doc += delta + (doc < 0 ? 1 : 0)
            guard doc < docCount else { return }
            let taken = want?(doc) ?? true
            positions.removeAll(keepingCapacity: true)
            var position = 0
            for _ in 0..<count {
                guard let step = reader.varint() else { return }
                position &+= step
                if wanted && taken { positions.append(UInt32(truncatingIfNeeded: position)) }
            }
            if taken { body(doc, UInt32(truncatingIfNeeded: tf), positions) }
        }
    }
}

/// Reads varints and length-prefixed strings, never past `end`.
struct ByteReader {
    let base: UnsafeRawPointer
    var at: Int
    let end: Int

    mutating func byte() -> UInt8? {
        guard at < end else { return nil }
        defer { at += 1 }
        return base.load(fromByteOffset: at, as: UInt8.self)
    }

    mutating func varint() -> Int? {
        var value = 0
        var shift = 0
        // At most 8 bytes (56 bits): never negative, never overflowing a sum of a few.
        while shift < 56 {
            guard let b = byte() else { return nil }
            value |= Int(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    mutating func string() -> String? {
        guard let count = varint(), count <= end - at else { return nil }
        defer { at += count }
        return String(
            decoding: UnsafeRawBufferPointer(start: base + at, count: count), as: UTF8.self)
    }
}

/// Appends varints and little-endian integers.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: Int) {
        var v = UInt(value)
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func string(_ text: String) {
        varint(text.utf8.count)
        bytes += text.utf8
    }

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
}

/// FNV-1a, 64 bits: uids and cache records, for comparing, never for security.
func searchHash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return hash
}
