import COpenBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Kernels are free functions over flat row-major Float buffers. Each carries its shapes
// in a one-line comment; a naive reference version sits beside each fast one and the
// tests compare them.

/// C[m x n] = alpha * op(A) * op(B) + beta * C, op(A) [m x k], op(B) [k x n]; A stored [m x k] or, with transA, [k x m]; B stored [k x n] or, with transB, [n x k]. OpenBLAS sgemm.
public func matmul(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                   m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false,
                   alpha: Float = 1, beta: Float = 0) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        for i in 0..<(m * n) { c[i] = beta == 0 ? 0 : beta * c[i] }
        return
    }
    let lda = transA ? m : k
    let ldb = transB ? k : n
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(n))
}

/// Same contract as `matmul`, three plain loops (reference for tests).
public func matmulNaive(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                        m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false,
                        alpha: Float = 1, beta: Float = 0) {
    for i in 0..<m {
        for j in 0..<n {
            var s: Float = 0
            for p in 0..<k {
                let av = transA ? a[p * m + i] : a[i * k + p]
                let bv = transB ? b[j * k + p] : b[p * n + j]
                s += av * bv
            }
            c[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * n + j])
        }
    }
}

/// Matrix form: C = op(A) op(B) ([m x k] x [k x n] -> [m x n]) through sgemm.
public func matmul(_ a: Matrix, _ b: Matrix, transA: Bool = false, transB: Bool = false) -> Matrix {
    matrixProduct(a, b, transA: transA, transB: transB) {
        matmul($0, $1, $2, m: $3, n: $4, k: $5, transA: transA, transB: transB)
    }
}

/// Matrix form of `matmulNaive`.
public func matmulNaive(_ a: Matrix, _ b: Matrix, transA: Bool = false, transB: Bool = false) -> Matrix {
    matrixProduct(a, b, transA: transA, transB: transB) {
        matmulNaive($0, $1, $2, m: $3, n: $4, k: $5, transA: transA, transB: transB)
    }
}

/// Shapes and buffers of op(A) op(B) for a pointer kernel (a, b, c, m, n, k).
private func matrixProduct(_ a: Matrix, _ b: Matrix, transA: Bool, transB: Bool,
                           _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int, Int) -> Void) -> Matrix {
    let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols
    let n = transB ? b.rows : b.cols
    var c = Matrix(rows: m, cols: n)
    a.data.withUnsafeBufferPointer { pa in
        b.data.withUnsafeBufferPointer { pb in
            c.data.withUnsafeMutableBufferPointer { pc in
                kernel(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, m, n, k)
            }
        }
    }
    return c
}

/// y[n] += alpha * x[n] (BLAS saxpy).
public func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int) {
    cblas_saxpy(Int32(n), alpha, x, 1, y, 1)
}

/// y[n] += alpha * x[n], plain loop.
public func axpyNaive(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int) {
    for i in 0..<n { y[i] += alpha * x[i] }
}

/// Array form: y[n] += alpha * x[n].
public func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) {
    let n = min(x.count, y.count)
    x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in axpy(alpha, px.baseAddress!, py.baseAddress!, n: n) } }
}

/// x[n] . y[n] (BLAS sdot).
public func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, n: Int) -> Float { cblas_sdot(Int32(n), x, 1, y, 1) }

/// x[n] . y[n], plain loop.
public func dotNaive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, n: Int) -> Float {
    var s: Float = 0
    for i in 0..<n { s += x[i] * y[i] }
    return s
}

/// x[rows x cols] += bias[cols] on every row.
public func addRowVector(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, rows: Int, cols: Int) {
    for r in 0..<rows { axpy(1, bias, x + r * cols, n: cols) }
}

/// out[cols] += column sums of x[rows x cols].
public func sumRows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
    for r in 0..<rows { axpy(1, x + r * cols, out, n: cols) }
}

/// log(sum(exp(x[n]))), max-shifted for stability; -inf for n == 0.
public func logSumExp(_ x: UnsafePointer<Float>, n: Int) -> Float {
    if n == 0 { return -.infinity }
    var m = x[0]
    for i in 1..<n where x[i] > m { m = x[i] }
    if m == -.infinity { return m }
    var s: Float = 0
    for i in 0..<n { s += expf(x[i] - m) }
    return m + logf(s)
}

/// log(sum(exp(x))), Double array form.
public func logSumExp(_ x: [Double]) -> Double {
    guard let m = x.max(), m > -.infinity else { return -.infinity }
    var s = 0.0
    for v in x { s += exp(v - m) }
    return m + log(s)
}

/// log(sum(exp(x))) without the max shift (reference; overflows on large inputs).
public func logSumExpNaive(_ x: [Float]) -> Float { logf(x.reduce(0) { $0 + expf($1) }) }

/// x[rows x cols]: softmax over each row in place (max-shifted).
public func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
    for r in 0..<rows {
        let p = x + r * cols
        var m = p[0]
        for i in 1..<cols where p[i] > m { m = p[i] }
        var s: Float = 0
        for i in 0..<cols { p[i] = expf(p[i] - m); s += p[i] }
        let inv = 1 / s
        for i in 0..<cols { p[i] *= inv }
    }
}

/// Array form: softmax of x[n].
public func softmax(_ x: [Float]) -> [Float] {
    var y = x
    if y.isEmpty { return y }
    y.withUnsafeMutableBufferPointer { softmaxRows($0.baseAddress!, rows: 1, cols: x.count) }
    return y
}

/// Softmax of x[n] straight from the definition exp(x_i) / sum exp(x_j) (reference).
public func softmaxNaive(_ x: [Float]) -> [Float] {
    let e = x.map { expf($0) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}

/// Logistic function 1 / (1 + e^-x), stable for large |x|.
@inlinable public func sigmoid(_ x: Float) -> Float {
    x >= 0 ? 1 / (1 + expf(-x)) : { let e = expf(x); return e / (1 + e) }()
}

/// x[n] -> sigmoid(x) in place.
public func sigmoidInPlace(_ x: UnsafeMutablePointer<Float>, n: Int) { for i in 0..<n { x[i] = sigmoid(x[i]) } }

/// x[n] -> tanh(x) in place, by the rational approximation Eigen uses for float tanh
/// (odd polynomial of degree 13 over an even one of degree 6, inputs clamped to ±7.9053;
/// within 4e-7 of `tanhf` everywhere, a few ulps near ±1, see KernelTests). Branch-free, so the loop vectorises:
/// the scalar `tanhf` was 15% of a pipeline run's time in the encoder's context layer.
public func tanhInPlace(_ x: UnsafeMutablePointer<Float>, n: Int) { for i in 0..<n { x[i] = fastTanh(x[i]) } }

/// tanh by Eigen's float rational approximation (see `tanhInPlace`).
@inlinable public func fastTanh(_ v: Float) -> Float {
    let c: Float = 7.90531110763549805
    let x = min(max(v, -c), c)
    let x2 = x * x
    var p: Float = -2.76076847742355e-16
    p = p * x2 + 2.00018790482477e-13
    p = p * x2 + -8.60467152213735e-11
    p = p * x2 + 5.12229709037114e-08
    p = p * x2 + 1.48572235717979e-05
    p = p * x2 + 6.37261928875436e-04
    p = p * x2 + 4.89352455891786e-03
    p *= x
    var q: Float = 1.19825839466702e-06
    q = q * x2 + 1.18534705686654e-04
    q = q * x2 + 2.26843463243900e-03
    q = q * x2 + 4.89352518554385e-03
    return p / q
}

/// dx[n] = dy[n] * (1 - y[n]^2): the tanh backward given its output y.
public func tanhBackward(_ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>, n: Int) {
    for i in 0..<n { dy[i] *= 1 - y[i] * y[i] }
}
