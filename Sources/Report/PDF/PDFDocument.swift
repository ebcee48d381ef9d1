import CCairo
import Foundation

/// A multi-page PDF drawn with Cairo into memory. Nothing touches the file system: `finish()`
/// returns the bytes, and the caller writes them atomically (see `ReportWriter`).
public final class PDFDocument {
    /// Collects the bytes Cairo writes.
    final class Sink {
        var bytes: [UInt8] = []
    }

    public let pageSize: PageSize
    public private(set) var pageCount = 0
    private let sink = Sink()
    private let surface: OpaquePointer
    private let context: OpaquePointer
    private var pageOpen = false
    private var finished = false

    /// - Parameters:
    ///   - title: the document's Title metadata.
    public init(pageSize: PageSize, title: String, creator: String) throws(ReportError) {
        self.pageSize = pageSize
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let write: cairo_write_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }
        guard let surface = cairo_pdf_surface_create_for_stream(write, closure, pageSize.width, pageSize.height) else {
            throw ReportError("cannot create a PDF surface")
        }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw ReportError("cannot create a PDF surface")
        }
        self.surface = surface
        self.context = context
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, creator)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Draws one page: `body` gets a canvas on a fresh white page.
    public func page(_ body: (Canvas) throws -> Void) rethrows {
        precondition(!finished, "page after finish")
        cairo_save(context)
        let canvas = Canvas(context: context)
        canvas.fill(Rect(x: 0, y: 0, width: pageSize.width, height: pageSize.height), color: .white)
        try body(canvas)
        cairo_restore(context)
        cairo_show_page(context)
        pageCount += 1
    }

    /// Ends the document and returns the PDF bytes.
    /// - Throws: `ReportError` when Cairo reports an error (e.g. a font or memory failure).
    public func finish() throws(ReportError) -> [UInt8] {
        precondition(!finished, "finish called twice")
        finished = true
        let drawStatus = cairo_status(context)
        cairo_surface_finish(surface)
        let surfaceStatus = cairo_surface_status(surface)
        for status in [drawStatus, surfaceStatus] where status != CAIRO_STATUS_SUCCESS {
            throw ReportError("drawing the PDF failed: \(String(cString: cairo_status_to_string(status)))")
        }
        return sink.bytes
    }
}
