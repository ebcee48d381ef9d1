import Dispatch
import Foundation

/// Runs `body` for 0..<count on all cores and returns the results in index order (evaluation,
/// the report's grid rows and cell encodings).
public func parallelMap<T: Sendable>(count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let storage = ResultSlots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
        storage.set(index, body(index))
    }
    return storage.values()
}

/// Write-once slots, one per index; each index is written by exactly one worker.
private final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func values() -> [T] { slots.map { $0! } }
}

/// A thread-safe counter for progress reports.
public final class ProgressCounter: @unchecked Sendable {
    private var done = 0
    private let lock = NSLock()
    let total: Int
    let report: (@Sendable (Int, Int) -> Void)?

    public init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    /// One more done: reports (done, total).
    public func step() {
        guard let report else { return }
        lock.lock()
        done += 1
        let value = done
        lock.unlock()
        report(value, total)
    }
}
