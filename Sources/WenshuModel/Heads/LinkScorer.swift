import Foundation
import WenshuTensor

/// Scores an ordered pair of spans (anchor, candidate) into C classes ("none" first):
/// features = [mean(a); mean(b); mean(a) * mean(b); mean(text between them); distance
/// bucket one-hot (8); b after a; sentences apart one-hot (0, 1, 2+)], logits = features W + b
/// with W [(4H + 12) x C].
final class LinkScorer: @unchecked Sendable {
    let inputDim: Int
    let classes: Int
    let weight: Parameter, bias: Parameter
    static let extra = 12

    init(prefix: String, inputDim: Int, classes: Int, tensors: [String: SafeTensor]?, path: String, seed: UInt64) throws {
        self.inputDim = inputDim; self.classes = classes
        let P = 4 * inputDim + LinkScorer.extra
        if let t = tensors {
            weight = try t.parameter(prefix + "weight", shape: [P, classes], path: path)
            bias = try t.parameter(prefix + "bias", shape: [classes], path: path)
        } else {
            var rng = SeededRandom(seed: seed &+ 303)
            weight = Parameter(name: prefix + "weight", shape: [P, classes], scale: sqrtf(6 / Float(P + classes)), rng: &rng)
            bias = Parameter(zeros: prefix + "bias", shape: [classes])
        }
    }

    var parameters: [Parameter] { [weight, bias] }

    private func spanMean(_ e: EncodedText, _ r: Range<Int>) -> [Float] {
        let H = inputDim
        var m = [Float](repeating: 0, count: H)
        let lo = max(0, r.lowerBound), hi = min(e.length, r.upperBound)
        if hi <= lo { return m }
        let inv = 1 / Float(hi - lo)
        e.vectors.withUnsafeBufferPointer { v in m.withUnsafeMutableBufferPointer { o in
            for t in lo..<hi { axpy(inv, v.baseAddress! + t * H, o.baseAddress!, n: H) }
        } }
        return m
    }

    /// The characters strictly between two spans (empty when they touch or overlap).
    static func between(_ a: Range<Int>, _ b: Range<Int>) -> Range<Int> {
        let lo = min(a.upperBound, b.upperBound), hi = max(a.lowerBound, b.lowerBound)
        return lo < hi ? lo..<hi : 0..<0
    }

    private func features(_ e: EncodedText, _ a: Range<Int>, _ b: Range<Int>) -> (f: [Float], sa: [Float], sb: [Float]) {
        let sa = spanMean(e, a), sb = spanMean(e, b)
        var f = sa + sb + zip(sa, sb).map { $0 * $1 } + spanMean(e, LinkScorer.between(a, b))
        var bucket = [Float](repeating: 0, count: LinkScorer.extra)
        let gap = abs(b.lowerBound - a.lowerBound)
        let edges = [0, 2, 5, 10, 20, 40, 80]
        bucket[edges.firstIndex(where: { gap <= $0 }) ?? 7] = 1
        bucket[8] = b.lowerBound > a.lowerBound ? 1 : 0
        if !e.sentence.isEmpty {
            let sa = Int(e.sentence[min(max(0, a.lowerBound), e.length - 1)]), sb = Int(e.sentence[min(max(0, b.lowerBound), e.length - 1)])
            bucket[9 + min(2, abs(sa - sb))] = 1
        }
        f += bucket
        return (f, sa, sb)
    }

    /// Class probabilities for (a, b).
    func probabilities(_ e: EncodedText, _ a: Range<Int>, _ b: Range<Int>) -> [Float] {
        softmax(logits(features(e, a, b).f))
    }

    private func logits(_ f: [Float]) -> [Float] {
        var z = bias.value
        f.withUnsafeBufferPointer { x in weight.value.withUnsafeBufferPointer { w in z.withUnsafeMutableBufferPointer { o in
            matmul(x.baseAddress!, w.baseAddress!, o.baseAddress!, m: 1, n: classes, k: f.count, beta: 1)
        } } }
        return z
    }

    /// Cross-entropy for class `cls`; accumulates weight gradients and adds dL/d vectors into `dVectors` [T x H].
    func lossAndGradients(_ e: EncodedText, _ a: Range<Int>, _ b: Range<Int>, cls: Int, dVectors: inout [Float], into g: Gradients) -> Double {
        let (f, sa, sb) = features(e, a, b)
        let (loss, dz) = ClassifierHead.lossGradient(logits: logits(f), targets: [cls], multi: false)
        let P = f.count, C = classes, H = inputDim
        g.withDense(weight) { w in f.withUnsafeBufferPointer { x in dz.withUnsafeBufferPointer { d in
            matmul(x.baseAddress!, d.baseAddress!, w, m: P, n: C, k: 1, beta: 1)
        } } }
        g.withDense(bias) { bb in dz.withUnsafeBufferPointer { axpy(1, $0.baseAddress!, bb, n: C) } }
        var df = [Float](repeating: 0, count: P)
        weight.value.withUnsafeBufferPointer { w in dz.withUnsafeBufferPointer { d in df.withUnsafeMutableBufferPointer { o in
            matmul(w.baseAddress!, d.baseAddress!, o.baseAddress!, m: P, n: 1, k: C)
        } } }
        var dsa = [Float](repeating: 0, count: H), dsb = dsa
        for j in 0..<H {
            dsa[j] = df[j] + df[2 * H + j] * sb[j]
            dsb[j] = df[H + j] + df[2 * H + j] * sa[j]
        }
        let dmid = Array(df[(3 * H)..<(4 * H)])
        for (r, ds) in [(a, dsa), (b, dsb), (LinkScorer.between(a, b), dmid)] {
            let lo = max(0, r.lowerBound), hi = min(e.length, r.upperBound)
            if hi <= lo { continue }
            let inv = 1 / Float(hi - lo)
            ds.withUnsafeBufferPointer { s in dVectors.withUnsafeMutableBufferPointer { o in
                for t in lo..<hi { axpy(inv, s.baseAddress!, o.baseAddress! + t * H, n: H) }
            } }
        }
        return loss
    }
}
