import Testing
@testable import Metrics

@Suite("MATLAB imresize")
struct ImresizeTests {
    @Test("bicubic weights for 4 -> 8, worked out by hand")
    func upscaleWeights() {
        let table = MatlabImresize.contributions(inputLength: 4, outputLength: 8)
        // Output 1: u = 0.75; taps j = -1, 0, 1, 2 (1-based) at distances 1.75, 0.75, -0.25, -1.25;
        // mirrored to 1-based inputs 2, 1, 1, 2.
        #expect(table[0].indices == [1, 0, 0, 1])
        #expect(table[0].weights == [-0.0234375, 0.2265625, 0.8671875, -0.0703125])
    }

    @Test("antialiased shrinking 4 -> 2, worked out by hand")
    func shrinkWeights() {
        let table = MatlabImresize.contributions(inputLength: 4, outputLength: 2)
        for entry in table {
            #expect(abs(entry.weights.reduce(0, +) - 1) < 1e-15)
        }
        // Output 1: u = 1.5, h(t) = 0.5 cubic(0.5 t), width 8: weights at distances 3.5, 2.5, 1.5, 0.5
        // are -0.01171875, -0.03515625, 0.11328125, 0.43359375 (and mirrored). Folding the mirrored
        // taps (1-based j = -2, -1, 0 -> inputs 3, 2, 1; j = 5 -> 4) onto inputs 1...4:
        let perInput = Dictionary(zip(table[0].indices, table[0].weights), uniquingKeysWith: +)
        #expect(perInput[0] == 0.546875)
        #expect(perInput[1] == 0.3984375)
        #expect(perInput[2] == 0.1015625)
        #expect(perInput[3] == -0.046875)
    }

    @Test("constant images stay constant; same size is the identity; values saturate")
    func basics() {
        let constant = [Int](repeating: 77, count: 20)
        #expect(MatlabImresize.resize(constant, width: 5, height: 4, toWidth: 9, toHeight: 3, maxValue: 255).allSatisfy { $0 == 77 })
        let ramp = (0..<12).map { $0 * 20 }
        #expect(MatlabImresize.resize(ramp, width: 4, height: 3, toWidth: 4, toHeight: 3, maxValue: 255) == ramp)
        // A hard edge overshoots with the cubic kernel; results are clamped to 0...255.
        let edge = [0, 0, 255, 255]
        let up = MatlabImresize.resize(edge, width: 4, height: 1, toWidth: 8, toHeight: 1, maxValue: 255)
        #expect(up.allSatisfy { (0...255).contains($0) })
        #expect(up.first == 0 && up.last == 255)
        let logical = MatlabImresize.resizeLogical([0, 1, 1, 0], width: 2, height: 2, toWidth: 4, toHeight: 4)
        #expect(logical.allSatisfy { $0 == 0 || $0 == 1 })
    }
}
