import ImageIO
import Metrics
import Files

/// Reading a pair's files as the protocol reads them (`ProtocolReading` on the decoded PNGs): the
/// one reader of ground truths and predictions, for the evaluation and for the report's grid.
extension GroundTruthSource {
    /// The binary ground truth: the mask's own rule, or `== label` on a label map.
    public func read() throws(FileError) -> GroundTruthMask {
        let image = try PNGCodec.read(path: path)
        return label.map { ProtocolReading.groundTruth(labelMap: image, label: $0) } ?? ProtocolReading.groundTruth(image)
    }
}

extension ImagePair {
    /// The prediction map, resized in memory to `size` (the ground truth's) when it differs.
    /// - Returns: the map; the file's own size when it was resized; the channels that hold
    ///   something the protocol does not read (`ProtocolReading.unreadChannels`).
    public func readPrediction(size: (width: Int, height: Int)) throws(FileError)
        -> (map: PredictionMap, resizedFrom: (width: Int, height: Int)?, unreadChannels: [String]) {
        let image = try PNGCodec.read(path: predictionPath)
        let resized = image.width != size.width || image.height != size.height
        return (ProtocolReading.prediction(image, resizedTo: resized ? size : nil), resized ? (image.width, image.height) : nil,
                ProtocolReading.unreadChannels(image))
    }
}
