import CDNNL

/// Operations oneDNN fuses after a primitive, in order.
enum PostOp {
    /// dst = result + dst (the residual add: dst holds the identity before the call).
    case sum
    case relu
    case sigmoid
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
