/// One page per class: box plots of the per-image Dice and of the per-image S-measure, one box
/// per model; with `--distances`, a second page of per-image HD95 and NSD.
enum BoxPlotPage {
    static func draw(_ canvas: Canvas, className: String?, series: [ReportSeries], data: ReportData, info: ReportInfo,
                     pageNumber: Int, footer: String) {
        drawPanels(canvas, title: "Per-image scores" + (className.map { " — \($0)" } ?? ""), series: series, data: data, info: info,
                   pageNumber: pageNumber, footer: footer, panels: [
                       ("Per-image Dice (each image's mean Dice over the 256 thresholds)", "Dice", { $0.meanDice }),
                       ("Per-image S-measure (Sα)", "Sα", { $0.sMeasure }),
                   ], undefinedWords: "Undefined values left out")
    }

    /// A run with `--distances`: each image's HD95 and NSD (the convention in summary.json).
    static func drawDistances(_ canvas: Canvas, className: String?, series: [ReportSeries], data: ReportData, info: ReportInfo,
                              pageNumber: Int, footer: String) {
        drawPanels(canvas, title: "Per-image distances" + (className.map { " — \($0)" } ?? ""), series: series, data: data, info: info,
                   pageNumber: pageNumber, footer: footer, panels: [
                       ("Per-image HD95 (mm, or pixels without --spacing)", "HD95", { $0.hd95 ?? .nan }),
                       ("Per-image NSD", "NSD", { $0.nsd ?? .nan }),
                   ], undefinedWords: "Null values (empty masks, or not defined by the convention) left out")
    }

    static func drawPanels(_ canvas: Canvas, title: String, series: [ReportSeries], data: ReportData, info: ReportInfo, pageNumber: Int,
                           footer: String, panels: [(String, String, (ReportImageScore) -> Double)], undefinedWords: String) {
        let area = PageChrome.draw(canvas, page: info.pageSize, title: title, pageNumber: pageNumber, footer: footer)
        let gap = 16.0
        let noteHeight = 24.0
        let panelHeight = (area.height - gap - noteHeight) / 2
        let colors = series.map { item in info.palette.color(at: data.modelNames.firstIndex(of: item.model) ?? 0) }
        var undefined: [String] = []
        for (index, (panelTitle, yTitle, value)) in panels.enumerated() {
            let rect = Rect(x: area.x, y: area.y + Double(index) * (panelHeight + gap), width: area.width, height: panelHeight)
            let values = series.map { $0.images.map(value) }
            let yAxis = PlotAxis.unitOrMore(values.flatMap { $0 })
            let xAxis = PlotAxis(lower: 0, upper: Double(max(series.count, 1)), step: Double(max(series.count, 1)))
            var panel = PlotPanel(area: rect, xAxis: xAxis, yAxis: yAxis)
            panel.frame.height -= 10  // room for the sample counts under the model names
            drawPanel(canvas, panel: panel, title: panelTitle, yTitle: yTitle, series: series, values: values, colors: colors)
            for (item, list) in zip(series, values) {
                let missing = list.filter(\.isNaN).count
                if missing > 0 { undefined.append("\(item.model) \(yTitle): \(missing)") }
            }
        }
        var note = "Box: quartiles (linear interpolation between order statistics); line: median; whiskers: the most extreme values within 1.5 IQR of the box; dots: outliers."
        if !undefined.isEmpty { note += " \(undefinedWords): " + undefined.joined(separator: ", ") + "." }
        canvas.text(canvas.fitted(note, width: area.width, size: Style.tinySize), x: area.x, y: area.maxY - 2, size: Style.tinySize, color: Style.muted)
    }

    static func drawPanel(_ canvas: Canvas, panel: PlotPanel, title: String, yTitle: String, series: [ReportSeries],
                          values: [[Double]], colors: [RGBColor]) {
        let frame = panel.frame
        // The frame without x ticks: the x axis is categorical.
        var bare = panel
        bare.xAxis.ticks = []
        bare.drawFrame(canvas, title: title, xTitle: "", yTitle: yTitle)
        let slot = frame.width / Double(max(series.count, 1))
        for (index, (item, color)) in zip(series, colors).enumerated() {
            let center = frame.x + slot * (Double(index) + 0.5)
            let name = canvas.fitted(item.model, width: slot - 4, size: Style.smallSize)
            canvas.text(name, x: center, y: frame.maxY + 10, size: Style.smallSize, alignment: .center)
            guard let stats = BoxStatistics(values[index]) else {
                canvas.text("no images", x: center, y: frame.y + frame.height / 2, size: Style.smallSize, color: Style.muted, alignment: .center)
                continue
            }
            canvas.text("n = \(stats.count)", x: center, y: frame.maxY + 19, size: Style.tinySize, color: Style.muted, alignment: .center)
            func y(_ value: Double) -> Double { panel.point(0, value).1 }
            let half = min(slot * 0.3, 28)
            let box = Rect(x: center - half, y: y(stats.upperQuartile), width: 2 * half, height: y(stats.lowerQuartile) - y(stats.upperQuartile))
            canvas.line(from: (center, y(stats.upperQuartile)), to: (center, y(stats.upperWhisker)), color: .black, width: 0.7)
            canvas.line(from: (center, y(stats.lowerQuartile)), to: (center, y(stats.lowerWhisker)), color: .black, width: 0.7)
            canvas.line(from: (center - half / 2, y(stats.upperWhisker)), to: (center + half / 2, y(stats.upperWhisker)), width: 0.7)
            canvas.line(from: (center - half / 2, y(stats.lowerWhisker)), to: (center + half / 2, y(stats.lowerWhisker)), width: 0.7)
            canvas.fill(box, color: color, alpha: 0.35)
            canvas.stroke(box, color: color, width: 1)
            canvas.line(from: (center - half, y(stats.median)), to: (center + half, y(stats.median)), color: .black, width: 1.4)
            canvas.text(NumberFormat.fixed(stats.median, decimals: 3), x: center + half + 2, y: y(stats.median) + 2,
                        size: Style.tinySize, color: Style.muted)
            for outlier in stats.outliers {
                canvas.dot(at: (center, y(outlier)), radius: 1.6, color: color)
            }
        }
    }
}
