/// Sizes, counts and offsets read from a weight file, checked before they are used: every
/// conversion and every sum or product reports overflow instead of trapping, and what a file may
/// make segeval allocate is bounded.
enum CheckedSize {
    /// The most values segeval materialises from one weight file, all tensors together:
    /// 2^26 = 67,108,864 (256 MiB as Float; a strided view's index list twice that). CoSupNet at
    /// width 64 has 31 million, Inf-Net 33 million. A view with stride 0 can claim any number of
    /// values from a few bytes of storage, so this is what bounds the memory a file can ask for.
    static let maximumElements = 1 << 26

    /// `value` as an `Int`; 2^63 and above (no file is that large) is corrupt.
    static func int(_ value: UInt64, _ what: @autoclosure () -> String) throws(FormatError) -> Int {
        guard let converted = Int(exactly: value) else { throw FormatError("corrupt file: \(what()) of \(value) is impossibly large") }
        return converted
    }

    static func sum(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws(FormatError) -> Int {
        let (result, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw FormatError("corrupt file: \(what()) overflows") }
        return result
    }

    static func product(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws(FormatError) -> Int {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw FormatError("corrupt file: \(what()) overflows") }
        return result
    }

    /// The number of elements of `shape`: every size non-negative, the product without overflow
    /// and at most `maximumElements`.
    static func elementCount(_ shape: [Int], _ what: @autoclosure () -> String) throws(FormatError) -> Int {
        var count = 1
        for size in shape {
            guard size >= 0 else { throw FormatError("corrupt file: \(what()) has a negative size") }
            count = try product(count, size, what())
        }
        guard count <= maximumElements else {
            throw FormatError("refused: \(what()) has \(count) values, more than the \(maximumElements) segeval reads from a weight file")
        }
        return count
    }

    /// Whether `length` bytes from `offset` lie inside a buffer of `count` bytes (no overflow).
    static func fits(_ offset: Int, _ length: Int, in count: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= count && length <= count - offset
    }
}
