import Foundation
import WenshuCore
import WenshuTensor

/// Document classifier over the encoder's document vector: logits = doc W + b with
/// softmax (single-label, cross-entropy) or sigmoid per label (multi-label, binary
/// cross-entropy; labels above a threshold, at most top-k, at least the best one).
///
/// Optional sparse linear path (`settings.sparseBuckets` > 0): the text's hashed character
/// 1- and 2-grams (folded, digits to 0), weighted 1 + ln(tf) and L2-normalised, times a
/// [buckets x labels] matrix, added to the logits; trained jointly with the dense weights
/// (only the rows of the n-grams present get gradients).
///
/// The sparse path can also be TF-IDF over character 1- to `settings.ngramMax`-grams
/// (`settings.sparseIdf`, tensor `idf`), and the whole linear layer (n-grams, document vector,
/// bias) fitted by one-vs-rest squared-hinge SVMs (`fitLinear`, see `LinearSVM`) instead of
/// gradient descent: what TF-IDF + LinearSVC does, with the encoder's document vector added.
public final class ClassifierHead: TrainableHead, @unchecked Sendable {
    public var description: HeadDescription
    /// [inputDim x labels].
    public let weight: Parameter
    /// [labels].
    public let bias: Parameter
    /// [sparseBuckets x labels] (nil without a sparse path).
    public let sparseWeight: Parameter?
    /// [buckets] inverse document frequencies (nil: the sparse path is unweighted).
    public let idf: Parameter?
    let inputDim: Int
    let buckets: Int
    var ngramMax: Int { description.settings.ngramMax ?? 2 }

    /// Builds the head from its description; `tensors` nil initialises fresh weights.
    public init(description: HeadDescription, inputDim: Int, tensors: [String: SafeTensor]?, path: String, seed: UInt64) throws {
        self.description = description
        self.inputDim = inputDim
        let L = description.labels.count
        let B = description.settings.sparseBuckets ?? 0
        guard B >= 0 && B <= 1 << 20 else {
            throw WenshuError(.bundle.badHead, "sparseBuckets must be between 0 and \(1 << 20), got \(B)", stage: .model, path: path)
        }
        if let g = description.settings.ngramMax, !(1...3).contains(g) {
            throw WenshuError(.bundle.badHead, "ngramMax must be 1, 2 or 3, got \(g)", stage: .model, path: path)
        }
        buckets = B
        if let t = tensors {
            weight = try t.parameter("weight", shape: [inputDim, L], path: path)
            bias = try t.parameter("bias", shape: [L], path: path)
            sparseWeight = B > 0 ? try t.parameter("sparse_weight", shape: [B, L], path: path, sparse: true) : nil
            idf = B > 0 && description.settings.sparseIdf == true ? try t.parameter("idf", shape: [B], path: path) : nil
        } else {
            sparseWeight = B > 0 ? Parameter(name: "sparse_weight", shape: [B, L], value: [Float](repeating: 0, count: B * L), sparse: true) : nil
            idf = B > 0 && description.settings.sparseIdf == true ? Parameter(name: "idf", shape: [B], value: [Float](repeating: 1, count: B)) : nil
            var rng = SeededRandom(seed: seed &+ 101)
            weight = Parameter(name: "weight", shape: [inputDim, L], scale: sqrtf(6 / Float(inputDim + L)), rng: &rng)
            bias = Parameter(zeros: "bias", shape: [L])
        }
    }

    /// The idf vector is saved with the weights but never moved by gradients (its gradient is zero).
    public var parameters: [Parameter] { [weight, bias] + (sparseWeight.map { [$0] } ?? []) + (idf.map { [$0] } ?? []) }
    var multi: Bool { description.kind == .multiLabel }

    /// doc [inputDim] (+ sparse features) -> logits [labels].
    func logits(_ doc: [Float], sparse features: [(row: Int32, value: Float)] = []) -> [Float] {
        let L = description.labels.count
        var z = bias.value
        doc.withUnsafeBufferPointer { d in weight.value.withUnsafeBufferPointer { w in z.withUnsafeMutableBufferPointer { o in
            matmul(d.baseAddress!, w.baseAddress!, o.baseAddress!, m: 1, n: L, k: inputDim, beta: 1)
        } } }
        if let sw = sparseWeight, !features.isEmpty {
            sw.value.withUnsafeBufferPointer { w in z.withUnsafeMutableBufferPointer { o in
                for f in features { axpy(f.value, w.baseAddress! + Int(f.row) * L, o.baseAddress!, n: L) }
            } }
        }
        return z
    }

    /// The sparse path's features of `text`: hashed character 1- to `ngramMax`-grams of the
    /// folded text (digits as 0, whitespace skipped), weight 1 + ln(count) (times the idf when
    /// the head has one), L2-normalised, sorted by row. Empty without a sparse path.
    public func sparseFeatures(_ text: [Unicode.Scalar]) -> [(row: Int32, value: Float)] {
        ClassifierHead.sparseFeatures(text, buckets: buckets, ngramMax: ngramMax, idf: idf?.value)
    }

    /// Hashed character n-gram features of `text` over `buckets` rows (see `sparseFeatures(_:)`);
    /// rows whose idf is 0 (n-grams seen in fewer than two training texts) are left out.
    public static func sparseFeatures(_ text: [Unicode.Scalar], buckets: Int, ngramMax: Int = 2, idf: [Float]? = nil) -> [(row: Int32, value: Float)] {
        guard buckets > 0, !text.isEmpty else { return [] }
        var out = ngramCounts(text, buckets: buckets, ngramMax: ngramMax).map { (row: $0.key, value: 1 + logf($0.value)) }
        if let idf, idf.count == buckets {
            out = out.compactMap { f in idf[Int(f.row)] > 0 ? (f.row, f.value * idf[Int(f.row)]) : nil }
        }
        // Sorted before the norm is summed: a dictionary's order varies between instances,
        // and the same text must give the same bits.
        out.sort { $0.row < $1.row }
        let norm = sqrtf(out.reduce(0) { $0 + $1.value * $1.value })
        if norm > 0 { for i in out.indices { out[i].value /= norm } }
        return out
    }

    /// Raw counts of the hashed n-grams of `text` per bucket row.
    static func ngramCounts(_ text: [Unicode.Scalar], buckets: Int, ngramMax: Int) -> [Int32: Float] {
        var counts: [Int32: Float] = [:]
        let B = UInt64(buckets)
        @inline(__always) func bucket(_ a: UInt64) -> Int32 {
            var h = a &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 31; h = h &* 0xBF58_476D_1CE4_E5B9; h ^= h >> 29
            return Int32(truncatingIfNeeded: h % B)
        }
        var prev: UInt32 = 0, prev2: UInt32 = 0
        for s in text {
            let c = CharFolding.fold(s.value, digits: true)
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { prev = 0; prev2 = 0; continue }
            counts[bucket(UInt64(c) | (1 << 62)), default: 0] += 1
            if ngramMax >= 2 && prev != 0 { counts[bucket(UInt64(prev) << 32 | UInt64(c) | (2 << 62)), default: 0] += 1 }
            if ngramMax >= 3 && prev2 != 0 {
                counts[bucket((UInt64(prev2) << 42 | UInt64(prev) << 21 | UInt64(c)) ^ 0xD6E8_FEB8_6659_FD93), default: 0] += 1
            }
            prev2 = prev; prev = c
        }
        return counts
    }

    /// Fits the linear layer in closed form on fixed document vectors: idf from the training
    /// texts (smoothed, ln((1 + n) / (1 + df)) + 1; 0 for n-grams in fewer than two texts), then
    /// one-vs-rest squared-hinge SVMs (`LinearSVM`) over [TF-IDF n-grams; the document vector
    /// scaled to mean norm `documentWeight`; 1], per label in parallel. The dense weights,
    /// sparse weights and bias are overwritten.
    func fitLinear(texts: [[Unicode.Scalar]], documents: [[Float]], targets: [[Int]?], C: Double, balanced: Bool,
                   documentWeight: Float, threads: Int, seed: UInt64) {
        let L = description.labels.count, B = buckets, H = inputDim
        let rows = targets.indices.filter { targets[$0] != nil }
        // idf.
        if let idf {
            var df = [Int](repeating: 0, count: B)
            for i in rows { for r in ClassifierHead.ngramCounts(texts[i], buckets: B, ngramMax: ngramMax).keys { df[Int(r)] += 1 } }
            let n = Float(rows.count)
            idf.value = df.map { $0 >= 2 ? logf((1 + n) / (1 + Float($0))) + 1 : 0 }
        }
        var svm = LinearSVM(rowStart: [0], cols: [], vals: [], sparseWidth: B, dense: [], denseWidth: documentWeight > 0 ? H : 0)
        let norms = rows.map { i in sqrtf(documents[i].reduce(0) { $0 + $1 * $1 }) }
        let meanNorm = norms.isEmpty ? 1 : max(1e-6, norms.reduce(0, +) / Float(norms.count))
        let scale = documentWeight / meanNorm
        for i in rows {
            for f in sparseFeatures(texts[i]) { svm.cols.append(f.row); svm.vals.append(f.value) }
            svm.rowStart.append(svm.cols.count)
            if svm.denseWidth > 0 { svm.dense += documents[i].map { $0 * scale } }
        }
        let gold = rows.map { Set(targets[$0]!) }
        var results = [LinearSVM.Weights?](repeating: nil, count: L)
        results.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: max(1, threads)) { t in
                for l in stride(from: t, to: L, by: max(1, threads)) {
                    (base + l).pointee = svm.fit(positive: { gold[$0].contains(l) }, C: C, balanced: balanced, seed: seed &+ UInt64(l))
                }
            }
        }
        for (l, r) in results.enumerated() {
            guard let r else { continue }
            bias.value[l] = r.bias
            for h in 0..<H { weight.value[h * L + l] = svm.denseWidth > 0 ? r.dense[h] * scale : 0 }
            if let sw = sparseWeight { for b in 0..<B { sw.value[b * L + l] = r.sparse[b] } }
        }
        description.settings.solver = String(format: "svm-dual-cd C=%g%@ doc=%g", C, balanced ? " balanced" : "", documentWeight)
    }

    /// Probabilities per label (softmax or sigmoid); `text` feeds the sparse path (when the head has one).
    public func probabilities(_ encoded: EncodedText, text: [Unicode.Scalar]? = nil) -> [Float] {
        let z = logits(encoded.document, sparse: sparseFeatures(text ?? encoded.text ?? []))
        if multi { return z.map(sigmoid) }
        if let s = description.settings.logitScale { return softmax(z.map { $0 * Float(s) }) }
        return softmax(z)
    }

    public func annotate(_ encoded: EncodedText, text: ScalarText, threshold: Double?, into out: inout ModelAnnotations) {
        let p = probabilities(encoded, text: text.scalars)
        let order = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var chosen: [Int]
        if multi {
            let th = Float(threshold ?? description.settings.threshold ?? 0.5)
            if threshold == nil, let per = description.settings.labelThresholds {
                chosen = order.filter { p[$0] >= per[description.labels[$0]].map(Float.init) ?? th }
            } else {
                chosen = order.filter { p[$0] >= th }
            }
            if chosen.isEmpty, let f = order.first { chosen = [f] }
            if let k = description.settings.topK, k > 0 { chosen = Array(chosen.prefix(k)) }
        } else {
            let k = max(1, description.settings.topK ?? 1)
            chosen = Array(order.prefix(k))
        }
        out.classifications.append(Classification(task: description.name,
            labels: chosen.map { LabelScore(label: description.labels[$0], score: Double(p[$0])) }))
    }

    func target(for example: LabelledExample) -> HeadTarget? {
        let idx = example.labels.compactMap { description.labels.firstIndex(of: $0) }
        if idx.isEmpty && !multi { return nil }
        return .classes(multi ? idx : [idx[0]])
    }

    func lossAndGradients(_ encoded: EncodedText, target: HeadTarget, into g: Gradients) -> (loss: Double, dVectors: [Float]?, dDocument: [Float]?) {
        guard case .classes(let ys) = target else { return (0, nil, nil) }
        let features = sparseFeatures(encoded.text ?? [])
        let (loss, dz) = ClassifierHead.lossGradient(logits: logits(encoded.document, sparse: features), targets: ys, multi: multi)
        let L = dz.count
        let doc = encoded.document
        if let sw = sparseWeight {
            dz.withUnsafeBufferPointer { z in for f in features { g.addRow(sw, row: f.row, z.baseAddress!, scale: f.value) } }
        }
        g.withDense(weight) { w in
            doc.withUnsafeBufferPointer { d in dz.withUnsafeBufferPointer { z in
                matmul(d.baseAddress!, z.baseAddress!, w, m: inputDim, n: L, k: 1, beta: 1)
            } }
        }
        g.withDense(bias) { b in dz.withUnsafeBufferPointer { axpy(1, $0.baseAddress!, b, n: L) } }
        var dDoc = [Float](repeating: 0, count: inputDim)
        weight.value.withUnsafeBufferPointer { w in dz.withUnsafeBufferPointer { z in dDoc.withUnsafeMutableBufferPointer { o in
            matmul(w.baseAddress!, z.baseAddress!, o.baseAddress!, m: inputDim, n: 1, k: L)
        } } }
        return (loss, nil, dDoc)
    }

    /// logits [L], target indices -> (loss, dL/dlogits [L]): softmax cross-entropy or sigmoid BCE summed over labels.
    public static func lossGradient(logits z: [Float], targets: [Int], multi: Bool) -> (Double, [Float]) {
        if multi {
            var loss = 0.0
            var dz = [Float](repeating: 0, count: z.count)
            let set = Set(targets)
            for i in z.indices {
                let y: Float = set.contains(i) ? 1 : 0
                let x = Double(z[i])
                // log(1 + e^x) - y x, stable.
                loss += max(x, 0) + log1p(exp(-abs(x))) - Double(y) * x
                dz[i] = sigmoid(z[i]) - y
            }
            return (loss, dz)
        }
        var p = softmax(z)
        let y = targets[0]
        let lse = z.withUnsafeBufferPointer { logSumExp($0.baseAddress!, n: z.count) }
        let loss = Double(lse) - Double(z[y])
        p[y] -= 1
        return (loss, p)
    }
}
