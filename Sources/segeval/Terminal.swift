import Foundation

/// Messages and progress on standard error.
enum Terminal {
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// A one-line progress bar on standard error, drawn only on a terminal and never with `--quiet`.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let rateFormat: String
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDrawn = Date.distantPast
    private let start = Date()

    /// - Parameters:
    ///   - unit: what is counted, in the rate ("images/s"); empty for a bare "/s".
    ///   - rateDecimals: decimals of the rate.
    init(label: String, quiet: Bool, unit: String = "", rateDecimals: Int = 0) {
        self.label = label
        self.unit = unit.isEmpty ? "" : " " + unit
        self.rateFormat = "%.\(rateDecimals)f"
        self.enabled = !quiet && Terminal.standardErrorIsTerminal
    }

    func update(done: Int, total: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDrawn) > 0.1 else { return }
        lastDrawn = now
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = Double(done) / max(now.timeIntervalSince(start), 1e-6)
        let line = String(format: "\r%@ [%@] %d/%d (", label, bar, done, total) + String(format: rateFormat, rate) + "\(unit)/s)"

        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
