/// A plain aligned table that fits the terminal: the flexible column (the title) takes what is left
/// and is cut with "…"; if even that is too narrow, the least important columns go first.
struct Table {
    struct Column {
        var header: String
        /// Lower goes first when the table is too wide; nil never goes.
        var dropPriority: Int?
        var flexible = false
    }

    var columns: [Column]
    /// Plain cell text per row (already sanitised), and an optional styler per cell applied after padding.
    var rows: [[String]]
    var stylers: [[((String) -> String)?]] = []

    func render(width: Int?, style: Style) -> String {
        var visible = Array(columns.indices)
        let gap = 2
        func natural(_ c: Int) -> Int { max(displayWidth(columns[c].header), rows.map { displayWidth($0[c]) }.max() ?? 0) }
        var widths = columns.indices.map(natural)
        if let width {
            let minimumFlexible = 12
            func total() -> Int { visible.map { columns[$0].flexible ? minimumFlexible : widths[$0] }.reduce(0, +) + gap * (visible.count - 1) }
            let droppable = visible.filter { columns[$0].dropPriority != nil }.sorted { columns[$0].dropPriority! < columns[$1].dropPriority! }
            for c in droppable where total() > width { visible.removeAll { $0 == c } }
            if let flex = visible.first(where: { columns[$0].flexible }) {
                let others = visible.filter { $0 != flex }.map { widths[$0] }.reduce(0, +) + gap * (visible.count - 1)
                widths[flex] = max(minimumFlexible, min(widths[flex], width - others))
            }
        }
        var out = ""
        let header = visible.enumerated().map { i, c in
            i == visible.count - 1 ? columns[c].header : pad(columns[c].header, to: widths[c])
        }.joined(separator: "  ")
        out += style.bold(header) + "\n"
        for (r, row) in rows.enumerated() {
            var cells: [String] = []
            for (i, c) in visible.enumerated() {
                var cell = truncate(row[c], to: widths[c])
                if i != visible.count - 1 { cell = pad(cell, to: widths[c]) }
                if r < stylers.count, let styler = stylers[r][c] {
                    // Style only the text, not the padding, so colour codes never count as width.
                    let trimmedCount = cell.count - String(cell.reversed().prefix(while: { $0 == " " })).count
                    let body = String(cell.prefix(trimmedCount))
                    cell = styler(body) + String(repeating: " ", count: cell.count - trimmedCount)
                }
                cells.append(cell)
            }
            out += cells.joined(separator: "  ") + "\n"
        }
        return out
    }
}
