import Foundation

extension SearchSegment {
    /// Words of one text are this far from the next text's, so a phrase never spans two.
    static let textGap: UInt32 = 16

    /// The bytes of a segment holding `documents`, replacing `masked` documents of the segment
    /// before it.
    static func build(_ documents: [SearchDocument], masked: [Int] = []) -> [UInt8] {
        struct Posting {
            var doc: Int
            var tf: UInt32
            var positions: [UInt32]
        }
        var termIDs: [String: Int] = [:]
        var lists: [[Posting]] = []
        var lengths: [UInt32] = []
        var total: UInt64 = 0
        for (d, document) in documents.enumerated() {
            var local: [Int: Posting] = [:]
            var position: UInt32 = 0
            var length: UInt32 = 0
            for text in document.texts {
                for token in SearchTokenizer.tokens(text.text) {
                    let id =
                        termIDs[token.term]
                        ?? {
                            termIDs[token.term] = lists.count
                            lists.append([])
                            return lists.count - 1
                        }()
                    local[id, default: Posting(doc: d, tf: 0, positions: [])].tf +=
                        text.source.weight
                    local[id]!.positions.append(position)
                    position &+= 1
                    length &+= text.source.weight
                }
                position &+= textGap
            }
            for term in Set(document.fieldTerms) {
                let id =
                    termIDs[term]
                    ?? {
                        termIDs[term] = lists.count
                        lists.append([])
                        return lists.count - 1
                    }()
                local[id] = Posting(doc: d, tf: 0, positions: [])
            }
            for (id, posting) in local { lists[id].append(posting) }
            lengths.append(max(length, 1))
            total += UInt64(max(length, 1))
        }
        let sortedTerms = termIDs.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        var termBytes = ByteWriter()
        var postingBytes = ByteWriter()
        var termTable: [(offset: Int, length: Int, df: Int, postings: Int)] = []
        for term in sortedTerms {
            let list = lists[termIDs[term]!]
            termTable.append(
                (termBytes.bytes.count, term.utf8.count, list.count, postingBytes.bytes.count))
            termBytes.bytes += term.utf8
            var previous = -1
            for posting in list {
                postingBytes.varint(previous < 0 ? posting.doc : posting.doc - previous)
                previous = posting.doc
                postingBytes.varint(Int(posting.tf))
                postingBytes.varint(posting.positions.count)
                var last: UInt32 = 0
                for p in posting.positions {
                    postingBytes.varint(Int(p - last))
                    last = p
                }
            }
        }
        var storedBytes = ByteWriter()
        var storedOffsets: [Int] = []
        for document in documents {
            storedOffsets.append(storedBytes.bytes.count)
            storedBytes.string(document.uid)
            storedBytes.string(document.severity)
            storedBytes.string(document.phase)
            storedBytes.string(document.title)
            storedBytes.string(document.rootCause ?? "")
            storedBytes.string(document.resolution ?? "")
            storedBytes.varint(document.services.count)
            for s in document.services { storedBytes.string(s) }
            storedBytes.varint(document.tags.count)
            for s in document.tags { storedBytes.string(s) }
            storedBytes.varint(document.texts.count)
            for text in document.texts {
                storedBytes.bytes.append(text.source.rawValue)
                storedBytes.string(text.label)
                storedBytes.string(text.text)
            }
        }

        let docsAt = headerSize
        let uidsAt = docsAt + documents.count * docSize
        let termsAt = uidsAt + documents.count * uidSize
        let termBytesAt = termsAt + sortedTerms.count * termSize
        let postingsAt = termBytesAt + termBytes.bytes.count
        let storedAt = postingsAt + postingBytes.bytes.count
        let maskedAt = storedAt + storedBytes.bytes.count
        let end = maskedAt + masked.count * 4

        var out = ByteWriter()
        out.bytes.reserveCapacity(end)
        out.bytes += magic
        out.u32(UInt32(documents.count))
        out.u32(UInt32(sortedTerms.count))
        out.u64(total)
        for offset in [docsAt, uidsAt, termsAt, termBytesAt, postingsAt, storedAt, maskedAt] {
            out.u64(UInt64(offset))
        }
        out.u32(UInt32(masked.count))
        out.u32(0)
        out.u64(UInt64(end))
        for (d, document) in documents.enumerated() {
            out.u64(document.signature)
            out.u64(searchHash(document.uid.utf8))
            out.u64(UInt64(bitPattern: Int64(document.date.timeIntervalSince1970)))
            out.u32(lengths[d])
            out.u32(UInt32(clamping: document.number))
            out.u64(UInt64(storedAt + storedOffsets[d]))
        }
        let byHash = documents.indices.map { (searchHash(documents[$0].uid.utf8), $0) }.sorted {
            $0.0 < $1.0
        }
        for (hash, d) in byHash {
            out.u64(hash)
            out.u32(UInt32(d))
            out.u32(0)
        }
        for entry in termTable {
            out.u32(UInt32(entry.offset))
            out.u32(UInt32(entry.length))
            out.u32(UInt32(entry.df))
            out.u32(0)
            out.u64(UInt64(postingsAt + entry.postings))
        }
        out.bytes += termBytes.bytes
        out.bytes += postingBytes.bytes
        out.bytes += storedBytes.bytes
        for m in masked { out.u32(UInt32(m)) }
        return out.bytes
    }
}
