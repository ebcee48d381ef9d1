import Foundation

/// The progress line of `segeval predict` on standard error (drawn only on a terminal).
final class PredictProgress {
    private let total: Int
    private let enabled: Bool
    private let start = Date()
    private var lastDrawn = Date.distantPast

    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(done: Int) {
        guard enabled else { return }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDrawn) > 0.1 else { return }
        lastDrawn = now
        let cells = 30
        let filled = total > 0 ? cells * done / total : cells
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: cells - filled)
        let rate = Double(done) / max(now.timeIntervalSince(start), 1e-6)
        FileHandle.standardError.write(Data(String(format: "\rpredict [%@] %d/%d (%.1f images/s)", bar, done, total, rate).utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
