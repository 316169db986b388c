import Foundation
import WenshuTensor

/// A linear-chain CRF over K tags with structural constraints (forbidden transitions,
/// starts and ends from the tag scheme). Internally in Double for stable gradients.
///
/// score(y) = start[y0] + sum_t emit[t, y_t] + sum_t trans[y_{t-1}, y_t] + end[y_{T-1}]
/// loss = log Z - score(gold), with Z summed over allowed sequences only.
public struct LinearChainCRF: Sendable {
    /// Number of tags.
    public let K: Int
    /// allowed[i * K + j]: tag j may follow tag i.
    public let allowed: [Bool]
    /// Tags a sequence may start with.
    public let allowedStart: [Bool]
    /// Tags a sequence may end with.
    public let allowedEnd: [Bool]
    /// predecessors[k]: the tags that may precede tag k, ascending (Viterbi visits only
    /// these: an I- tag has two, so decoding with many labels costs about half).
    let predecessors: [[Int32]]

    /// A CRF with the constraints of `scheme` over `labels` labels.
    public init(scheme: TagScheme, labels: Int) {
        K = scheme.tagCount(labels: labels)
        var a = [Bool](repeating: true, count: K * K)
        for i in 0..<K { for j in 0..<K { a[i * K + j] = scheme.allowed(i, j) } }
        allowed = a
        allowedStart = (0..<K).map { scheme.allowedStart($0) }
        allowedEnd = (0..<K).map { scheme.allowedEnd($0) }
        let k = K
        predecessors = (0..<k).map { t in (0..<k).filter { a[$0 * k + t] }.map { Int32($0) } }
    }

    /// Gradients of the negative log-likelihood.
    public struct Gradient {
        /// dL/d emissions [T x K].
        public var emissions: [Float]
        /// dL/d transitions [K x K].
        public var transitions: [Double]
        /// dL/d start [K].
        public var start: [Double]
        /// dL/d end [K].
        public var end: [Double]
    }

    /// emissions [T x K], trans [K x K], start [K], end [K], gold [T] -> (NLL, gradient) by forward-backward.
    public func negLogLikelihood(emissions: [Float], transitions: [Float], start: [Float], end: [Float], gold: [Int]) -> (Double, Gradient) {
        let T = gold.count
        var g = Gradient(emissions: [Float](repeating: 0, count: T * K), transitions: [Double](repeating: 0, count: K * K),
                         start: [Double](repeating: 0, count: K), end: [Double](repeating: 0, count: K))
        if T == 0 { return (0, g) }
        let ninf = -Double.infinity
        let tr = transitions.map(Double.init)
        var alpha = [Double](repeating: ninf, count: T * K)
        var beta = [Double](repeating: ninf, count: T * K)
        for k in 0..<K where allowedStart[k] { alpha[k] = Double(start[k]) + Double(emissions[k]) }
        var buf = [Double](repeating: 0, count: K)
        for t in 1..<max(1, T) where T > 1 {
            for k in 0..<K {
                for j in 0..<K { buf[j] = allowed[j * K + k] ? alpha[(t - 1) * K + j] + tr[j * K + k] : ninf }
                alpha[t * K + k] = logSumExp(buf) + Double(emissions[t * K + k])
            }
        }
        for k in 0..<K { buf[k] = allowedEnd[k] ? alpha[(T - 1) * K + k] + Double(end[k]) : ninf }
        let logZ = logSumExp(buf)
        for k in 0..<K where allowedEnd[k] { beta[(T - 1) * K + k] = Double(end[k]) }
        if T > 1 {
            for t in stride(from: T - 2, through: 0, by: -1) {
                for j in 0..<K {
                    for k in 0..<K {
                        buf[k] = allowed[j * K + k] ? tr[j * K + k] + Double(emissions[(t + 1) * K + k]) + beta[(t + 1) * K + k] : ninf
                    }
                    beta[t * K + j] = logSumExp(buf)
                }
            }
        }
        // Gold score.
        var score = Double(start[gold[0]]) + Double(end[gold[T - 1]])
        for t in 0..<T { score += Double(emissions[t * K + gold[t]]) }
        for t in 1..<max(1, T) where T > 1 { score += tr[gold[t - 1] * K + gold[t]] }
        // Marginals.
        for t in 0..<T {
            for k in 0..<K {
                let a = alpha[t * K + k], b = beta[t * K + k]
                if a == ninf || b == ninf { continue }
                g.emissions[t * K + k] = Float(exp(a + b - logZ))
            }
            g.emissions[t * K + gold[t]] -= 1
        }
        for k in 0..<K {
            g.start[k] = Double(g.emissions[k]) + (k == gold[0] ? 1 : 0)
            let a = alpha[(T - 1) * K + k]
            g.end[k] = allowedEnd[k] && a != ninf ? exp(a + Double(end[k]) - logZ) : 0
        }
        g.end[gold[T - 1]] -= 1
        g.start[gold[0]] -= 1
        if T > 1 {
            for t in 1..<T {
                for j in 0..<K {
                    let a = alpha[(t - 1) * K + j]
                    if a == ninf { continue }
                    for k in 0..<K where allowed[j * K + k] {
                        let b = beta[t * K + k]
                        if b == ninf { continue }
                        g.transitions[j * K + k] += exp(a + tr[j * K + k] + Double(emissions[t * K + k]) + b - logZ)
                    }
                }
                g.transitions[gold[t - 1] * K + gold[t]] -= 1
            }
        }
        return (logZ - score, g)
    }

    /// emissions [T x K] -> the best allowed tag sequence [T] (Viterbi).
    public func viterbi(emissions: [Float], transitions: [Float], start: [Float], end: [Float], length T: Int) -> [Int] {
        if T == 0 { return [] }
        let ninf = -Float.infinity
        var score = [Float](repeating: ninf, count: K)
        var back = [Int32](repeating: 0, count: T * K)
        for k in 0..<K where allowedStart[k] { score[k] = start[k] + emissions[k] }
        var next = score
        if T > 1 {
            let K = self.K
            transitions.withUnsafeBufferPointer { tr in emissions.withUnsafeBufferPointer { em in
            back.withUnsafeMutableBufferPointer { bk in
                for t in 1..<T {
                    score.withUnsafeBufferPointer { sc in next.withUnsafeMutableBufferPointer { nx in
                        for k in 0..<K {
                            var best = ninf, arg: Int32 = 0
                            // Ascending predecessors and a strict comparison: the first best wins.
                            for j in predecessors[k] {
                                let s = sc[Int(j)] + tr[Int(j) * K + k]
                                if s > best { best = s; arg = j }
                            }
                            nx[k] = best + em[t * K + k]
                            bk[t * K + k] = arg
                        }
                    } }
                    swap(&score, &next)
                }
            } } }
        }
        var best = ninf, arg = 0
        for k in 0..<K where allowedEnd[k] {
            let s = score[k] + end[k]
            if s > best { best = s; arg = k }
        }
        var path = [Int](repeating: 0, count: T)
        path[T - 1] = arg
        if T > 1 { for t in stride(from: T - 1, to: 0, by: -1) { path[t - 1] = Int(back[t * K + path[t]]) } }
        return path
    }
}
