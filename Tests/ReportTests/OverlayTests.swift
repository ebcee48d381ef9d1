import Testing
@testable import Report

@Suite struct OverlayTests {
    static let size = 12

    static func mask(_ inside: (Int, Int) -> Bool) -> [UInt8] {
        (0..<(size * size)).map { inside($0 % size, $0 / size) ? 1 : 0 }
    }

    @Test func boundaryIsTheInnerBandOfTheRegion() {
        let square = Self.mask { $0 >= 3 && $0 < 9 && $1 >= 3 && $1 < 9 }
        let edge = Overlay.boundary(of: square, width: Self.size, height: Self.size, thickness: 1)
        for y in 0..<Self.size {
            for x in 0..<Self.size {
                let onEdge = square[y * Self.size + x] == 1 && (x == 3 || x == 8 || y == 3 || y == 8)
                #expect(edge[y * Self.size + x] == (onEdge ? 1 : 0), "pixel \(x),\(y)")
            }
        }
        let thick = Overlay.boundary(of: square, width: Self.size, height: Self.size, thickness: 2)
        #expect(thick[4 * Self.size + 4] == 1)
        #expect(thick[5 * Self.size + 5] == 0)
    }

    @Test func regionTouchingTheImageEdgeHasABoundaryThere() {
        let full = [UInt8](repeating: 1, count: Self.size * Self.size)
        let edge = Overlay.boundary(of: full, width: Self.size, height: Self.size, thickness: 1)
        #expect(edge[0] == 1 && edge[Self.size * Self.size - 1] == 1)
        #expect(edge[5 * Self.size + 5] == 0)
    }

    @Test func fillsBlendAndContoursAreOpaqueAndEmptyPixelsStayCT() {
        let base = RGBRaster(width: Self.size, height: Self.size, fill: (100, 100, 100))
        let ggo = Self.mask { x, _ in x < 6 }
        let consolidation = Self.mask { $0 >= 6 && $1 < 6 }
        let truth = Self.mask { $0 >= 2 && $0 < 10 && $1 >= 2 && $1 < 10 }
        let out = Overlay.compose(base: base,
                                  fills: [OverlayLayer(mask: ggo, color: ClassStyle.groundGlass.fill),
                                          OverlayLayer(mask: consolidation, color: ClassStyle.consolidation.fill)],
                                  contours: [OverlayLayer(mask: truth, color: (255, 230, 0))])
        // GGO fill: red raised, green and blue lowered (100 * 0.55 + 255 * 0.45 = 169.75 -> 170).
        #expect(out[0, 11] == (170, 55, 55))
        // Consolidation fill: green.
        #expect(out[11, 0] == (55, 145, 55))
        // Neither prediction nor GT boundary: the CT pixel unchanged.
        #expect(out[11, 11] == (100, 100, 100))
        // GT boundary: opaque contour colour, inside the region, 2 pixels wide.
        #expect(out[2, 5] == (255, 230, 0))
        #expect(out[3, 5] == (255, 230, 0))
        #expect(out[5, 5] != (255, 230, 0))
    }

    @Test func classStylesFollowThePaper() {
        #expect(ClassStyle.forClass(label: 1, name: "Ground-glass opacities").fill == (255, 0, 0))
        #expect(ClassStyle.forClass(label: 2, name: "Consolidation").fill == (0, 200, 0))
        #expect(ClassStyle.forClass(label: nil, name: nil) == .infection)
    }
}

@Suite struct PredictionMaskTests {
    @Test func thresholdsTheMinMaxNormalisedMap() {
        // Levels 50...150: normalised (v - 50) / 100 with MATLAB's arithmetic (level 100 lands an
        // ulp below 0.5, as in the toolbox); >= 0.5 from level 101.
        let map = PredictionMap.uint8(width: 6, height: 1, pixels: [50, 99, 100, 101, 150, 50])
        let lowest = 50.0 / 255, highest = 150.0 / 255, level100 = 100.0 / 255
        let normalised: Double = (level100 - lowest) * (1 / (highest - lowest))
        #expect(normalised < 0.5)   // the ulp, computed as the toolbox does (im2double, then mapminmax)
        #expect(PredictionMask.binary(map, threshold: 0.5) == [0, 0, 0, 1, 1, 0])
        #expect(PredictionMask.binary(map, threshold: 0.25) == [0, 1, 1, 1, 1, 0])
    }

    @Test func constantMapIsLeftUnnormalised() {
        #expect(PredictionMask.binary(.uint8(width: 2, height: 1, pixels: [0, 0]), threshold: 0.5) == [0, 0])
        #expect(PredictionMask.binary(.uint8(width: 2, height: 1, pixels: [255, 255]), threshold: 0.5) == [1, 1])
    }
}

import Metrics
