import Foundation
import COpenBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Transformer's element-wise loops over flat row-major buffers (unsafe pointers, no
/// bounds checks, no allocation) and its strided GEMM.
enum TransformerKernels {
    /// C[m x n] = alpha * A[m x k] * op(B) + beta * C with explicit leading dimensions;
    /// B is [n x k] (transB) or [k x n].
    @inline(__always)
    static func gemm(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                     _ c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0) {
        if m == 0 || n == 0 { return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `gemm` on `parts` threads, each computing a contiguous block of C's columns (all rows:
    /// B [n x k] with transB, or B [k x n]) with BLAS on one thread; one part calls `gemm`
    /// directly. Splitting columns keeps every part's row count (the tokens) whole, which is
    /// where one-thread GEMM efficiency comes from at 128 rows.
    static func gemmParallel(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                             _ c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0,
                             parts: Int) {
        // Column blocks in multiples of 16 (the kernels' register width times two).
        let p = max(1, min(parts, n / 64))
        if p == 1 { gemm(a, lda: lda, b, ldb: ldb, transB: transB, c, ldc: ldc, m: m, n: n, k: k, alpha: alpha, beta: beta); return }
        DispatchQueue.concurrentPerform(iterations: p) { part in
            let lo = (part * n / p) / 16 * 16, hi = part == p - 1 ? n : ((part + 1) * n / p) / 16 * 16
            if hi <= lo { return }
            let bPart = transB ? b + lo * ldb : b + lo
            gemm(a, lda: lda, bPart, ldb: ldb, transB: transB, c + lo, ldc: ldc, m: m, n: hi - lo, k: k, alpha: alpha, beta: beta)
        }
    }

    /// Copies `bias` [n] into every row of x [rows x n] (the GEMM then accumulates with beta 1).
    static func fillRows(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, rows: Int, n: Int) {
        for r in 0..<rows { (x + r * n).update(from: bias, count: n) }
    }

    /// x[r] = LayerNorm(x[r] + residual[r]) * gamma + beta for rows in `rows` (residual may be nil).
    static func addLayerNorm(_ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, gamma: UnsafePointer<Float>,
                             beta: UnsafePointer<Float>, rows: Range<Int>, n: Int, eps: Float) {
        for r in rows {
            let row = x + r * n
            if let res = residual {
                let rr = res + r * n
                for j in 0..<n { row[j] += rr[j] }
            }
            let mean = VectorMath.sum(row, count: n) / Float(n)
            let v = VectorMath.sum(row, count: n, squaredMinus: mean)
            let inv = 1 / (v / Float(n) + eps).squareRoot()
            for j in 0..<n { row[j] = (row[j] - mean) * inv * gamma[j] + beta[j] }
        }
    }

    /// In-place activation over x[range]; eight lanes at a time (`VectorMath`), the C library
    /// for the last few.
    static func activate(_ x: UnsafeMutablePointer<Float>, range: Range<Int>, kind: String) {
        typealias V = SIMD8<Float>
        let whole = range.lowerBound + (range.count / 8) * 8
        switch kind {
        case "relu": for i in range where x[i] < 0 { x[i] = 0 }
        case "gelu_new", "gelu_pytorch_tanh":
            let c: Float = 0.7978845608028654
            for i in stride(from: range.lowerBound, to: whole, by: 8) {
                let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
                let y = 0.5 * v * (1 + VectorMath.tanh(c * (v + 0.044715 * v * v * v)))
                UnsafeMutableRawPointer(x + i).storeBytes(of: y, as: V.self)
            }
            for i in whole..<range.upperBound { let v = x[i]; x[i] = 0.5 * v * (1 + tanhf(c * (v + 0.044715 * v * v * v))) }
        default:
            // Exact GELU: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)).
            let r: Float = 0.7071067811865476
            for i in stride(from: range.lowerBound, to: whole, by: 8) {
                let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
                let y = 0.5 * v * (1 + VectorMath.erf(v * r))
                UnsafeMutableRawPointer(x + i).storeBytes(of: y, as: V.self)
            }
            for i in whole..<range.upperBound { let v = x[i]; x[i] = 0.5 * v * (1 + erff(v * r)) }
        }
    }

    /// Softmax of each row of s [rows x n] (row stride `ld`), with an optional additive key mask
    /// [n]; exponentials eight lanes at a time (`VectorMath.exp`).
    static func softmaxRows(_ s: UnsafeMutablePointer<Float>, rows: Int, n: Int, ld: Int, mask: UnsafePointer<Float>?) {
        typealias V = SIMD8<Float>
        let whole = (n / 8) * 8
        for r in 0..<rows {
            let row = s + r * ld
            if let m = mask { for j in 0..<n { row[j] += m[j] } }
            let mx = VectorMath.max(row, count: n)
            let vmx = V(repeating: mx)
            var vsum = V(repeating: 0)
            for j in stride(from: 0, to: whole, by: 8) {
                let e = VectorMath.exp(UnsafeRawPointer(row + j).loadUnaligned(as: V.self) - vmx)
                UnsafeMutableRawPointer(row + j).storeBytes(of: e, as: V.self)
                vsum += e
            }
            var sum = vsum.sum()
            for j in whole..<n { let e = expf(row[j] - mx); row[j] = e; sum += e }
            let inv = 1 / sum
            for j in 0..<n { row[j] *= inv }
        }
    }

    /// Splits 0..<n into at most `parts` contiguous ranges and runs `body` on each, in parallel
    /// when there is more than one.
    static func parallel(_ n: Int, parts: Int, _ body: (Range<Int>) -> Void) {
        parallelParts(n, parts: parts) { _, r in body(r) }
    }

    /// As `parallel`, also passing the part's number (0..<parts), e.g. to pick a scratch buffer.
    static func parallelParts(_ n: Int, parts: Int, _ body: (Int, Range<Int>) -> Void) {
        let p = max(1, min(parts, n))
        if p == 1 { body(0, 0..<n); return }
        DispatchQueue.concurrentPerform(iterations: p) { k in
            body(k, (k * n / p)..<((k + 1) * n / p))
        }
    }
}
