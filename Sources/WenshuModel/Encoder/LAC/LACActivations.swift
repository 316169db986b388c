/// Vectorised sigmoid and tanh for LAC's GRU cells, eight lanes at a time, from one exp
/// approximation (`VectorMath.exp`, Cephes' expf polynomial: relative error about 2e-7 on the
/// whole float range that does not overflow). `LACBiGRULayer.stepReference` computes the same cell with the C
/// library's `expf` / `tanhf`; the tests compare the two.
enum LACActivations {
    typealias V = SIMD8<Float>

    /// e^x per lane (`VectorMath.exp`).
    @inline(__always)
    static func exp(_ x: V) -> V { VectorMath.exp(x) }

    /// 1 / (1 + e^-x) per lane.
    @inline(__always)
    static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    /// tanh(x) per lane (`VectorMath.tanh`).
    @inline(__always)
    static func tanh(_ x: V) -> V { VectorMath.tanh(x) }
}
