import CDNNL

/// A constant input of a primitive (weights, bias): values in the layout `layout` describes,
/// reordered once, at creation, into the layout the primitive prefers for `query`.
struct ConstantInput {
    var query: dnnl_query_t
    /// 0 for weights, 1 for the bias (both are `dnnl_query_weights_md`).
    var queryIndex: Int32 = 0
    var argument: Int32
    var values: [Float]
    var layout: dnnl_memory_desc_t
}

/// A created oneDNN primitive plus the memory it owns (reordered weights, bias). Executes on
/// caller-supplied activations. Shapes are fixed at creation.
final class Primitive {
    let primitive: dnnl_primitive_t
    private var ownedMemory: [dnnl_memory_t] = []
    /// Fixed arguments (weights, bias) added to every execution.
    private var fixedArguments: [dnnl_exec_arg_t] = []

    /// Creates the primitive from an operation descriptor (`descriptor` is a dnnl_*_desc_t): the
    /// first implementation oneDNN offers whose primitive can be created (`create`).
    convenience init<Descriptor>(descriptor: inout Descriptor, attributes: PrimitiveAttributes? = nil, constants: [ConstantInput] = [],
                                 context: DNNLContext, what: String) throws(InferenceError) {
        guard let created = try Self.create(&descriptor, attributes: attributes, context: context, what: what,
                                            refuseFirst: context.configuration.refusedFirstImplementations) else {
            throw InferenceError("oneDNN has no implementation of \(what) that it can create on this CPU")
        }
        try self.init(created, constants: constants, context: context, what: what)
    }

    /// A created primitive and the descriptor of its implementation (destroyed by `init(_:…)`).
    struct Created {
        let primitive: dnnl_primitive_t
        let descriptor: dnnl_primitive_desc_t
    }

    /// A primitive of oneDNN's implementations of `descriptor` with `attributes`, in its order of
    /// preference, whose primitive can be created; nil when there is none (`dnnl_unimplemented`, or
    /// every creation tried failed). `firstOnly`: try oneDNN's first implementation only, which is
    /// what a primitive with fused post-ops uses: 2.6 offers its AVX-512 resampling for `nChw8c`
    /// tensors with a sigmoid post-op, whose `dnnl_primitive_create` then fails
    /// (`dnnl_runtime_error`, status 5); the caller then runs the post-ops as separate primitives,
    /// each on oneDNN's first choice, rather than on a less used implementation with the post-ops
    /// (`simple:any` there). Without post-ops the list is walked on to the next implementation.
    /// `refuse`: treat every creation as failed (the `SEGEVAL_POST_OPS=separate` switch drives the
    /// separate path on any CPU); `refuseFirst`: the first this many, where oneDNN lists a later
    /// one (tests: the walk).
    static func create<Descriptor>(_ descriptor: inout Descriptor, attributes: PrimitiveAttributes?, context: DNNLContext,
                                   what: String, firstOnly: Bool = false, refuse: Bool = false,
                                   refuseFirst: Int = 0) throws(InferenceError) -> Created? {
        var iterator: dnnl_primitive_desc_iterator_t?
        let status = withUnsafePointer(to: &descriptor) { pointer in
            dnnl_primitive_desc_iterator_create(&iterator, UnsafeRawPointer(pointer), attributes?.attributes, context.engine, nil)
        }
        if status == dnnl_unimplemented { return nil }
        try dnnlCheck(status, "list the implementations of \(what)")
        defer { dnnl_primitive_desc_iterator_destroy(iterator) }
        var skipped = 0
        // The first implementation a test refused, tried after all when oneDNN lists no other.
        var refusedForTest: dnnl_primitive_desc_t?
        defer { if let refusedForTest { dnnl_primitive_desc_destroy(refusedForTest) } }
        repeat {
            guard let pd = dnnl_primitive_desc_iterator_fetch(iterator) else {
                throw InferenceError("oneDNN could not describe an implementation of \(what)")
            }
            var primitive: dnnl_primitive_t?
            if !refuse, skipped < refuseFirst, refusedForTest == nil {
                refusedForTest = pd
            } else if !refuse, skipped >= refuseFirst, dnnl_primitive_create(&primitive, pd) == dnnl_success, let primitive {
                if skipped > 0 { context.record.laterImplementations += 1 }
                return Created(primitive: primitive, descriptor: pd)
            } else {
                dnnl_primitive_desc_destroy(pd)
            }
            skipped += 1
        } while !firstOnly && dnnl_primitive_desc_iterator_next(iterator) == dnnl_success
        if let pd = refusedForTest {
            refusedForTest = nil
            var primitive: dnnl_primitive_t?
            if dnnl_primitive_create(&primitive, pd) == dnnl_success, let primitive { return Created(primitive: primitive, descriptor: pd) }
            dnnl_primitive_desc_destroy(pd)
        }
        return nil
    }

    /// Takes a created primitive and reorders its constant inputs into its layouts.
    init(_ created: Created, constants: [ConstantInput], context: DNNLContext, what: String) throws(InferenceError) {
        primitive = created.primitive
        defer { dnnl_primitive_desc_destroy(created.descriptor) }
        for constant in constants {
            try attach(constant, pd: created.descriptor, context: context)
        }
    }

    /// Takes ownership of an already created primitive without constant inputs.
    init(wrapping primitive: dnnl_primitive_t) {
        self.primitive = primitive
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        for memory in ownedMemory { dnnl_memory_destroy(memory) }
    }

    /// Runs with the given activation arguments (plus the constant ones). Asynchronous in
    /// principle; the CPU stream runs it before returning.
    func execute(_ arguments: [(Int32, Activation)], context: DNNLContext) throws(InferenceError) {
        var all = fixedArguments
        for (kind, activation) in arguments { all.append(dnnl_exec_arg_t(arg: kind, memory: activation.memory)) }
        try dnnlCheck(dnnl_primitive_execute(primitive, context.stream, Int32(all.count), all), "execute a primitive")
    }

    private func attach(_ constant: ConstantInput, pd: dnnl_primitive_desc_t, context: DNNLContext) throws(InferenceError) {
        guard let target = dnnl_primitive_desc_query_md(pd, constant.query, constant.queryIndex) else {
            throw InferenceError("oneDNN did not report a layout for a constant input")
        }
        var targetDescriptor = target.pointee
        var sourceDescriptor = constant.layout
        var destination: dnnl_memory_t?
        try dnnlCheck(dnnl_memory_create(&destination, &targetDescriptor, context.engine, cdnnl_memory_allocate()), "allocate weights")
        ownedMemory.append(destination!)
        let staging = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(constant.values.count, 1))
        defer { staging.deallocate() }
        _ = staging.initialize(from: constant.values)
        var source: dnnl_memory_t?
        try dnnlCheck(dnnl_memory_create(&source, &sourceDescriptor, context.engine, staging.baseAddress), "wrap weights")
        defer { dnnl_memory_destroy(source) }
        var reorderPD: dnnl_primitive_desc_t?
        try dnnlCheck(dnnl_reorder_primitive_desc_create(&reorderPD, &sourceDescriptor, context.engine, &targetDescriptor, context.engine, nil), "plan a weights reorder")
        defer { dnnl_primitive_desc_destroy(reorderPD) }
        var reorder: dnnl_primitive_t?
        try dnnlCheck(dnnl_primitive_create(&reorder, reorderPD), "create a weights reorder")
        defer { dnnl_primitive_destroy(reorder) }
        let arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: source), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: destination)]
        try dnnlCheck(dnnl_primitive_execute(reorder, context.stream, 2, arguments), "reorder weights")
        try context.wait()
        fixedArguments.append(dnnl_exec_arg_t(arg: constant.argument, memory: destination))
    }
}

/// Plain-layout descriptors for constant inputs.
enum ConstantLayout {
    static func make(_ dims: [Int], tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        let dims64 = dims.map { Int64($0) }
        dnnl_memory_desc_init_by_tag(&descriptor, Int32(dims.count), dims64, dnnl_f32, tag)
        return descriptor
    }

    static func any(_ dims: [Int]) -> dnnl_memory_desc_t { make(dims, tag: dnnl_format_tag_any) }
}
