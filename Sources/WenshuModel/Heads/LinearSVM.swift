import Foundation
import WenshuTensor

/// One-vs-rest linear SVMs, L2-regularised with the squared hinge loss, solved in the dual by
/// coordinate descent (the algorithm of liblinear's solver 1, which scikit-learn's LinearSVC
/// wraps; Hsieh et al. 2008), over examples that are a sparse vector plus a dense one, with a
/// bias feature of value 1 (regularised, as liblinear's). Per label l:
///
///   min_w  1/2 |w|^2 + sum_i C_i max(0, 1 - y_i w.x_i)^2,   y_i = +1 when l is a gold label of i
///
/// with C_i = C * (class weight of y_i): `balanced` weights n / (2 n_pos) and n / (2 n_neg).
struct LinearSVM {
    /// Example i's sparse part: columns cols[rowStart[i]..<rowStart[i+1]] with vals (same range).
    var rowStart: [Int]
    var cols: [Int32]
    var vals: [Float]
    /// Width of the sparse part.
    var sparseWidth: Int
    /// Dense parts [n x denseWidth], row-major (denseWidth may be 0).
    var dense: [Float]
    var denseWidth: Int
    var n: Int { rowStart.count - 1 }

    /// Weights of one label: sparse [sparseWidth], dense [denseWidth], bias.
    struct Weights { var sparse: [Float]; var dense: [Float]; var bias: Float }

    /// Fits label `positive(i)` against the rest; stops when the projected-gradient spread
    /// falls under `epsilon` or after `maxIterations` passes over the examples.
    func fit(positive: (Int) -> Bool, C: Double, balanced: Bool, epsilon: Double = 0.1, maxIterations: Int = 200, seed: UInt64) -> Weights {
        let n = self.n
        let y = (0..<n).map { positive($0) ? Float(1) : -1 }
        let nPos = y.filter { $0 > 0 }.count
        var w = Weights(sparse: [Float](repeating: 0, count: sparseWidth), dense: [Float](repeating: 0, count: denseWidth), bias: 0)
        if n == 0 { return w }
        let cPos = balanced && nPos > 0 ? C * Double(n) / (2 * Double(nPos)) : C
        let cNeg = balanced && nPos < n ? C * Double(n) / (2 * Double(n - nPos)) : C
        let diag = (0..<n).map { Float(1 / (2 * (y[$0] > 0 ? cPos : cNeg))) }
        var qd = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var s: Float = 1 + diag[i]
            for k in rowStart[i]..<rowStart[i + 1] { s += vals[k] * vals[k] }
            for d in 0..<denseWidth { let v = dense[i * denseWidth + d]; s += v * v }
            qd[i] = s
        }
        var alpha = [Float](repeating: 0, count: n)
        var order = Array(0..<n)
        var rng = SeededRandom(seed: seed)
        let D = denseWidth
        rowStart.withUnsafeBufferPointer { rs in cols.withUnsafeBufferPointer { cs in vals.withUnsafeBufferPointer { vs in
        dense.withUnsafeBufferPointer { dn in w.sparse.withUnsafeMutableBufferPointer { ws in w.dense.withUnsafeMutableBufferPointer { wd in
            var bias: Float = 0
            for _ in 0..<maxIterations {
                order = rng.shuffled(order)
                var pgMax = -Float.infinity, pgMin = Float.infinity
                for i in order {
                    var m = bias
                    for k in rs[i]..<rs[i + 1] { m += ws[Int(cs[k])] * vs[k] }
                    if D > 0 { m += dot(wd.baseAddress!, dn.baseAddress! + i * D, n: D) }
                    let g = y[i] * m - 1 + diag[i] * alpha[i]
                    let pg = alpha[i] == 0 ? min(g, 0) : g
                    pgMax = max(pgMax, pg); pgMin = min(pgMin, pg)
                    if abs(pg) > 1e-12 {
                        let old = alpha[i]
                        alpha[i] = max(old - g / qd[i], 0)
                        let step = (alpha[i] - old) * y[i]
                        if step != 0 {
                            for k in rs[i]..<rs[i + 1] { ws[Int(cs[k])] += step * vs[k] }
                            if D > 0 { axpy(step, dn.baseAddress! + i * D, wd.baseAddress!, n: D) }
                            bias += step
                        }
                    }
                }
                if Double(pgMax - pgMin) < epsilon { break }
            }
            w.bias = bias
        } } } } } }
        return w
    }
}
