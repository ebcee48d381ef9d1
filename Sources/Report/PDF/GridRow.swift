/// One cell of the comparison grid, as layers: the CT slice (shared by the row's cells),
/// translucent prediction fills, opaque ground-truth contour bands. The PDF draws the layers
/// (the CT once per row, masks as 8-bit masks); `raster` composes them for PNGs and tests.
public struct GridCell: Sendable {
    /// The picture under the masks (nil: black). Also nil for a note cell (`hasPicture` false: "missing").
    public var base: RGBRaster?
    /// The cell's size in pixels (the ground truth's).
    public var width: Int
    public var height: Int
    /// Blended at `Overlay.fillOpacity`.
    public var fills: [OverlayLayer]
    /// Contour bands (`Overlay.boundary`), painted opaque.
    public var edges: [OverlayLayer]
    /// Under the cell, one line each: the per-image Dice ("0.712", or "GGO 0.640" and
    /// "Cons 0.210"); empty for CT and GT cells.
    public var label: [String]
    /// Shown instead of an image when `raster` is nil.
    public var note: String?

    /// A cell showing layers.
    public init(base: RGBRaster?, width: Int, height: Int, fills: [OverlayLayer] = [], edges: [OverlayLayer] = [], label: [String] = []) {
        self.base = base
        self.width = width
        self.height = height
        self.fills = fills
        self.edges = edges
        self.label = label
        self.note = nil
    }

    /// A cell with nothing to show but `note` ("missing", "no prediction").
    public init(note: String) {
        base = nil
        width = 0
        height = 0
        fills = []
        edges = []
        label = []
        self.note = note
    }

    /// Whether the cell has a picture (otherwise it shows its `note`).
    public var hasPicture: Bool { note == nil }

    /// The composed picture (CT or black, fills, contours), as the PDF shows it; nil for a note cell.
    public var raster: RGBRaster? {
        guard hasPicture else { return nil }
        return Overlay.compose(base: base ?? RGBRaster(width: width, height: height), fills: fills, edges: edges)
    }
}

/// One row of the comparison grid: a slice, and its cells in column order.
public struct GridRow: Sendable {
    public var pick: CaseSelection.Pick
    public var cells: [GridCell]

    public init(pick: CaseSelection.Pick, cells: [GridCell]) {
        self.pick = pick
        self.cells = cells
    }
}

/// The grid's columns: `CT` (when CT slices are given), `GT`, then one per model.
public struct GridColumns: Sendable, Equatable {
    public var showsCT: Bool
    public var models: [String]

    public init(showsCT: Bool, models: [String]) {
        self.showsCT = showsCT
        self.models = models
    }

    public var titles: [String] { (showsCT ? ["CT"] : []) + ["GT"] + models }
}
