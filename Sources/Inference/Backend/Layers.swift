import CDNNL

/// The geometry of a 2-D convolution: kernel rows x columns, stride, zero padding per axis
/// (rows, columns) and dilation (PyTorch's: 1 is a dense kernel).
struct ConvGeometry: Equatable {
    var kernelHeight: Int
    var kernelWidth: Int
    var stride = 1
    var paddingHeight: Int
    var paddingWidth: Int
    var dilation = 1

    /// A square kernel with PyTorch's "same" padding for odd kernels (k / 2).
    init(kernel: Int, stride: Int = 1) {
        self.init(kernelHeight: kernel, kernelWidth: kernel, stride: stride, paddingHeight: kernel / 2, paddingWidth: kernel / 2)
    }

    init(kernelHeight: Int, kernelWidth: Int, stride: Int = 1, paddingHeight: Int, paddingWidth: Int, dilation: Int = 1) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.paddingHeight = paddingHeight
        self.paddingWidth = paddingWidth
        self.dilation = dilation
    }

    /// The output size for an input of `height` x `width` (PyTorch's formula).
    func output(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + 2 * paddingHeight - dilation * (kernelHeight - 1) - 1) / stride + 1,
         (width + 2 * paddingWidth - dilation * (kernelWidth - 1) - 1) / stride + 1)
    }
}

/// A 2-D convolution (weights OIHW, optional bias) with post-ops, on the context's layouts.
struct ConvLayer {
    let primitive: PostOpPrimitive
    let output: (channels: Int, height: Int, width: Int)

    /// Shapes and layouts come from `source` and `destination` (checked against the weights).
    init(weights: [Float], bias: [Float]?, outChannels: Int, inChannels: Int, geometry g: ConvGeometry,
         source: Activation, destination: Activation, postOps: [PostOp], context: DNNLContext, name: String) throws(InferenceError) {
        let (outH, outW) = g.output(height: source.height, width: source.width)
        output = (outChannels, outH, outW)
        guard source.channels == inChannels, destination.channels == outChannels, destination.height == outH, destination.width == outW else {
            throw InferenceError("internal shape error at \(name)")
        }
        var src = source.descriptor
        var dst = destination.descriptor
        let kernelDims = [outChannels, inChannels, g.kernelHeight, g.kernelWidth]
        var weightsAny = ConstantLayout.any(kernelDims)
        var biasDesc = ConstantLayout.make([outChannels], tag: dnnl_x)
        var desc = dnnl_convolution_desc_t()
        let strides: [Int64] = [Int64(g.stride), Int64(g.stride)]
        let pads: [Int64] = [Int64(g.paddingHeight), Int64(g.paddingWidth)]
        // oneDNN counts dilation from 0 (a dense kernel); PyTorch from 1.
        let dilates: [Int64] = [Int64(g.dilation - 1), Int64(g.dilation - 1)]
        let status = withUnsafeMutablePointer(to: &biasDesc) { biasPointer in
            dnnl_dilated_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &weightsAny,
                                                       bias == nil ? nil : biasPointer, &dst, strides, dilates, pads, pads)
        }
        try dnnlCheck(status, "describe convolution \(name)")
        var constants = [ConstantInput(query: dnnl_query_weights_md, argument: DNNL_ARG_WEIGHTS, values: weights,
                                       layout: ConstantLayout.make(kernelDims, tag: dnnl_oihw))]
        if let bias {
            constants.append(ConstantInput(query: dnnl_query_weights_md, queryIndex: 1, argument: DNNL_ARG_BIAS, values: bias, layout: biasDesc))
        }
        primitive = try PostOpPrimitive(descriptor: &desc, postOps: postOps, constants: constants, destination: destination,
                                        context: context, what: "convolution \(name)")
    }

    func run(_ source: Activation, into destination: Activation, context: DNNLContext) throws(InferenceError) {
        try primitive.execute([(DNNL_ARG_SRC, source)], destination: destination, context: context)
    }
}

/// ConvTranspose2d with kernel 2, stride 2, padding 0 (PyTorch weight [Cin, Cout, 2, 2] + bias).
struct DeconvLayer {
    let primitive: Primitive

    init(weights: [Float], bias: [Float], source: Activation, destination: Activation,
         context: DNNLContext, name: String) throws(InferenceError) {
        let inChannels = source.channels, outChannels = destination.channels
        var src = source.descriptor
        var dst = destination.descriptor
        var weightsAny = ConstantLayout.any([outChannels, inChannels, 2, 2])
        var biasDesc = ConstantLayout.make([outChannels], tag: dnnl_x)
        var desc = dnnl_deconvolution_desc_t()
        let strides: [Int64] = [2, 2]
        let pads: [Int64] = [0, 0]
        try dnnlCheck(dnnl_deconvolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_deconvolution_direct, &src, &weightsAny,
                                                           &biasDesc, &dst, strides, pads, pads), "describe transposed convolution \(name)")
        // PyTorch's [Cin, Cout, kH, kW] is oneDNN's logical [O, I, kH, kW] stored as `iohw`.
        let constants = [
            ConstantInput(query: dnnl_query_weights_md, argument: DNNL_ARG_WEIGHTS, values: weights,
                          layout: ConstantLayout.make([outChannels, inChannels, 2, 2], tag: dnnl_iohw)),
            ConstantInput(query: dnnl_query_weights_md, queryIndex: 1, argument: DNNL_ARG_BIAS, values: bias, layout: biasDesc),
        ]
        primitive = try Primitive(descriptor: &desc, constants: constants, context: context, what: "transposed convolution \(name)")
    }

    func run(_ source: Activation, into destination: Activation, context: DNNLContext) throws(InferenceError) {
        try primitive.execute([(DNNL_ARG_SRC, source), (DNNL_ARG_DST, destination)], context: context)
    }
}

/// Max or average pooling. `averageCountingPadding` divides by the whole window (zeros counted
/// at the borders, PyTorch's `count_include_pad=True`), `average` by the pixels inside.
struct PoolLayer {
    enum Kind { case max, average, averageCountingPadding }
    let primitive: Primitive

    init(_ kind: Kind, kernel: Int, stride: Int, padding: Int, source: Activation, destination: Activation,
         context: DNNLContext) throws(InferenceError) {
        var src = source.descriptor
        var dst = destination.descriptor
        var desc = dnnl_pooling_desc_t()
        let kernels: [Int64] = [Int64(kernel), Int64(kernel)], strides: [Int64] = [Int64(stride), Int64(stride)]
        let pads: [Int64] = [Int64(padding), Int64(padding)]
        let algorithm = kind == .max ? dnnl_pooling_max : kind == .average ? dnnl_pooling_avg_exclude_padding : dnnl_pooling_avg_include_padding
        try dnnlCheck(dnnl_pooling_forward_desc_init(&desc, dnnl_forward_inference, algorithm, &src, &dst, strides, kernels, pads, pads),
                      "describe \(kind) pooling")
        primitive = try Primitive(descriptor: &desc, context: context, what: "\(kind) pooling")
    }

    /// Max pooling 2x2, stride 2, no padding.
    init(source: Activation, destination: Activation, context: DNNLContext) throws(InferenceError) {
        try self.init(.max, kernel: 2, stride: 2, padding: 0, source: source, destination: destination, context: context)
    }

    func run(_ source: Activation, into destination: Activation, context: DNNLContext) throws(InferenceError) {
        try primitive.execute([(DNNL_ARG_SRC, source), (DNNL_ARG_DST, destination)], context: context)
    }
}

/// Bilinear resize with half-pixel centres and edge clamping (PyTorch `interpolate(mode='bilinear',
/// align_corners=False)` for the integer and 1/integer factors used here), with post-ops.
struct BilinearLayer {
    let primitive: PostOpPrimitive

    init(source: Activation, destination: Activation, postOps: [PostOp], context: DNNLContext) throws(InferenceError) {
        var src = source.descriptor
        var dst = destination.descriptor
        var desc = dnnl_resampling_desc_t()
        try dnnlCheck(dnnl_resampling_forward_desc_init(&desc, dnnl_forward_inference, dnnl_resampling_linear, nil, &src, &dst),
                      "describe a bilinear resize")
        primitive = try PostOpPrimitive(descriptor: &desc, postOps: postOps, destination: destination, context: context, what: "bilinear resize")
    }

    func run(_ source: Activation, into destination: Activation, context: DNNLContext) throws(InferenceError) {
        try primitive.execute([(DNNL_ARG_SRC, source)], destination: destination, context: context)
    }
}

/// dst = a + b or a * b elementwise (same shapes), optionally accumulated: dst += a op b.
///
/// The accumulation is oneDNN's sum post-op, except on 8-channel blocks (`nChw8c`) where oneDNN
/// runs AVX-512: there 2.6's `jit:uni` binary primitive with a sum post-op computes wrong values
/// and writes up to 23 floats past the destination's end (measured on an AMD Zen 5 with a
/// stand-alone oneDNN program: 268 of 792 values wrong at 8 x 9 x 11, none on `nChw16c`, NHWC or
/// planar tensors, none capped to AVX2), which corrupted the heap. The sum then runs as a separate
/// add (`PostOpPrimitive`).
struct BinaryLayer {
    enum Operation { case add, multiply }
    let primitive: PostOpPrimitive

    init(_ operation: Operation, a: Activation, b: Activation, destination: Activation, accumulate: Bool = false,
         context: DNNLContext) throws(InferenceError) {
        var mdA = a.descriptor, mdB = b.descriptor, mdDst = destination.descriptor
        var desc = dnnl_binary_desc_t()
        try dnnlCheck(dnnl_binary_desc_init(&desc, operation == .add ? dnnl_binary_add : dnnl_binary_mul, &mdA, &mdB, &mdDst),
                      "describe an elementwise \(operation)")
        let brokenFusedSum = destination.block == 8 && InstructionSet.current.hasAVX512
        primitive = try PostOpPrimitive(descriptor: &desc, postOps: accumulate ? [.sum] : [], destination: destination,
                                        fusable: !brokenFusedSum, context: context, what: "elementwise \(operation)")
    }

    func run(_ a: Activation, _ b: Activation, into destination: Activation, context: DNNLContext) throws(InferenceError) {
        try primitive.execute([(DNNL_ARG_SRC_0, a), (DNNL_ARG_SRC_1, b)], destination: destination, context: context)
    }
}

/// Copies a dense tensor into channels [offset, offset + C) of a wider tensor of the same H, W
/// (one half of a channel concatenation), through a oneDNN reorder.
final class ChannelCopyLayer {
    let primitive: Primitive
    private let view: dnnl_memory_t

    init(source: Activation, destination: Activation, channelOffset: Int, context: DNNLContext) throws(InferenceError) {
        var parent = destination.descriptor
        var slice = dnnl_memory_desc_t()
        let dims: [Int64] = [1, Int64(source.channels), Int64(source.height), Int64(source.width)]
        let offsets: [Int64] = [0, Int64(channelOffset), 0, 0]
        try dnnlCheck(dnnl_memory_desc_init_submemory(&slice, &parent, dims, offsets), "describe a channel slice")
        var view: dnnl_memory_t?
        try dnnlCheck(dnnl_memory_create(&view, &slice, context.engine, UnsafeMutableRawPointer(destination.pointer)), "wrap a channel slice")
        self.view = view!
        var sourceDesc = source.descriptor
        var pd: dnnl_primitive_desc_t?
        try dnnlCheck(dnnl_reorder_primitive_desc_create(&pd, &sourceDesc, context.engine, &slice, context.engine, nil), "plan a channel copy")
        defer { dnnl_primitive_desc_destroy(pd) }
        var primitive: dnnl_primitive_t?
        try dnnlCheck(dnnl_primitive_create(&primitive, pd), "create a channel copy")
        self.primitive = Primitive(wrapping: primitive!)
    }

    deinit { dnnl_memory_destroy(view) }

    func run(_ source: Activation, context: DNNLContext) throws(InferenceError) {
        let arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: source.memory), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: view)]
        try dnnlCheck(dnnl_primitive_execute(primitive.primitive, context.stream, 2, arguments), "copy channels")
    }
}
