/// Element-wise functions eight lanes at a time, for the encoders' hot loops (LAC's GRU cells,
/// the Transformer's softmax and GELU). Tests compare them with the C library's functions.
enum VectorMath {
    typealias V = SIMD8<Float>

    /// e^x per lane (inputs clamped to [-87.3, 88.3], where the result stays a normal float):
    /// Cephes' expf polynomial, relative error about 2e-7.
    @inline(__always)
    static func exp(_ x: V) -> V {
        // Clamped by masked replacement: it compiles to vector compares and selects, where a
        // lane-by-lane loop compiled to scalar branches through the stack and SIMD's `clamped`
        // and `pointwiseMin` to calls (not inlined).
        var x = x
        x.replace(with: -87.3, where: x .< -87.3)
        x.replace(with: 88.3, where: x .> 88.3)
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

    /// erf(x) per lane: Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7 in exact arithmetic, 4.1e-7 measured in float) with the
    /// vector exp; odd, so computed on |x| and the sign put back.
    @inline(__always)
    static func erf(_ x: V) -> V {
        // |x| and the sign put back as bit operations (lane loops compile to scalar code).
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        let ax = unsafeBitCast(bits & 0x7FFF_FFFF, to: V.self)
        let t = 1 / (1 + 0.3275911 * ax)
        var p = V(repeating: 1.061405429)
        p = p * t - 1.453152027
        p = p * t + 1.421413741
        p = p * t - 0.284496736
        p = p * t + 0.254829592
        let y = 1 - p * t * exp(-(ax * ax))
        return unsafeBitCast(unsafeBitCast(y, to: SIMD8<UInt32>.self) ^ (bits & 0x8000_0000), to: V.self)
    }

    /// The largest of `n` floats (n >= 1), eight lanes at a time.
    @inline(__always)
    static func max(_ p: UnsafePointer<Float>, count n: Int) -> Float {
        var m = -Float.greatestFiniteMagnitude
        var j = 0
        if n >= 8 {
            var vm = V(repeating: m)
            while j + 8 <= n {
                let v = UnsafeRawPointer(p + j).loadUnaligned(as: V.self)
                vm.replace(with: v, where: v .> vm)
                j += 8
            }
            m = vm.max()
        }
        while j < n { if p[j] > m { m = p[j] }; j += 1 }
        return m
    }

    /// The sum of `n` floats, eight lanes at a time; with `squaredMinus` c, the sum of (x - c)^2.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, count n: Int, squaredMinus c: Float? = nil) -> Float {
        var acc = V(repeating: 0)
        var j = 0
        if let c {
            let vc = V(repeating: c)
            while j + 8 <= n { let d = UnsafeRawPointer(p + j).loadUnaligned(as: V.self) - vc; acc += d * d; j += 8 }
            var out = acc.sum()
            while j < n { let d = p[j] - c; out += d * d; j += 1 }
            return out
        }
        while j + 8 <= n { acc += UnsafeRawPointer(p + j).loadUnaligned(as: V.self); j += 8 }
        var out = acc.sum()
        while j < n { out += p[j]; j += 1 }
        return out
    }

    /// tanh(x) = 2 / (1 + e^-2x) - 1 per lane (absolute error about 1e-7).
    @inline(__always)
    static func tanh(_ x: V) -> V { 2 / (1 + exp(-2 * x)) - 1 }
}
