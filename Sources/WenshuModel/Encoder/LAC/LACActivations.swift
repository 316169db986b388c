/// Vectorised sigmoid and tanh for LAC's GRU cells, eight lanes at a time, from one exp
/// approximation (Cephes' expf polynomial: relative error about 2e-7 on the whole float range
/// that does not overflow). `LACBiGRULayer.stepReference` computes the same cell with the C
/// library's `expf` / `tanhf`; the tests compare the two.
enum LACActivations {
    typealias V = SIMD8<Float>

    /// e^x per lane (inputs clamped to [-87.3, 88.3], where the result stays a normal float).
    @inline(__always)
    static func exp(_ x: V) -> V {
        // Clamped lane by lane (the loop becomes vector min/max; SIMD's `clamped` is not inlined).
        var x = x
        for k in 0..<8 { x[k] = Swift.min(Swift.max(x[k], -87.3), 88.3) }
        // n = round(x / ln 2) by the 1.5 * 2^23 trick: adding it rounds to an integer (to nearest
        // even) and leaves that integer in the low mantissa bits of t.
        let magic = V(repeating: 12_582_912)
        let t = x * 1.442695041 + magic
        let n = t - magic
        // r = x - n ln 2, with ln 2 split in two for accuracy.
        let r = x - n * 0.693359375 + n * 2.12194440e-4
        var p = V(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        // 2^n built in the exponent bits: t's bits are 0x4B400000 + n.
        let bits = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127
        return p * unsafeBitCast(bits &<< 23, to: V.self)
    }

    /// 1 / (1 + e^-x) per lane.
    @inline(__always)
    static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    /// tanh(x) = 2 sigmoid(2x) - 1 per lane (absolute error about 1e-7).
    @inline(__always)
    static func tanh(_ x: V) -> V { 2 / (1 + exp(-2 * x)) - 1 }
}
