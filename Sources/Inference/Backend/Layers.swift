import CDNNL

/// A 2-D convolution (weights OIHW, optional bias) with post-ops, on the context's layouts.
struct ConvLayer {
    let primitive: PostOpPrimitive
    let output: (channels: Int, height: Int, width: Int)

    /// Shapes and layouts come from `source` and `destination` (checked against the weights).
    init(weights: [Float], bias: [Float]?, outChannels: Int, inChannels: Int, kernel: Int, stride: Int, padding: Int,
         source: Activation, destination: Activation, postOps: [PostOp], context: DNNLContext, name: String) throws(InferenceError) {
        let outH = (source.height + 2 * padding - kernel) / stride + 1
        let outW = (source.width + 2 * padding - kernel) / stride + 1
        output = (outChannels, outH, outW)
        guard source.channels == inChannels, destination.channels == outChannels, destination.height == outH, destination.width == outW else {
            throw InferenceError("internal shape error at \(name)")
        }
        var src = source.descriptor
        var dst = destination.descriptor
        var weightsAny = ConstantLayout.any([outChannels, inChannels, kernel, kernel])
        var biasDesc = ConstantLayout.make([outChannels], tag: dnnl_x)
        var desc = dnnl_convolution_desc_t()
        let strides: [Int64] = [Int64(stride), Int64(stride)]
        let pads: [Int64] = [Int64(padding), Int64(padding)]
        let status = withUnsafeMutablePointer(to: &biasDesc) { biasPointer in
            dnnl_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &weightsAny,
                                               bias == nil ? nil : biasPointer, &dst, strides, pads, pads)
        }
        try dnnlCheck(status, "describe convolution \(name)")
        var constants = [ConstantInput(query: dnnl_query_weights_md, argument: DNNL_ARG_WEIGHTS, values: weights,
                                       layout: ConstantLayout.make([outChannels, inChannels, kernel, kernel], tag: dnnl_oihw))]
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

/// Max pooling 2x2, stride 2, no padding.
struct MaxPoolLayer {
    let primitive: Primitive

    init(source: Activation, destination: Activation, context: DNNLContext) throws(InferenceError) {
        var src = source.descriptor
        var dst = destination.descriptor
        var desc = dnnl_pooling_desc_t()
        let two: [Int64] = [2, 2], zero: [Int64] = [0, 0]
        try dnnlCheck(dnnl_pooling_forward_desc_init(&desc, dnnl_forward_inference, dnnl_pooling_max, &src, &dst, two, two, zero, zero),
                      "describe max pooling")
        primitive = try Primitive(descriptor: &desc, context: context, what: "max pooling")
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

/// dst = a * b elementwise (same shapes), optionally accumulated: dst += a * b.
struct MultiplyLayer {
    let primitive: PostOpPrimitive

    init(a: Activation, b: Activation, destination: Activation, accumulate: Bool, context: DNNLContext) throws(InferenceError) {
        var mdA = a.descriptor, mdB = b.descriptor, mdDst = destination.descriptor
        var desc = dnnl_binary_desc_t()
        try dnnlCheck(dnnl_binary_desc_init(&desc, dnnl_binary_mul, &mdA, &mdB, &mdDst), "describe a multiplication")
        primitive = try PostOpPrimitive(descriptor: &desc, postOps: accumulate ? [.sum] : [], destination: destination,
                                        context: context, what: "multiplication")
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
