import Foundation
import IncidentKit

/// `list`'s table drawn from a `Listing`: the same table `Table` draws from summaries, made of
/// bytes. A plain cell (printable ASCII, the common case) is copied from the cache as it is;
/// only other cells are made into strings, sanitised and measured. So the rows of a listing of
/// 10,000 incidents cost little more than their bytes.
struct ListingTable {
    static let columns: [Table.Column] = [
        .init(header: "ID", dropPriority: nil),
        .init(header: "SEV", dropPriority: nil),
        .init(header: "PHASE", dropPriority: 4),
        .init(header: "AGE", dropPriority: 3),
        .init(header: "COMMANDER", dropPriority: 2),
        .init(header: "SERVICES", dropPriority: 1),
        .init(header: "TITLE", dropPriority: nil, flexible: true),
    ]

    /// One cell: where its text is in `text`, and how many columns it takes.
    private struct Cell {
        var start: Int
        var count: Int
        var width: Int
    }

    let listing: Listing
    /// The rows to draw, in order (indices into `listing.rows`).
    let order: [Int]
    /// Severity ranks by row, for colour.
    let ranks: [Int]
    let overdue: [Bool]

    func render(now: Date, width: Int?, style: Style) -> [UInt8] {
        let columnCount = Self.columns.count
        var text: [UInt8] = []
        text.reserveCapacity(order.count * 120)
        var cells: [Cell] = []
        cells.reserveCapacity(order.count * columnCount)
        var natural = Self.columns.map { displayWidth($0.header) }
        let nowSeconds = now.timeIntervalSince1970

        func add(_ string: String, column: Int) {
            let start = text.count
            text.append(contentsOf: string.utf8)
            let width = displayWidth(string)
            cells.append(Cell(start: start, count: text.count - start, width: width))
            if width > natural[column] { natural[column] = width }
        }
        /// A field from the cache: its bytes when plain, else its sanitised text.
        func add(
            field range: Range<Int>, column: Int, empty: String? = nil, prefix: String = "",
            list: Bool = false
        ) {
            if range.isEmpty, let empty {
                add(empty, column: column)
                return
            }
            if listing.isPlain(range) || (list && plainList(range)) {
                let start = text.count
                text.append(contentsOf: prefix.utf8)
                listing.bytes.withUnsafeBufferPointer { buffer in
                    text.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[range]))
                }
                // Items of a list are shown with commas between them.
                if list {
                    for i in (text.count - range.count)..<text.count where text[i] == 0x1F {
                        text[i] = UInt8(ascii: ",")
                    }
                }
                let count = text.count - start
                cells.append(Cell(start: start, count: count, width: count))
                if count > natural[column] { natural[column] = count }
                return
            }
            let value = list ? listing.items(range).joined(separator: ",") : listing.text(range)
            add(prefix + TerminalText.singleLine(value), column: column)
        }
        func plainList(_ range: Range<Int>) -> Bool {
            listing.bytes.withUnsafeBufferPointer { buffer in
                for i in range {
                    let byte = buffer[i]
                    if byte != 0x1F && (byte < 0x20 || byte >= 0x7F || byte == 0x5C) {
                        return false
                    }
                }
                return true
            }
        }

        /// ASCII made here (an id, an age, a phase): as many columns as bytes.
        func ascii(from start: Int, column: Int) {
            let count = text.count - start
            cells.append(Cell(start: start, count: count, width: count))
            if count > natural[column] { natural[column] = count }
        }
        func decimal(_ value: Int) {
            if value >= 10 { decimal(value / 10) }
            text.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
        let phaseNames = Phase.allCases.map { Array($0.rawValue.utf8) }
        let incPrefix = Array("INC-".utf8)
        let closedName = Array("closed".utf8)

        for (k, r) in order.enumerated() {
            let row = listing.rows[r]
            var start = text.count
            text.append(contentsOf: incPrefix)
            decimal(max(row.number, 0))
            ascii(from: start, column: 0)
            add(field: row.severity, column: 1)
            start = text.count
            text.append(contentsOf: phaseNames[Phase.allCases.firstIndex(of: row.phase)!])
            ascii(from: start, column: 2)
            start = text.count
            if row.isOpen {
                // As `DurationFormat.age`: one unit, floored; nothing before detection.
                let seconds = max(
                    Int(min(max(nowSeconds - Double(row.detectedAt), -1e15), 1e15)), 0)
                switch seconds {
                case ..<60:
                    decimal(seconds)
                    text.append(UInt8(ascii: "s"))
                case ..<3600:
                    decimal(seconds / 60)
                    text.append(UInt8(ascii: "m"))
                case ..<86_400:
                    decimal(seconds / 3600)
                    text.append(UInt8(ascii: "h"))
                default:
                    decimal(seconds / 86_400)
                    text.append(UInt8(ascii: "d"))
                }
            } else {
                text.append(contentsOf: closedName)
            }
            ascii(from: start, column: 3)
            add(field: row.commander, column: 4, empty: "—")
            add(field: row.services, column: 5, empty: "—", list: true)
            add(
                field: row.title, column: 6,
                prefix: (overdue[k] ? "[update overdue] " : "") + row.marker)
        }

        let (visible, widths) = Table.layout(Self.columns, natural: natural, width: width)
        var out: [UInt8] = []
        out.reserveCapacity(text.count + order.count * (columnCount * 4 + 1) + 256)
        let header = visible.enumerated().map { i, c in
            i == visible.count - 1
                ? Self.columns[c].header : pad(Self.columns[c].header, to: widths[c])
        }.joined(separator: "  ")
        out.append(contentsOf: style.bold(header).utf8)
        out.append(0x0A)
        // No colour and nothing to cut (not a terminal, or a wide one): bytes copied straight
        // into the output, one string made once.
        if !style.enabled, visible.allSatisfy({ natural[$0] <= widths[$0] }) {
            let rowBound = visible.map { widths[$0] + 2 }.reduce(1, +)
            let capacity = out.count + text.count + order.count * rowBound
            return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                let base = buffer.baseAddress!
                var n = out.count
                _ = out.withUnsafeBufferPointer { memcpy(base, $0.baseAddress!, $0.count) }
                text.withUnsafeBufferPointer { text in
                    let source = text.baseAddress!
                    for k in order.indices {
                        for (i, c) in visible.enumerated() {
                            if i > 0 {
                                base[n] = 0x20
                                base[n + 1] = 0x20
                                n += 2
                            }
                            let cell = cells[k * columnCount + c]
                            memcpy(base + n, source + cell.start, cell.count)
                            n += cell.count
                            if i != visible.count - 1, widths[c] > cell.width {
                                memset(base + n, 0x20, widths[c] - cell.width)
                                n += widths[c] - cell.width
                            }
                        }
                        base[n] = 0x0A
                        n += 1
                    }
                }
                initialized = n
            }
        }
        let spaces = [UInt8](repeating: 0x20, count: (widths.max() ?? 0) + 2)
        text.withUnsafeBufferPointer { text in
            for k in order.indices {
                for (i, c) in visible.enumerated() {
                    if i > 0 {
                        out.append(0x20)
                        out.append(0x20)
                    }
                    let cell = cells[k * columnCount + c]
                    var used = cell.width
                    let bytes = UnsafeBufferPointer(
                        rebasing: text[cell.start..<(cell.start + cell.count)])
                    if used > widths[c] || style.enabled {
                        var string = String(decoding: bytes, as: UTF8.self)
                        if used > widths[c] {
                            string = truncate(string, to: widths[c])
                            used = displayWidth(string)
                        }
                        // Style only the text, not the padding: colour codes never count as width.
                        out.append(contentsOf: styled(string, column: c, row: k, style: style).utf8)
                    } else {
                        out.append(contentsOf: bytes)
                    }
                    if i != visible.count - 1, widths[c] > used {
                        spaces.withUnsafeBufferPointer { spaces in
                            out.append(
                                contentsOf: UnsafeBufferPointer(
                                    rebasing: spaces[0..<(widths[c] - used)]))
                        }
                    }
                }
                out.append(0x0A)
            }
        }
        return out
    }

    private func styled(_ cell: String, column: Int, row k: Int, style: Style) -> String {
        guard style.enabled else { return cell }
        switch column {
        case 1: return style.severity(cell, rank: ranks[k])
        case 2: return style.phase(listing.rows[order[k]].phase)
        case 6: return overdue[k] ? style.red(cell) : cell
        default: return cell
        }
    }
}
