import Foundation

/// The one order in which an incident's entries are applied and shown: every entry after the
/// entries it had seen (its `parents` and the previous entry of its own chain), and among entries
/// that are free to go next, entries converted from format 1 first, then the earliest written
/// (`recordedAt`), then the smallest hash. Every clone with the same entries gets the same order.
enum EntryOrder {
    static func sorted(_ input: [TimelineEntry]) -> [TimelineEntry] {
        var byHash: [String: Int] = [:]
        var entries: [TimelineEntry] = []
        entries.reserveCapacity(input.count)
        for entry in input where byHash[entry.hash] == nil {
            byHash[entry.hash] = entries.count
            entries.append(entry)
        }
        let n = entries.count
        var waiting = [Int](repeating: 0, count: n)
        var followers = [[Int]](repeating: [], count: n)
        for (i, entry) in entries.enumerated() {
            for hash in predecessors(entry) {
                guard let p = byHash[hash], p != i else { continue }
                waiting[i] += 1
                followers[p].append(i)
            }
        }
        var heap = Heap { (a: Int, b: Int) in precedes(entries[a], entries[b]) }
        for i in 0..<n where waiting[i] == 0 { heap.push(i) }
        var result: [TimelineEntry] = []
        result.reserveCapacity(n)
        var placed = [Bool](repeating: false, count: n)
        while let i = heap.pop() {
            placed[i] = true
            result.append(entries[i])
            for f in followers[i] {
                waiting[f] -= 1
                if waiting[f] == 0 { heap.push(f) }
            }
        }
        // Entries in a cycle (only a hand-edited file makes one) still show, last; verify names
        // them.
        if result.count < n {
            result += (0..<n).filter { !placed[$0] }.map { entries[$0] }.sorted(by: precedes)
        }
        return result
    }

    /// The hashes an entry follows.
    static func predecessors(_ entry: TimelineEntry) -> [String] {
        entry.previous.isEmpty ? entry.parents : entry.parents + [entry.previous]
    }

    static func precedes(_ a: TimelineEntry, _ b: TimelineEntry) -> Bool {
        let ca = a.isLegacy || a.kind == .migrated
        let cb = b.isLegacy || b.kind == .migrated
        if ca != cb { return ca }
        if a.recordedAt != b.recordedAt { return a.recordedAt < b.recordedAt }
        return a.hash.utf8.lexicographicallyPrecedes(b.hash.utf8)
    }
}

/// Which applied entries had seen which: answers "did the entry at `later` see the one at
/// `earlier`?" for positions in the entry order. A timeline that is one chain (the usual case,
/// and always on a single clone) needs no table.
struct Ancestry: Hashable, Sendable {
    /// Per position, a bit set of the positions it had seen; nil while the order is one chain.
    private var seen: [[UInt64]]?
    private var count = 0

    /// Adds the entry at the next position, given the positions it follows directly.
    mutating func add(following direct: [Int]) {
        let position = count
        count += 1
        if seen == nil {
            // Still one chain if this entry follows the one just before it.
            if position == 0 || direct.contains(position - 1) { return }
            // Branching: build the table for what was a chain.
            let words = { (n: Int) in (n + 63) / 64 }
            var table: [[UInt64]] = []
            for p in 0..<position {
                var bits = [UInt64](repeating: 0, count: words(p))
                for q in 0..<p { bits[q / 64] |= 1 << UInt64(q % 64) }
                table.append(bits)
            }
            seen = table
        }
        var bits = [UInt64](repeating: 0, count: (position + 63) / 64)
        for d in direct where d < position {
            bits[d / 64] |= 1 << UInt64(d % 64)
            for (w, word) in seen![d].enumerated() { bits[w] |= word }
        }
        seen!.append(bits)
    }

    /// True when the entry at `later` had seen the entry at `earlier`. A position past the end is
    /// an entry being written now, which has seen everything.
    func saw(_ later: Int, _ earlier: Int) -> Bool {
        guard later < count, let seen else { return earlier < later }
        let bits = seen[later]
        return earlier / 64 < bits.count && bits[earlier / 64] & (1 << UInt64(earlier % 64)) != 0
    }
}

/// A binary min-heap over an ordering.
struct Heap<Element> {
    private var items: [Element] = []
    private let less: (Element, Element) -> Bool
    init(_ less: @escaping (Element, Element) -> Bool) { self.less = less }

    mutating func push(_ item: Element) {
        items.append(item)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var smallest = i
            if l < items.count, less(items[l], items[smallest]) { smallest = l }
            if r < items.count, less(items[r], items[smallest]) { smallest = r }
            if smallest == i { break }
            items.swapAt(i, smallest)
            i = smallest
        }
        return top
    }
}
