import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import WenshuModel

/// The eight-lane exp, erf and tanh against the C library, over the range the encoders use
/// and beyond (softmax inputs after the max is taken off are <= 0; GELU reads any x).
final class VectorMathTests: XCTestCase {
    func testAgainstTheCLibrary() {
        var worstExp: Float = 0, worstErf: Float = 0, worstTanh: Float = 0
        var x: Float = -30
        while x < 30 {
            let v = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0011 })
            let e = VectorMath.exp(v), f = VectorMath.erf(v), t = VectorMath.tanh(v)
            for k in 0..<8 {
                let ref = expf(v[k])
                if ref > 1e-30 { worstExp = max(worstExp, abs(e[k] - ref) / ref) }
                worstErf = max(worstErf, abs(f[k] - erff(v[k])))
                worstTanh = max(worstTanh, abs(t[k] - tanhf(v[k])))
            }
            x += 0.0093
        }
        XCTAssertLessThan(worstExp, 1e-6, "relative")
        XCTAssertLessThan(worstErf, 5e-7, "absolute (1.5e-7 in exact arithmetic, float rounding on top)")
        XCTAssertLessThan(worstTanh, 3e-7, "absolute")
        // Odd, bounded, exact at 0; no NaN at the extremes.
        let ext = SIMD8<Float>(-1e30, -500, -4, 0, 4, 500, 1e30, .infinity)
        let f = VectorMath.erf(ext)
        XCTAssertEqual(f[3], 0, accuracy: 1e-7)
        XCTAssertEqual(f[2], -f[4])
        for k in 0..<8 { XCTAssertFalse(f[k].isNaN, "\(ext[k])"); XCTAssertLessThanOrEqual(abs(f[k]), 1) }
        XCTAssertEqual(VectorMath.exp(SIMD8<Float>(repeating: -200))[0], expf(-87.3), accuracy: 1e-37)
    }

    /// The eight-lane max and sums against plain loops, on lengths with and without a tail
    /// (the softmax rows and LayerNorm rows of any sequence length).
    func testMaxAndSumsAgainstPlainLoops() {
        var rng = SystemRandomNumberGenerator()
        for n in [1, 7, 8, 9, 16, 63, 64, 129, 768] {
            let x = (0..<n).map { _ in Float.random(in: -50...50, using: &rng) }
            x.withUnsafeBufferPointer { p in
                XCTAssertEqual(VectorMath.max(p.baseAddress!, count: n), x.max()!, "n \(n)")
                let s = x.reduce(0, +)
                XCTAssertEqual(VectorMath.sum(p.baseAddress!, count: n), s, accuracy: 1e-3 * Float(n), "n \(n)")
                let mean = s / Float(n)
                let q = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                XCTAssertEqual(VectorMath.sum(p.baseAddress!, count: n, squaredMinus: mean), q, accuracy: 1e-4 * q + 1e-3, "n \(n)")
            }
        }
        // The maximum in the tail, and a row of equal values.
        let tail: [Float] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 100]
        tail.withUnsafeBufferPointer { XCTAssertEqual(VectorMath.max($0.baseAddress!, count: 10), 100) }
        let flat = [Float](repeating: -3, count: 24)
        flat.withUnsafeBufferPointer { XCTAssertEqual(VectorMath.max($0.baseAddress!, count: 24), -3) }
    }
}
