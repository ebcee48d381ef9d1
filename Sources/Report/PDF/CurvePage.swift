import Metrics

/// One page per class: Dice, sensitivity, specificity and E-measure against the threshold
/// (0..255), one line per model, a precision–recall curve, and the legend.
enum CurvePage {
    /// The threshold panels: metric, title, y-axis title.
    static let thresholdPanels: [(CurveMetric, String, String)] = [
        (.dice, "Dice", "Dice"),
        (.sensitivity, "Sensitivity", "Sen."),
        (.specificity, "Specificity", "Spec."),
        (.emeasure, "E-measure (Eφ)", "Eφ"),
    ]

    static func draw(_ canvas: Canvas, className: String?, series: [ReportSeries], data: ReportData, info: ReportInfo,
                     pageNumber: Int, footer: String) {
        let title = "Threshold curves" + (className.map { " — \($0)" } ?? "")
        let area = PageChrome.draw(canvas, page: info.pageSize, title: title, pageNumber: pageNumber, footer: footer)
        let columns = 2, rows = 3
        let gap = 10.0
        let cellWidth = (area.width - gap) / Double(columns)
        let cellHeight = (area.height - 2 * gap - 14) / Double(rows)
        func cell(_ index: Int) -> Rect {
            Rect(x: area.x + Double(index % columns) * (cellWidth + gap), y: area.y + Double(index / columns) * (cellHeight + gap),
                 width: cellWidth, height: cellHeight)
        }
        let thresholdAxis = PlotAxis(lower: 0, upper: 255, step: 50)
        let colors = series.map { item in info.palette.color(at: data.modelNames.firstIndex(of: item.model) ?? 0) }
        for (index, (metric, panelTitle, yTitle)) in thresholdPanels.enumerated() {
            let yAxis = PlotAxis.unitOrMore(series.flatMap { $0.curves[metric] ?? [] })
            let panel = PlotPanel(area: cell(index), xAxis: thresholdAxis, yAxis: yAxis)
            panel.drawFrame(canvas, title: panelTitle, xTitle: "threshold (0–255)", yTitle: yTitle)
            canvas.clipped(to: panel.frame) {
                for (item, color) in zip(series, colors) {
                    let values = item.curves[metric] ?? []
                    let points = values.indices.map { k in
                        panel.point(k < data.thresholds.count ? data.thresholds[k] * 255 : Double(255 - k), values[k])
                    }
                    canvas.polyline(points, color: color, width: 1.1)
                }
            }
        }
        let unit = PlotAxis(lower: 0, upper: 1, step: 0.2)
        let pr = PlotPanel(area: cell(4), xAxis: unit, yAxis: unit)
        pr.drawFrame(canvas, title: "Precision–recall", xTitle: "recall (sensitivity)", yTitle: "precision")
        canvas.clipped(to: pr.frame) {
            for (item, color) in zip(series, colors) {
                let recall = item.curves[.sensitivity] ?? [], precision = item.curves[.precision] ?? []
                canvas.polyline(zip(recall, precision).map { pr.point($0, $1) }, color: color, width: 1.1)
            }
        }
        drawLegend(canvas, area: cell(5), series: series, colors: colors)
        canvas.text("One line per model: per-threshold scores averaged over images (the curves behind the tables); threshold k means prediction ≥ k/255 after min-max normalisation.",
                    x: area.x, y: area.maxY - 2, size: Style.tinySize, color: Style.muted)
    }

    static func drawLegend(_ canvas: Canvas, area: Rect, series: [ReportSeries], colors: [RGBColor]) {
        var y = area.y + PlotPanel.topInset + 4
        let x = area.x + PlotPanel.leftInset
        canvas.text("Models", x: x, y: y, size: Style.bodySize, bold: true)
        for (item, color) in zip(series, colors) {
            y += 14
            canvas.line(from: (x, y - 3), to: (x + 22, y - 3), color: color, width: 2)
            let name = item.images.isEmpty ? item.model + " (no images)" : item.model
            canvas.text(canvas.fitted(name, width: area.width - PlotPanel.leftInset - 30, size: Style.bodySize),
                        x: x + 28, y: y, size: Style.bodySize)
        }
    }
}
