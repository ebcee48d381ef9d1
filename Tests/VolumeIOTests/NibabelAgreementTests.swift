import Foundation
import SegevalTestSupport
import Testing
import VolumeIO

/// The reader against nibabel: the committed files of fixtures/distances were written by nibabel
/// and its reading is in reference.json (shape, `get_zooms()` spacing, the voxel counts of each
/// label mask): segeval must read the same.
@Suite("NIfTI reader agrees with nibabel (fixtures/distances)")
struct NibabelAgreementTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            struct Label: Decodable {
                var gt_voxels: Int
                var pred_voxels: Int
            }
            var spacing: [Double]
            var shape: [Int]
            var labels: [String: Label]
        }
        var cases: [String: Case]
        var threshold: String
    }

    static let folder = SharedData.packageRoot + "/fixtures/distances"

    @Test("every case: size, spacing bit for bit, and each label's voxel count")
    func agrees() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.folder + "/reference.json"))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        #expect(reference.cases.count == 12)
        #expect(reference.threshold == ">= 0.5")
        for (name, entry) in reference.cases.sorted(by: { $0.key < $1.key }) {
            let gt = try NIfTIReader.read(path: Self.folder + "/\(name)_gt.nii.gz")
            let pred = try NIfTIReader.read(path: Self.folder + "/\(name)_pred.nii.gz")
            // nibabel's shape: a 2-D file has two sizes; segeval's volume has nz = 1.
            let expectedSize = entry.shape + Array(repeating: 1, count: 3 - entry.shape.count)
            #expect(gt.size == expectedSize && pred.size == expectedSize, "\(name)")
            #expect(Array(gt.spacing.prefix(entry.spacing.count)) == entry.spacing, "\(name): \(gt.spacing) vs nibabel \(entry.spacing)")
            for (labelText, counts) in entry.labels {
                let label = try #require(Int32(labelText))
                func count(_ volume: Volume) -> Int {
                    switch volume.samples {
                    case .labels, .bytes: (0..<volume.voxelCount).filter { volume.samples.value(at: $0) == Double(label) }.count
                    case .probabilities, .floats: (0..<volume.voxelCount).filter { volume.samples.value(at: $0) >= 0.5 }.count
                    }
                }
                #expect(count(gt) == counts.gt_voxels, "\(name) label \(label) GT")
                #expect(count(pred) == counts.pred_voxels, "\(name) label \(label) prediction")
            }
        }
    }
}
