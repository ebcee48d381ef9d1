/// One cell of the comparison grid.
public struct GridCell: Sendable {
    /// nil when there is nothing to show (the `note` says why, e.g. "missing").
    public var raster: RGBRaster?
    /// Under the cell, one line each: the per-image Dice ("0.712", or "GGO 0.640" and
    /// "Cons 0.210"); empty for CT and GT cells.
    public var label: [String]
    /// Shown instead of an image when `raster` is nil.
    public var note: String?

    public init(raster: RGBRaster?, label: [String] = [], note: String? = nil) {
        self.raster = raster
        self.label = label
        self.note = note
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
