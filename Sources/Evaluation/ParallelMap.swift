import Dispatch
import Files
import Foundation

/// Runs `body` for 0..<count on `threads` workers (default: the CPUs this process may use,
/// `AvailableCPUs`) and returns the results in index order (evaluation, the report's grid rows and
/// cell encodings). Workers take the next index as they finish one, so a slow image does not hold
/// up the others; the results do not depend on the number of workers.
public func parallelMap<T: Sendable>(count: Int, threads: Int = AvailableCPUs.count, _ body: @Sendable (Int) -> T) -> [T] {
    let storage = ResultSlots<T>(count: count)
    let workers = max(1, min(threads, count))
    if workers == 1 {
        for index in 0..<count { storage.set(index, body(index)) }
        return storage.values()
    }
    let next = IndexDispenser(count: count)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let index = next.take() { storage.set(index, body(index)) }
    }
    return storage.values()
}

/// Hands out 0..<count, each index once.
private final class IndexDispenser: @unchecked Sendable {
    private var next = 0
    private let count: Int
    private let lock = NSLock()

    init(count: Int) { self.count = count }

    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
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
