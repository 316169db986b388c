import Foundation
import WenshuTensor

/// Gradient rows of a sparse (embedding) parameter: only touched rows are stored.
struct SparseRows {
    let dim: Int
    var index: [Int32: Int] = [:]
    var rows: [Int32] = []
    var data: [Float] = []

    init(dim: Int) { self.dim = dim }

    /// The offset of `row`'s gradient in `data`, created zeroed when new.
    mutating func offset(of row: Int32) -> Int {
        if let o = index[row] { return o }
        let o = data.count
        index[row] = o
        rows.append(row)
        data.append(contentsOf: repeatElement(0, count: dim))
        return o
    }

    mutating func clear() { index.removeAll(keepingCapacity: true); rows.removeAll(keepingCapacity: true); data.removeAll(keepingCapacity: true) }
}

/// Gradient accumulators for a set of parameters (one per training thread; merged in a
/// fixed order so a run with the same thread count is reproducible).
final class Gradients {
    var dense: [ObjectIdentifier: [Float]] = [:]
    var sparse: [ObjectIdentifier: SparseRows] = [:]
    let params: [Parameter]

    init(_ params: [Parameter]) {
        self.params = params
        for p in params {
            if p.sparse { sparse[ObjectIdentifier(p)] = SparseRows(dim: p.rowSize) }
            else { dense[ObjectIdentifier(p)] = [Float](repeating: 0, count: p.count) }
        }
    }

    /// Runs `body` on the dense gradient buffer of `p` (no-op when `p` is not trained).
    @inline(__always)
    func withDense(_ p: Parameter, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        let id = ObjectIdentifier(p)
        guard dense[id] != nil else { return }
        dense[id]!.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// Runs `body` on the dense gradient buffers of several parameters at once, in order
    /// (no-op unless all are trained). The buffers leave the dictionary while `body` runs, so
    /// holding them together is no overlapping access to it.
    func withDense(_ ps: [Parameter], _ body: ([UnsafeMutablePointer<Float>]) -> Void) {
        let ids = ps.map(ObjectIdentifier.init)
        guard Set(ids).count == ids.count, ids.allSatisfy({ dense[$0] != nil }) else { return }
        func nest(_ rest: ArraySlice<ObjectIdentifier>, _ ptrs: [UnsafeMutablePointer<Float>]) {
            guard let id = rest.first else { body(ptrs); return }
            var b = dense.removeValue(forKey: id)!
            b.withUnsafeMutableBufferPointer { nest(rest.dropFirst(), ptrs + [$0.baseAddress!]) }
            dense[id] = b
        }
        nest(ids[...], [])
    }

    /// True when gradients for `p` are collected.
    func has(_ p: Parameter) -> Bool { dense[ObjectIdentifier(p)] != nil || sparse[ObjectIdentifier(p)] != nil }

    /// Adds `scale * g[dim]` to row `row` of sparse parameter `p`.
    func addRow(_ p: Parameter, row: Int32, _ g: UnsafePointer<Float>, scale: Float) {
        let id = ObjectIdentifier(p)
        guard sparse[id] != nil else { return }
        let o = sparse[id]!.offset(of: row)
        let n = p.rowSize
        sparse[id]!.data.withUnsafeMutableBufferPointer { b in
            let dst = b.baseAddress! + o
            for i in 0..<n { dst[i] += scale * g[i] }
        }
    }

    func zero() {
        for k in Array(dense.keys) { let n = dense[k]!.count; dense[k] = [Float](repeating: 0, count: n) }
        for k in sparse.keys { sparse[k]!.clear() }
    }

    /// Adds another accumulator into this one.
    func add(_ other: Gradients) {
        for (k, g) in other.dense { axpy(1, g, &dense[k]!) }
        for (k, s) in other.sparse {
            for (i, r) in s.rows.enumerated() {
                let o = sparse[k]!.offset(of: r)
                s.data.withUnsafeBufferPointer { src in
                    sparse[k]!.data.withUnsafeMutableBufferPointer { axpy(1, src.baseAddress! + i * s.dim, $0.baseAddress! + o, n: s.dim) }
                }
            }
        }
    }
}

/// Adam (dense) and lazy Adam (sparse rows: only touched rows and their moments move).
struct AdamOptimizer {
    var learningRate: Float
    var beta1: Float = 0.9
    var beta2: Float = 0.999
    var eps: Float = 1e-8
    var clipNorm: Float = 5
    var step: Int32 = 0

    mutating func apply(_ g: Gradients, scale: Float) {
        step += 1
        // Global-norm clipping over every gradient.
        var sq: Float = 0
        for p in g.params {
            let id = ObjectIdentifier(p)
            if let d = g.dense[id] { for v in d { sq += v * v } }
            if let s = g.sparse[id] { for v in s.data { sq += v * v } }
        }
        let norm = sqrtf(sq) * scale
        let s = norm > clipNorm ? scale * clipNorm / norm : scale
        for p in g.params {
            let id = ObjectIdentifier(p)
            if let d = g.dense[id] { updateDense(p, d, s) }
            if let sr = g.sparse[id] { updateSparse(p, sr, s) }
        }
    }

    private func updateDense(_ p: Parameter, _ g: [Float], _ s: Float) {
        if p.m.count != p.count { p.m = [Float](repeating: 0, count: p.count); p.v = p.m; p.steps = [0] }
        p.steps[0] += 1
        let t = Float(p.steps[0])
        let c1 = 1 - powf(beta1, t), c2 = 1 - powf(beta2, t)
        let lr = learningRate * p.learningRateScale * sqrtf(c2) / c1
        let b1 = beta1, b2 = beta2, e = eps
        p.value.withUnsafeMutableBufferPointer { w in
            p.m.withUnsafeMutableBufferPointer { m in
                p.v.withUnsafeMutableBufferPointer { v in
                    for i in 0..<g.count {
                        let gi = g[i] * s
                        m[i] = b1 * m[i] + (1 - b1) * gi
                        v[i] = b2 * v[i] + (1 - b2) * gi * gi
                        w[i] -= lr * m[i] / (sqrtf(v[i]) + e)
                    }
                }
            }
        }
    }

    private func updateSparse(_ p: Parameter, _ g: SparseRows, _ s: Float) {
        let dim = p.rowSize
        let rows = p.count / dim
        if p.m.count != p.count { p.m = [Float](repeating: 0, count: p.count); p.v = p.m; p.steps = [Int32](repeating: 0, count: rows) }
        let b1 = beta1, b2 = beta2, e = eps
        let rate = learningRate * p.learningRateScale
        p.value.withUnsafeMutableBufferPointer { w in
            p.m.withUnsafeMutableBufferPointer { m in
                p.v.withUnsafeMutableBufferPointer { v in
                    for (k, r) in g.rows.enumerated() {
                        let row = Int(r)
                        p.steps[row] += 1
                        let t = Float(p.steps[row])
                        let lr = rate * sqrtf(1 - powf(b2, t)) / (1 - powf(b1, t))
                        let base = row * dim, gb = k * dim
                        for j in 0..<dim {
                            let gi = g.data[gb + j] * s
                            m[base + j] = b1 * m[base + j] + (1 - b1) * gi
                            v[base + j] = b2 * v[base + j] + (1 - b2) * gi * gi
                            w[base + j] -= lr * m[base + j] / (sqrtf(v[base + j]) + e)
                        }
                    }
                }
            }
        }
    }
}
