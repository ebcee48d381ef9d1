/// One chart: a frame with ticks, tick labels, axis titles and a panel title, and the mapping
/// from data to page points. Drawing of the data is left to the caller (`point`).
struct PlotPanel {
    var frame: Rect
    var xAxis: PlotAxis
    var yAxis: PlotAxis

    /// Space around the plotting frame inside a panel's rectangle.
    static let leftInset = 30.0, bottomInset = 26.0, topInset = 16.0, rightInset = 6.0

    /// A panel filling `area` (title and tick labels included).
    init(area: Rect, xAxis: PlotAxis, yAxis: PlotAxis) {
        frame = Rect(x: area.x + Self.leftInset, y: area.y + Self.topInset,
                     width: area.width - Self.leftInset - Self.rightInset,
                     height: area.height - Self.topInset - Self.bottomInset)
        self.xAxis = xAxis
        self.yAxis = yAxis
    }

    /// The page point of a data point.
    func point(_ x: Double, _ y: Double) -> (Double, Double) {
        guard x.isFinite, y.isFinite else { return (.nan, .nan) }
        return (xAxis.map(x, from: frame.x, to: frame.maxX), yAxis.map(y, from: frame.maxY, to: frame.y))
    }

    func drawFrame(_ canvas: Canvas, title: String, xTitle: String, yTitle: String) {
        let tick = 3.0
        for value in yAxis.ticks {
            let y = yAxis.map(value, from: frame.maxY, to: frame.y)
            canvas.line(from: (frame.x, y), to: (frame.maxX, y), color: .gray(0.88), width: 0.4)
            canvas.line(from: (frame.x - tick, y), to: (frame.x, y), width: 0.5)
            canvas.text(yAxis.label(value), x: frame.x - tick - 2, y: y + 2.3, size: Style.tinySize, alignment: .right)
        }
        for value in xAxis.ticks {
            let x = xAxis.map(value, from: frame.x, to: frame.maxX)
            canvas.line(from: (x, frame.y), to: (x, frame.maxY), color: .gray(0.88), width: 0.4)
            canvas.line(from: (x, frame.maxY), to: (x, frame.maxY + tick), width: 0.5)
            canvas.text(xAxis.label(value), x: x, y: frame.maxY + tick + 7, size: Style.tinySize, alignment: .center)
        }
        canvas.stroke(frame, width: 0.6)
        canvas.text(title, x: frame.x, y: frame.y - 5, size: Style.bodySize, bold: true)
        canvas.text(xTitle, x: frame.x + frame.width / 2, y: frame.maxY + tick + 17, size: Style.smallSize, color: Style.muted, alignment: .center)
        canvas.verticalText(yTitle, x: frame.x - 21, y: frame.y + frame.height / 2, size: Style.smallSize, color: Style.muted)
    }
}
