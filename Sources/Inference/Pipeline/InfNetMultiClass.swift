/// The input and output processing of "Semi-Inf-Net + multi-class UNet" (`Inf_Net_UNet(6, 3)`,
/// test script MyTest_MulClsLungInf_UNet.py, class split split_class.py; Inf-Net spec, sections
/// 9.1 and 9.3), bit for bit against the authors' lines (OpenCV, PyTorch CPU float32, scipy 1.2.2,
/// Pillow). The network between `input` and `classMap` is not part of this type.
///
/// - Input: the slice and its Semi-Inf-Net prior (8-bit grey; `cv2.imread` gives three equal
///   B, G, R channels), each resized to 352 x 352 by `OpenCVResize.linear`, then per channel k in
///   **B, G, R order** x_k = (v / 255 - mean_k) / std_k with the ImageNet constants of section
///   2.3 in their listed order (the "R" constants go to B; for grey inputs the planes are the
///   section 2.3 planes); the six planes are cat[image (3), prior (3)].
/// - Class map: the float32 sigmoid of each of the 3 logit planes (PyTorch's, bit for bit:
///   `InfNetPostprocessing.sigmoid`), argmax with the first maximal index on ties (sigmoid is
///   exactly 1.0 above ~17, so ties occur). Channel 0 = GGO, 1 = consolidation, 2 = background
///   (the authors' one-hot encoder is shifted by one).
/// - `scipy.misc.imsave` of the int64 class map: bytescale v = trunc((c - min) * (255 / (max -
///   min)) + 0.5) in double (max == min: factor 255, so everything is 0). All three classes:
///   0 / 128 / 255. Without consolidation: GGO 0, background 255. Without GGO: consolidation
///   0 (later read as GGO), background 255. All background: all 0 (later all GGO).
/// - `split_class`: GGO = (v == 0), consolidation = (v == 128), as mode '1' images (0 / 255)
///   resized to the ground truth's W x H with Pillow NEAREST (`ImagingScaleAffine`): per axis
///   step = n / m in double, position starting at step / 2 and advanced by adding step, source
///   index trunc(position); a position outside the source would give 0 (Pillow's fill).
public enum InfNetMultiClass {
    /// The network's input and output size (both sides).
    public static let networkSize = 352
    /// Classes (logit channels) in the order of the network's output.
    public static let classCount = 3
    /// Class indices of the map (`classMap`).
    public static let groundGlassClass = 0
    public static let consolidationClass = 1
    public static let backgroundClass = 2

    /// The network input [6, 352, 352] (channel-major, then row-major) from the row-major 8-bit
    /// grey slice and its Semi-Inf-Net prior (each of any size).
    public static func input(image: [UInt8], imageWidth: Int, imageHeight: Int,
                             prior: [UInt8], priorWidth: Int, priorHeight: Int) -> [Float] {
        let size = networkSize
        let resizedImage = OpenCVResize.linear(image, width: imageWidth, height: imageHeight, toWidth: size, toHeight: size)
        let resizedPrior = OpenCVResize.linear(prior, width: priorWidth, height: priorHeight, toWidth: size, toHeight: size)
        // `ImageNetNormalization` gives plane k the k-th constants of section 2.3, which is what
        // the B, G, R planes of a grey image get here.
        return ImageNetNormalization.tensor(fromGray: resizedImage, width: size, height: size)
            + ImageNetNormalization.tensor(fromGray: resizedPrior, width: size, height: size)
    }

    /// `input` from gray images.
    public static func input(image: GrayImage, prior: GrayImage) -> [Float] {
        input(image: image.pixels, imageWidth: image.width, imageHeight: image.height,
              prior: prior.pixels, priorWidth: prior.width, priorHeight: prior.height)
    }

    /// The class of every pixel of the [3, size, size] logits (channel-major): argmax of the
    /// float32 sigmoids, first index on ties (PyTorch CPU's rule; the authors ran CUDA, whose tie
    /// rule the spec could not check). Row-major size x size; 0 = GGO, 1 = consolidation,
    /// 2 = background. NaN logits are outside the contract.
    public static func classMap(logits: [Float], size: Int = networkSize) -> [Int] {
        precondition(size >= 1, "size must be at least 1")
        precondition(logits.count == classCount * size * size, "logit count does not match 3 x size x size")
        let plane = size * size
        var classes = [Int](repeating: 0, count: plane)
        logits.withUnsafeBufferPointer { l in
            for i in 0..<plane {
                var best = InfNetPostprocessing.sigmoid(l[i])
                var index = 0
                for c in 1..<classCount {
                    let s = InfNetPostprocessing.sigmoid(l[c * plane + i])
                    if s > best {
                        best = s
                        index = c
                    }
                }
                classes[i] = index
            }
        }
        return classes
    }

    /// scipy 1.2.2's `bytescale` of an integer map (what `misc.imsave` writes):
    /// trunc(clip((c - min) * (255.0 / cscale), 0, 255) + 0.5) in double with cscale = max - min,
    /// 1 when 0. Empty in, empty out.
    public static func bytescaled(_ classes: [Int]) -> [UInt8] {
        guard let low = classes.min(), let high = classes.max() else { return [] }
        var range = high - low
        if range == 0 { range = 1 }
        let scale = 255.0 / Double(range)
        return classes.map { c in
            let scaled = Double(c - low) * scale
            let clipped = min(max(scaled, 0), 255)
            return UInt8((clipped + 0.5).rounded(.towardZero))
        }
    }

    /// `split_class` of the row-major size x size bytescaled map: the GGO (v == 0) and
    /// consolidation (v == 128) masks as 0 / 255, each resized to `toHeight` x `toWidth` with
    /// Pillow NEAREST (row-major).
    public static func split(_ bytescaled: [UInt8], size: Int = networkSize, toWidth: Int, toHeight: Int)
        -> (groundGlass: [UInt8], consolidation: [UInt8]) {
        precondition(size >= 1 && toWidth >= 1 && toHeight >= 1, "sizes must be at least 1")
        precondition(bytescaled.count == size * size, "value count does not match the size")
        let columns = nearestIndices(input: size, output: toWidth)
        let rows = nearestIndices(input: size, output: toHeight)
        var groundGlass = [UInt8](repeating: 0, count: toWidth * toHeight)
        var consolidation = groundGlass
        for y in 0..<toHeight {
            guard let sy = rows[y] else { continue }
            for x in 0..<toWidth {
                guard let sx = columns[x] else { continue }
                let v = bytescaled[sy * size + sx]
                if v == 0 { groundGlass[y * toWidth + x] = 255 }
                if v == 128 { consolidation[y * toWidth + x] = 255 }
            }
        }
        return (groundGlass, consolidation)
    }

    /// Pillow NEAREST source indices of one axis (`ImagingScaleAffine`): step = n / m in double,
    /// position = step / 2 then += step per output, index = trunc(position) (-1 below 0); nil where
    /// the index falls outside 0 ..< n (Pillow leaves those pixels at its fill, 0).
    static func nearestIndices(input n: Int, output m: Int) -> [Int?] {
        let step = Double(n) / Double(m)
        var position = 0.0 + step * 0.5
        var indices: [Int?] = []
        indices.reserveCapacity(m)
        for _ in 0..<m {
            let i = position < 0 ? -1 : Int(position)
            indices.append(i >= 0 && i < n ? i : nil)
            position += step
        }
        return indices
    }
}
