import Foundation
import Evaluation
import Metrics

/// The paper's table: one row per model, one column per chosen metric, grouped by class.
///
/// Models of one class scored on different numbers of images are not comparable: every rendering
/// then shows each row's count beside its model (`Net (n=2)`), except the CSV, whose columns
/// stay fixed.
public struct ResultTable: Sendable {
    public struct Row: Sendable {
        public var model: String
        /// The images the model was scored on.
        public var images: Int
        public var values: [Double?]

        public init(model: String, images: Int, values: [Double?]) {
            self.model = model
            self.images = images
            self.values = values
        }
    }

    public struct Group: Sendable {
        /// nil for single-class evaluation.
        public var className: String?
        public var rows: [Row]

        public init(className: String?, rows: [Row]) {
            self.className = className
            self.rows = rows
        }

        /// Whether the rows were scored on different numbers of images.
        public var countsDiffer: Bool { Set(rows.map(\.images)).count > 1 }

        /// The model as a table shows it: with its image count when the counts differ.
        public func label(_ row: Row) -> String {
            countsDiffer ? "\(row.model) (n=\(row.images))" : row.model
        }
    }

    public var metrics: [SummaryMetric]
    public var groups: [Group]

    public init(results: [ModelResult], metrics: [SummaryMetric]) {
        self.metrics = metrics
        var groups: [Group] = []
        for result in results {
            let row = Row(model: result.model, images: result.imageCount, values: metrics.map { $0.value(in: result.summary) })
            if let index = groups.firstIndex(where: { $0.className == result.className }) {
                groups[index].rows.append(row)
            } else {
                groups.append(Group(className: result.className, rows: [row]))
            }
        }
        self.groups = groups
    }

    /// Row indices holding the best value of each column in a group (ties: all of them), compared
    /// at the printed precision so that bold marks what the reader sees.
    public func bestRows(in group: Group, decimals: Int) -> [Set<Int>] {
        metrics.enumerated().map { column, metric in
            let printed: [(Int, Double)] = group.rows.enumerated().compactMap { index, row in
                guard let value = row.values[column], value.isFinite else { return nil }
                return (index, Double(NumberFormat.fixed(value, decimals: decimals)) ?? value)
            }
            guard group.rows.count > 1,
                  let best = metric.higherIsBetter ? printed.map(\.1).max() : printed.map(\.1).min() else { return [] }
            return Set(printed.filter { $0.1 == best }.map(\.0))
        }
    }

    // MARK: - Renderings

    /// Aligned plain text, like the paper's table.
    public func text(decimals: Int = 3) -> String {
        var lines: [String] = []
        for group in groups {
            if let className = group.className {
                if !lines.isEmpty { lines.append("") }
                lines.append(className)
            }
            let headers = ["Model"] + metrics.map(\.header)
            let cells = group.rows.map { [group.label($0)] + $0.values.map { NumberFormat.fixed($0, decimals: decimals) } }
            let widths = headers.indices.map { column in
                ([headers[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0
            }
            func line(_ row: [String]) -> String {
                row.enumerated().map { column, cell in
                    column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[column] - cell.count) + cell
                }.joined(separator: "  ")
            }
            lines.append(line(headers))
            lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            lines += cells.map(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// GitHub Markdown, best value per column in bold.
    public func markdown(decimals: Int = 3) -> String {
        var lines: [String] = []
        for group in groups {
            if let className = group.className {
                if !lines.isEmpty { lines.append("") }
                lines.append("**\(className)**")
                lines.append("")
            }
            let best = bestRows(in: group, decimals: decimals)
            lines.append("| Model | " + metrics.map(\.header).joined(separator: " | ") + " |")
            lines.append("|---|" + metrics.map { _ in "---:" }.joined(separator: "|") + "|")
            for (index, row) in group.rows.enumerated() {
                let cells = row.values.enumerated().map { column, value in
                    let text = NumberFormat.fixed(value, decimals: decimals)
                    return best[column].contains(index) ? "**\(text)**" : text
                }
                lines.append("| \(markdownEscaped(group.label(row))) | " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A LaTeX `tabular` (booktabs), best value per column in bold.
    public func latex(decimals: Int = 3) -> String {
        var lines: [String] = []
        lines.append("\\begin{tabular}{l" + String(repeating: "c", count: metrics.count) + "}")
        lines.append("\\toprule")
        lines.append("Model & " + metrics.map(\.latexHeader).joined(separator: " & ") + " \\\\")
        for group in groups {
            lines.append("\\midrule")
            if let className = group.className {
                lines.append("\\multicolumn{\(metrics.count + 1)}{l}{\\textit{\(latexEscaped(className))}} \\\\")
            }
            let best = bestRows(in: group, decimals: decimals)
            for (index, row) in group.rows.enumerated() {
                let cells = row.values.enumerated().map { column, value in
                    let text = NumberFormat.fixed(value, decimals: decimals)
                    return best[column].contains(index) ? "\\textbf{\(text)}" : text
                }
                lines.append(latexEscaped(group.label(row)) + " & " + cells.joined(separator: " & ") + " \\\\")
            }
        }
        lines.append("\\bottomrule")
        lines.append("\\end{tabular}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV with the exact values (shortest round-trip decimals). Its columns stay fixed (model,
    /// class, one per metric) whatever the counts; each model's images are in `summary.json`.
    public func csv() -> String {
        var lines = [(["model", "class"] + metrics.map(\.key)).map(CSV.field).joined(separator: ",")]
        for group in groups {
            for row in group.rows {
                let cells = [row.model, group.className ?? ""] + row.values.map { $0.map(NumberFormat.exact) ?? "" }
                lines.append(cells.map(CSV.field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func markdownEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "*", with: "\\*")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    private func latexEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": result += "\\\(character)"
            case "~": result += "\\textasciitilde{}"
            case "^": result += "\\textasciicircum{}"
            default: result.append(character)
            }
        }
        return result
    }
}

/// RFC 4180 quoting.
public enum CSV {
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
