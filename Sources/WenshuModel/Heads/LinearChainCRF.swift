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
    /// The tag structure as `viterbi` walks it (built once from `predecessors`).
    let decodePlan: DecodePlan

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
        decodePlan = DecodePlan(predecessors: predecessors)
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
    ///
    /// The same paths as `viterbiReference` (ties go to the lowest predecessor), computed
    /// over the tag scheme's structure: tags that share one long predecessor list (O and B-
    /// in BIO: every tag; O, B- and S- in BIOES: the closed tags) are updated together, one
    /// predecessor at a time, over a row of transitions packed contiguous per predecessor
    /// (transposed to [predecessor x group tag] once per call): a max over contiguous floats
    /// that the compiler vectorises. Tags with few predecessors (an I- tag has two) stay a
    /// short scalar loop. No back-pointers are kept in the forward pass: the best score before
    /// the emission is, and the backtrace finds, for the one tag on the path at each position,
    /// the first predecessor whose sum equals it (the same floating-point sum, so exactly).
    public func viterbi(emissions: [Float], transitions: [Float], start: [Float], end: [Float], length T: Int) -> [Int] {
        if T == 0 { return [] }
        let K = self.K
        let ninf = -Float.infinity
        // hist[t * K + k]: best score of a path ending in k at t; pre: the same before t's emission.
        var hist = [Float](repeating: ninf, count: T * K)
        var pre = [Float](repeating: ninf, count: T * K)
        for k in 0..<K where allowedStart[k] { hist[k] = start[k] + emissions[k] }
        let plan = decodePlan
        if T > 1 {
            // packed[group.packOffset + p * m + i] = transitions[group.preds[p] * K + group.tags[i]], m = group.tags.count.
            var packed = [Float](repeating: 0, count: plan.packedCount)
            for g in plan.wide {
                let m = g.tags.count
                for (p, j) in g.preds.enumerated() { for (i, k) in g.tags.enumerated() { packed[g.packOffset + p * m + i] = transitions[Int(j) * K + k] } }
            }
            var gathered = [Float](repeating: 0, count: K)
            var bestBuf = [Float](repeating: 0, count: K)
            transitions.withUnsafeBufferPointer { tr in emissions.withUnsafeBufferPointer { em in
            packed.withUnsafeBufferPointer { pk in hist.withUnsafeMutableBufferPointer { hs in pre.withUnsafeMutableBufferPointer { pr in
            gathered.withUnsafeMutableBufferPointer { ga in bestBuf.withUnsafeMutableBufferPointer { bb in
                let bbp = bb.baseAddress!
                for t in 1..<T {
                    let row = t * K
                    let sc = UnsafePointer(hs.baseAddress! + row - K)
                    for g in plan.wide {
                        let n = g.preds.count, m = g.tags.count
                        let src: UnsafePointer<Float>
                        if g.identity { src = sc } else {
                            for p in 0..<n { ga[p] = sc[Int(g.preds[p])] }
                            src = UnsafePointer(ga.baseAddress!)
                        }
                        for i in 0..<m { bbp[i] = ninf }
                        for p in 0..<n {
                            let s = src[p]
                            if s == ninf { continue }
                            let r = pk.baseAddress! + g.packOffset + p * m
                            for i in 0..<m { let v = s + r[i]; bbp[i] = v > bbp[i] ? v : bbp[i] }
                        }
                        for (i, k) in g.tags.enumerated() {
                            pr[row + k] = bbp[i]
                            hs[row + k] = bbp[i] + em[row + k]
                        }
                    }
                    for k in plan.narrow {
                        var best = ninf
                        for q in plan.narrowOffsets[k]..<plan.narrowOffsets[k + 1] {
                            let j = Int(plan.narrowPreds[q])
                            let s = sc[j] + tr[j * K + k]
                            if s > best { best = s }
                        }
                        pr[row + k] = best
                        hs[row + k] = best + em[row + k]
                    }
                }
            } } } } } } }
        }
        var best = ninf, arg = 0
        for k in 0..<K where allowedEnd[k] {
            let s = hist[(T - 1) * K + k] + end[k]
            if s > best { best = s; arg = k }
        }
        var path = [Int](repeating: 0, count: T)
        path[T - 1] = arg
        if T > 1 {
            for t in stride(from: T - 1, to: 0, by: -1) {
                let k = path[t], target = pre[t * K + k]
                var j = 0
                if target != ninf {
                    for q in predecessors[k] where hist[(t - 1) * K + Int(q)] + transitions[Int(q) * K + k] == target { j = Int(q); break }
                }
                path[t - 1] = j
            }
        }
        return path
    }

    /// How `viterbi` visits the tags: groups of tags sharing a long predecessor list, and
    /// the rest with their short lists (flat).
    struct DecodePlan: Sendable {
        struct Group: Sendable {
            /// The shared predecessors, ascending.
            var preds: [Int32]
            /// The tags whose predecessors these are.
            var tags: [Int]
            /// preds == 0..<K.
            var identity: Bool
            /// Where the group's packed transitions start.
            var packOffset: Int
        }
        var wide: [Group] = []
        var narrow: [Int] = []
        /// narrowPreds[narrowOffsets[k]..<narrowOffsets[k + 1]]: predecessors of tag k (empty for wide tags).
        var narrowOffsets: [Int] = []
        var narrowPreds: [Int32] = []
        var packedCount = 0

        init(predecessors: [[Int32]]) {
            let K = predecessors.count
            var index: [[Int32]: Int] = [:]
            narrowOffsets = [0]
            for (k, ps) in predecessors.enumerated() {
                if ps.count > 4 {
                    if let g = index[ps] { wide[g].tags.append(k) } else {
                        index[ps] = wide.count
                        wide.append(Group(preds: ps, tags: [k], identity: ps == (0..<K).map { Int32($0) }, packOffset: 0))
                    }
                } else {
                    narrow.append(k)
                    narrowPreds += ps
                }
                narrowOffsets.append(narrowPreds.count)
            }
            for g in wide.indices { wide[g].packOffset = packedCount; packedCount += wide[g].preds.count * wide[g].tags.count }
        }
    }

    /// The naive twin of `viterbi`: a scalar loop over each tag's predecessor list (the
    /// decoder before the vectorised one; kept for tests and `Benchmarks/viterbi`).
    public func viterbiReference(emissions: [Float], transitions: [Float], start: [Float], end: [Float], length T: Int) -> [Int] {
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
