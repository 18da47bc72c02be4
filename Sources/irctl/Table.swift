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
    /// Plain cell text per row (already sanitised), and an optional styler per cell applied after
    /// padding.
    var rows: [[String]]
    var stylers: [[((String) -> String)?]] = []

    func render(width: Int?, style: Style) -> String {
        // Each cell's width is measured once: at 10,000 rows, measuring is most of the work.
        let cellWidths = rows.map { $0.map(displayWidth) }
        let natural = columns.indices.map { c in
            max(displayWidth(columns[c].header), cellWidths.map { $0[c] }.max() ?? 0)
        }
        let (visible, widths) = Self.layout(columns, natural: natural, width: width)
        var out = ""
        let header = visible.enumerated().map { i, c in
            i == visible.count - 1 ? columns[c].header : pad(columns[c].header, to: widths[c])
        }.joined(separator: "  ")
        out += style.bold(header) + "\n"
        for (r, row) in rows.enumerated() {
            var cells: [String] = []
            for (i, c) in visible.enumerated() {
                var cell = row[c]
                var used = cellWidths[r][c]
                if used > widths[c] {
                    cell = truncate(cell, to: widths[c])
                    used = displayWidth(cell)
                }
                let padding = i != visible.count - 1 ? max(0, widths[c] - used) : 0
                if r < stylers.count, let styler = stylers[r][c] {
                    // Style only the text, not the padding, so colour codes never count as width.
                    cell = styler(cell)
                }
                cells.append(padding > 0 ? cell + String(repeating: " ", count: padding) : cell)
            }
            out += cells.joined(separator: "  ") + "\n"
        }
        return out
    }

    /// Which columns show and how wide each is, from the widest cell of each (`natural`, header
    /// included) and the terminal's width (nil: not a terminal, nothing is cut).
    static func layout(
        _ columns: [Column], natural: [Int], width: Int?
    ) -> (visible: [Int], widths: [Int]) {
        var visible = Array(columns.indices)
        let gap = 2
        var widths = natural
        if let width, let flex = columns.indices.first(where: { columns[$0].flexible }) {
            let minimumFlexible = 12
            // The title gets room first: columns go, least important first, until it has a fair
            // share of the line (or all it needs), so a wider terminal never shows less of it.
            let wanted = min(widths[flex], max(minimumFlexible, width * 2 / 5))
            func room() -> Int {
                width - visible.filter { $0 != flex }.map { widths[$0] }.reduce(0, +) - gap
                    * (visible.count - 1)
            }
            let droppable = visible.filter { columns[$0].dropPriority != nil }
                .sorted { columns[$0].dropPriority! < columns[$1].dropPriority! }
            for c in droppable where room() < wanted { visible.removeAll { $0 == c } }
            // When columns had to go, the title gets its fair share and no more, so that one
            // column more on a wider terminal never leaves the title shorter than before.
            let dropped = visible.count < columns.count
            widths[flex] = max(minimumFlexible, min(dropped ? wanted : widths[flex], room()))
        } else if let width {
            func total() -> Int {
                visible.map { widths[$0] }.reduce(0, +) + gap * (visible.count - 1)
            }
            let droppable = visible.filter { columns[$0].dropPriority != nil }
                .sorted { columns[$0].dropPriority! < columns[$1].dropPriority! }
            for c in droppable where total() > width { visible.removeAll { $0 == c } }
        }
        return (visible, widths)
    }
}
