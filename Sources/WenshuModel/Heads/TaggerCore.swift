import Foundation
import WenshuCore
import WenshuTensor

/// One CRF tagging layer: emissions = vectors W + b ([T x H] x [H x K]), plus, with a
/// sparse emission path (`emissionBuckets` > 0), the rows of a hashed feature table
/// `emission_table` [buckets x K] (`SparseEmissions`); then a linear-chain CRF with
/// transitions [K x K], start and end [K].
final class TaggerLayer: @unchecked Sendable {
    let scheme: TagScheme
    let labels: [String]
    let inputDim: Int
    let crf: LinearChainCRF
    let weight: Parameter, bias: Parameter, transitions: Parameter, start: Parameter, end: Parameter
    /// [buckets x K] sparse emission table (nil without the sparse path).
    let table: Parameter?

    init(prefix: String, scheme: TagScheme, labels: [String], inputDim: Int, emissionBuckets: Int = 0,
         tensors: [String: SafeTensor]?, path: String, seed: UInt64) throws {
        self.scheme = scheme; self.labels = labels; self.inputDim = inputDim
        crf = LinearChainCRF(scheme: scheme, labels: labels.count)
        let K = crf.K
        let B = emissionBuckets
        if let t = tensors {
            weight = try t.parameter(prefix + "weight", shape: [inputDim, K], path: path)
            bias = try t.parameter(prefix + "bias", shape: [K], path: path)
            transitions = try t.parameter(prefix + "crf.transitions", shape: [K, K], path: path)
            start = try t.parameter(prefix + "crf.start", shape: [K], path: path)
            end = try t.parameter(prefix + "crf.end", shape: [K], path: path)
            table = B > 0 ? try t.parameter(prefix + SparseEmissions.tableName, shape: [B, K], path: path, sparse: true) : nil
        } else {
            table = B > 0 ? Parameter(name: prefix + SparseEmissions.tableName, shape: [B, K], value: [Float](repeating: 0, count: B * K), sparse: true) : nil
            var rng = SeededRandom(seed: seed &+ 202)
            weight = Parameter(name: prefix + "weight", shape: [inputDim, K], scale: sqrtf(6 / Float(inputDim + K)), rng: &rng)
            bias = Parameter(zeros: prefix + "bias", shape: [K])
            transitions = Parameter(zeros: prefix + "crf.transitions", shape: [K, K])
            start = Parameter(zeros: prefix + "crf.start", shape: [K])
            end = Parameter(zeros: prefix + "crf.end", shape: [K])
        }
        table?.halfPrecision = true
    }

    var parameters: [Parameter] { [weight, bias, transitions, start, end] + (table.map { [$0] } ?? []) }

    /// vectors [T x H] -> emissions [T x K]; `rows` (from `SparseEmissions.rows`) adds the
    /// sparse path's table rows (ignored without a table or when they do not fit the text).
    func emissions(_ e: EncodedText, rows: [Int32] = []) -> [Float] {
        let T = e.length, K = crf.K
        var out = [Float](repeating: 0, count: T * K)
        if T == 0 { return out }
        e.vectors.withUnsafeBufferPointer { x in weight.value.withUnsafeBufferPointer { w in out.withUnsafeMutableBufferPointer { o in
            matmul(x.baseAddress!, w.baseAddress!, o.baseAddress!, m: T, n: K, k: inputDim)
            bias.value.withUnsafeBufferPointer { addRowVector(o.baseAddress!, $0.baseAddress!, rows: T, cols: K) }
        } } }
        if let table, !rows.isEmpty { SparseEmissions.add(rows: rows, table: table, to: &out, length: T, tags: K) }
        return out
    }

    /// Best spans (label index, start, end).
    func decode(_ e: EncodedText, rows: [Int32] = []) -> [(label: Int, start: Int, end: Int)] {
        let tags = crf.viterbi(emissions: emissions(e, rows: rows), transitions: transitions.value, start: start.value, end: end.value, length: e.length)
        return scheme.decode(tags)
    }

    /// Gold tags for labelled spans.
    func tags(_ spans: [(label: String, start: Int, end: Int)], length: Int) -> [Int] {
        scheme.encode(spans.compactMap { s in labels.firstIndex(of: s.label).map { ($0, s.start, s.end) } }, length: length)
    }

    /// NLL of gold tags; accumulates CRF, projection and sparse table gradients; returns dL/d vectors [T x H].
    func lossAndGradients(_ e: EncodedText, tags: [Int], rows: [Int32] = [], into g: Gradients) -> (Double, [Float]) {
        let T = e.length, K = crf.K
        if T == 0 { return (0, []) }
        let em = emissions(e, rows: rows)
        let (loss, grad) = crf.negLogLikelihood(emissions: em, transitions: transitions.value, start: start.value, end: end.value, gold: tags)
        g.withDense(transitions) { p in for i in 0..<(K * K) { p[i] += Float(grad.transitions[i]) } }
        g.withDense(start) { p in for i in 0..<K { p[i] += Float(grad.start[i]) } }
        g.withDense(end) { p in for i in 0..<K { p[i] += Float(grad.end[i]) } }
        let H = inputDim
        grad.emissions.withUnsafeBufferPointer { d in
            e.vectors.withUnsafeBufferPointer { x in
                g.withDense(weight) { matmul(x.baseAddress!, d.baseAddress!, $0, m: H, n: K, k: T, transA: true, beta: 1) }
            }
            g.withDense(bias) { sumRows(d.baseAddress!, $0, rows: T, cols: K) }
        }
        if let table, !rows.isEmpty {
            SparseEmissions.backward(rows: rows, table: table, dEmissions: grad.emissions, length: T, tags: K, into: g)
        }
        var dx = [Float](repeating: 0, count: T * H)
        grad.emissions.withUnsafeBufferPointer { d in weight.value.withUnsafeBufferPointer { w in dx.withUnsafeMutableBufferPointer { o in
            matmul(d.baseAddress!, w.baseAddress!, o.baseAddress!, m: T, n: H, k: K, transB: true)
        } } }
        return (loss, dx)
    }
}

/// The tagger shared by span and event heads: one CRF layer per label group, so that
/// spans of labels in different groups may overlap or nest (CAIL2021 puts the victim
/// inside the stolen goods or the place). Groups come from `HeadSettings.layers`
/// (nil: one layer); the tensors of layer i > 0 carry the prefix "layer<i>.".
/// With `emissionBuckets` > 0 every layer has a sparse emission table (`SparseEmissions`)
/// fed by the text's characters, which `decode` and `lossAndGradients` then need.
final class TaggerCore: @unchecked Sendable {
    let labels: [String]
    let layers: [TaggerLayer]
    /// For each layer, the global index of each of its labels.
    let globalIndex: [[Int]]
    /// Rows of each layer's sparse emission table (0: no sparse path).
    let emissionBuckets: Int

    init(prefix: String, scheme: TagScheme, labels: [String], groups: [[String]]?, inputDim: Int, emissionBuckets: Int? = nil,
         tensors: [String: SafeTensor]?, path: String, seed: UInt64) throws {
        self.labels = labels
        let B = emissionBuckets ?? 0
        guard B >= 0 && B <= SparseEmissions.maxBuckets else {
            throw WenshuError(.bundle.badHead, "emissionBuckets must be between 0 and \(SparseEmissions.maxBuckets), got \(B)", stage: .model, path: path)
        }
        self.emissionBuckets = B
        let gs = (groups?.filter { !$0.isEmpty }).flatMap { $0.isEmpty ? nil : $0 } ?? [labels]
        var layers: [TaggerLayer] = [], idx: [[Int]] = []
        for (i, g) in gs.enumerated() {
            let p = i == 0 ? prefix : prefix + "layer\(i)."
            layers.append(try TaggerLayer(prefix: p, scheme: scheme, labels: g, inputDim: inputDim, emissionBuckets: B, tensors: tensors, path: path,
                                          seed: seed &+ UInt64(i) &* 31))
            idx.append(g.map { labels.firstIndex(of: $0) ?? 0 })
        }
        self.layers = layers; globalIndex = idx
    }

    var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// The sparse path's feature rows for a text of `e`'s length (empty without the path, or
    /// when `text` is missing or does not match the encoded length: the dense part alone).
    func featureRows(_ e: EncodedText, text: [Unicode.Scalar]?) -> [Int32] {
        guard emissionBuckets > 0, let text, text.count == e.length else { return [] }
        return SparseEmissions.rows(text, buckets: emissionBuckets)
    }

    /// Best spans (global label index, start, end) over all layers, sorted by position;
    /// `text` (the encoded characters) feeds the sparse emission path when the core has one.
    func decode(_ e: EncodedText, text: [Unicode.Scalar]? = nil) -> [(label: Int, start: Int, end: Int)] {
        var out: [(label: Int, start: Int, end: Int)] = []
        let rows = featureRows(e, text: text ?? e.text)
        for (i, l) in layers.enumerated() { out += l.decode(e, rows: rows).map { (globalIndex[i][$0.label], $0.start, $0.end) } }
        return out.sorted { ($0.start, $0.end, $0.label) < ($1.start, $1.end, $1.label) }
    }

    /// Gold tags per layer for labelled spans.
    func tags(_ spans: [(label: String, start: Int, end: Int)], length: Int) -> [[Int]] {
        layers.map { $0.tags(spans, length: length) }
    }

    /// Summed NLL over layers and dL/d vectors [T x H]; the sparse path reads `e.text`
    /// (set by the trainer).
    func lossAndGradients(_ e: EncodedText, tags: [[Int]], into g: Gradients) -> (Double, [Float]) {
        var loss = 0.0
        var dx = [Float](repeating: 0, count: e.length * e.width)
        let rows = featureRows(e, text: e.text)
        for (l, t) in zip(layers, tags) where t.count == e.length {
            let (li, d) = l.lossAndGradients(e, tags: t, rows: rows, into: g)
            loss += li
            if !d.isEmpty { axpy(1, d, &dx) }
        }
        return (loss, dx)
    }

    /// Label groups for nested data: labels whose spans overlap in more than `tolerance`
    /// of the rarer label's spans go to different layers (greedy, most frequent first).
    static func groups(_ examples: [[(label: String, start: Int, end: Int)]], labels: [String], tolerance: Double = 0.02) -> [[String]] {
        var count: [String: Int] = [:]
        var overlap: [String: Int] = [:]
        for spans in examples {
            for s in spans { count[s.label, default: 0] += 1 }
            for i in spans.indices { for j in spans.indices where i < j {
                let a = spans[i], b = spans[j]
                if a.label != b.label && a.start < b.end && b.start < a.end {
                    overlap[min(a.label, b.label) + "\u{1}" + max(a.label, b.label), default: 0] += 1
                }
            } }
        }
        func conflict(_ a: String, _ b: String) -> Bool {
            let o = overlap[min(a, b) + "\u{1}" + max(a, b)] ?? 0
            return Double(o) > tolerance * Double(max(1, min(count[a] ?? 0, count[b] ?? 0)))
        }
        var groups: [[String]] = []
        for l in labels.sorted(by: { (count[$0] ?? 0, $1) > (count[$1] ?? 0, $0) }) {
            if let i = groups.firstIndex(where: { g in !g.contains { conflict($0, l) } }) { groups[i].append(l) }
            else { groups.append([l]) }
        }
        return groups.map { $0.sorted() }
    }
}
