import CDNNL

/// Operations oneDNN fuses after a primitive, in order.
enum PostOp: CustomStringConvertible {
    /// dst = result + dst (the residual add: dst holds the identity before the call).
    case sum
    case relu
    case sigmoid

    var description: String {
        switch self {
        case .sum: "sum"
        case .relu: "ReLU"
        case .sigmoid: "sigmoid"
        }
    }
}

/// A primitive-attribute object holding `postOps`; destroyed with this value's owner.
final class PrimitiveAttributes {
    let attributes: dnnl_primitive_attr_t

    init(_ postOps: [PostOp]) throws(InferenceError) {
        var attributes: dnnl_primitive_attr_t?
        try dnnlCheck(dnnl_primitive_attr_create(&attributes), "create primitive attributes")
        self.attributes = attributes!
        guard !postOps.isEmpty else { return }
        var ops: dnnl_post_ops_t?
        try dnnlCheck(dnnl_post_ops_create(&ops), "create post-ops")
        defer { dnnl_post_ops_destroy(ops) }
        for op in postOps {
            switch op {
            case .sum: try dnnlCheck(dnnl_post_ops_append_sum(ops, 1), "append a sum post-op")
            case .relu: try dnnlCheck(dnnl_post_ops_append_eltwise(ops, 1, dnnl_eltwise_relu, 0, 0), "append a ReLU post-op")
            case .sigmoid: try dnnlCheck(dnnl_post_ops_append_eltwise(ops, 1, dnnl_eltwise_logistic, 0, 0), "append a sigmoid post-op")
            }
        }
        try dnnlCheck(dnnl_primitive_attr_set_post_ops(self.attributes, ops), "set post-ops")
    }

    deinit { dnnl_primitive_attr_destroy(attributes) }
}

/// A primitive and its post-ops, fused where oneDNN can create the primitive with them on this
/// CPU (and `BackendConfiguration.fusePostOps` allows), else run as separate primitives after it:
/// ReLU and sigmoid as in-place eltwise primitives, the residual sum as an in-place binary add.
/// No primitive with post-ops can then be missing on any CPU: without post-ops every primitive
/// segeval creates has a reference implementation at least. The fused attempt takes oneDNN's first
/// implementation only (`Primitive.create`, `firstOnly`): on AVX-512, oneDNN 2.6 offers a
/// resampling kernel for 8-channel blocks with the sigmoid post-op whose creation then fails
/// (`dnnl_runtime_error`, status 5), which is how earlier builds failed there; its separate
/// post-ops then run on oneDNN's first choices, not on the less used implementation it lists next.
/// A caller may also refuse fusion where oneDNN computes it wrong (`fusable`, `BinaryLayer`). The
/// paths differ only in float32 rounding of the activation functions' implementations.
final class PostOpPrimitive {
    private let main: Primitive
    /// Where the primitive itself writes: the destination, or a scratch tensor when a separate sum
    /// must still read the destination's previous value.
    private let scratch: Activation?
    private let separate: [Separate]

    private enum Separate {
        /// An eltwise primitive applied in place to the scratch tensor (true) or the destination.
        case eltwise(Primitive, onScratch: Bool)
        /// destination = destination + scratch.
        case addScratch(Primitive)
    }

    /// `descriptor`: the operation (a dnnl_*_desc_t) writing `destination`. At most one `.sum`.
    /// `fusable`: false where oneDNN creates the fused primitive but computes it wrong (the caller
    /// names the case, e.g. `BinaryLayer`); the post-ops then run separately.
    init<Descriptor>(descriptor: inout Descriptor, postOps: [PostOp], constants: [ConstantInput] = [], destination: Activation,
                     fusable: Bool = true, context: DNNLContext, what: String) throws(InferenceError) {
        precondition(postOps.filter { $0 == .sum }.count <= 1, "at most one sum post-op")
        if !postOps.isEmpty {
            context.record.primitivesWithPostOps += 1
            if let fused = try Primitive.create(&descriptor, attributes: try PrimitiveAttributes(postOps), context: context, what: what,
                                                firstOnly: true, refuse: !context.configuration.fusePostOps || !fusable) {
                main = try Primitive(fused, constants: constants, context: context, what: what)
                scratch = nil
                separate = []
                return
            }
            context.record.separatedPostOps += 1
        }
        main = try Primitive(descriptor: &descriptor, constants: constants, context: context, what: what)
        let scratch = postOps.contains(.sum)
            ? try Activation(channels: destination.channels, height: destination.height, width: destination.width,
                             allowBlocks: destination.isBlocked, context: context)
            : nil
        var separate: [Separate] = []
        var onScratch = scratch != nil
        for op in postOps {
            switch op {
            case .sum:
                separate.append(.addScratch(try Self.add(into: destination, scratch!, context: context, what: what)))
                onScratch = false
            case .relu, .sigmoid:
                var md = (onScratch ? scratch! : destination).descriptor
                var desc = dnnl_eltwise_desc_t()
                try dnnlCheck(dnnl_eltwise_forward_desc_init(&desc, dnnl_forward_inference, op == .relu ? dnnl_eltwise_relu : dnnl_eltwise_logistic,
                                                             &md, 0, 0), "describe the \(op) after \(what)")
                separate.append(.eltwise(try Primitive(descriptor: &desc, context: context, what: "the \(op) after \(what)"), onScratch: onScratch))
            }
        }
        self.scratch = scratch
        self.separate = separate
    }

    private static func add(into destination: Activation, _ scratch: Activation, context: DNNLContext,
                            what: String) throws(InferenceError) -> Primitive {
        var md = destination.descriptor, mdScratch = scratch.descriptor, mdDst = destination.descriptor
        var desc = dnnl_binary_desc_t()
        try dnnlCheck(dnnl_binary_desc_init(&desc, dnnl_binary_add, &md, &mdScratch, &mdDst), "describe the sum after \(what)")
        return try Primitive(descriptor: &desc, context: context, what: "the sum after \(what)")
    }

    /// Runs the primitive on `inputs` into `destination`, then the separate post-ops.
    func execute(_ inputs: [(Int32, Activation)], destination: Activation, context: DNNLContext) throws(InferenceError) {
        try main.execute(inputs + [(DNNL_ARG_DST, scratch ?? destination)], context: context)
        for step in separate {
            switch step {
            case .eltwise(let primitive, let onScratch):
                let target = onScratch ? scratch! : destination
                try primitive.execute([(DNNL_ARG_SRC, target), (DNNL_ARG_DST, target)], context: context)
            case .addScratch(let primitive):
                try primitive.execute([(DNNL_ARG_SRC_0, destination), (DNNL_ARG_SRC_1, scratch!), (DNNL_ARG_DST, destination)], context: context)
            }
        }
    }
}
