import Foundation
import WenshuCore
import WenshuTensor

/// One CRF tagging layer: emissions = vectors W + b ([T x H] x [H x K]), then a
/// linear-chain CRF with transitions [K x K], start and end [K].
final class TaggerLayer: @unchecked Sendable {
    let scheme: TagScheme
    let labels: [String]
    let inputDim: Int
    let crf: LinearChainCRF
    let weight: Parameter, bias: Parameter, transitions: Parameter, start: Parameter, end: Parameter

    init(prefix: String, scheme: TagScheme, labels: [String], inputDim: Int, tensors: [String: SafeTensor]?, path: String, seed: UInt64) throws {
        self.scheme = scheme; self.labels = labels; self.inputDim = inputDim
        crf = LinearChainCRF(scheme: scheme, labels: labels.count)
        let K = crf.K
        if let t = tensors {
            weight = try t.parameter(prefix + "weight", shape: [inputDim, K], path: path)
            bias = try t.parameter(prefix + "bias", shape: [K], path: path)
            transitions = try t.parameter(prefix + "crf.transitions", shape: [K, K], path: path)
            start = try t.parameter(prefix + "crf.start", shape: [K], path: path)
            end = try t.parameter(prefix + "crf.end", shape: [K], path: path)
        } else {
            var rng = SeededRandom(seed: seed &+ 202)
            weight = Parameter(name: prefix + "weight", shape: [inputDim, K], scale: sqrtf(6 / Float(inputDim + K)), rng: &rng)
            bias = Parameter(zeros: prefix + "bias", shape: [K])
            transitions = Parameter(zeros: prefix + "crf.transitions", shape: [K, K])
            start = Parameter(zeros: prefix + "crf.start", shape: [K])
            end = Parameter(zeros: prefix + "crf.end", shape: [K])
        }
    }

    var parameters: [Parameter] { [weight, bias, transitions, start, end] }

    /// vectors [T x H] -> emissions [T x K].
    func emissions(_ e: EncodedText) -> [Float] {
        let T = e.length, K = crf.K
        var out = [Float](repeating: 0, count: T * K)
        if T == 0 { return out }
        e.vectors.withUnsafeBufferPointer { x in weight.value.withUnsafeBufferPointer { w in out.withUnsafeMutableBufferPointer { o in
            matmul(x.baseAddress!, w.baseAddress!, o.baseAddress!, m: T, n: K, k: inputDim)
            bias.value.withUnsafeBufferPointer { addRowVector(o.baseAddress!, $0.baseAddress!, rows: T, cols: K) }
        } } }
        return out
    }

    /// Best spans (label index, start, end).
    func decode(_ e: EncodedText) -> [(label: Int, start: Int, end: Int)] {
        let tags = crf.viterbi(emissions: emissions(e), transitions: transitions.value, start: start.value, end: end.value, length: e.length)
        return scheme.decode(tags)
    }

    /// Gold tags for labelled spans.
    func tags(_ spans: [(label: String, start: Int, end: Int)], length: Int) -> [Int] {
        scheme.encode(spans.compactMap { s in labels.firstIndex(of: s.label).map { ($0, s.start, s.end) } }, length: length)
    }

    /// NLL of gold tags; accumulates CRF and projection gradients; returns dL/d vectors [T x H].
    func lossAndGradients(_ e: EncodedText, tags: [Int], into g: Gradients) -> (Double, [Float]) {
        let T = e.length, K = crf.K
        if T == 0 { return (0, []) }
        let em = emissions(e)
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
final class TaggerCore: @unchecked Sendable {
    let labels: [String]
    let layers: [TaggerLayer]
    /// For each layer, the global index of each of its labels.
    let globalIndex: [[Int]]

    init(prefix: String, scheme: TagScheme, labels: [String], groups: [[String]]?, inputDim: Int,
         tensors: [String: SafeTensor]?, path: String, seed: UInt64) throws {
        self.labels = labels
        let gs = (groups?.filter { !$0.isEmpty }).flatMap { $0.isEmpty ? nil : $0 } ?? [labels]
        var layers: [TaggerLayer] = [], idx: [[Int]] = []
        for (i, g) in gs.enumerated() {
            let p = i == 0 ? prefix : prefix + "layer\(i)."
            layers.append(try TaggerLayer(prefix: p, scheme: scheme, labels: g, inputDim: inputDim, tensors: tensors, path: path,
                                          seed: seed &+ UInt64(i) &* 31))
            idx.append(g.map { labels.firstIndex(of: $0) ?? 0 })
        }
        self.layers = layers; globalIndex = idx
    }

    var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// Best spans (global label index, start, end) over all layers, sorted by position.
    func decode(_ e: EncodedText) -> [(label: Int, start: Int, end: Int)] {
        var out: [(label: Int, start: Int, end: Int)] = []
        for (i, l) in layers.enumerated() { out += l.decode(e).map { (globalIndex[i][$0.label], $0.start, $0.end) } }
        return out.sorted { ($0.start, $0.end, $0.label) < ($1.start, $1.end, $1.label) }
    }

    /// Gold tags per layer for labelled spans.
    func tags(_ spans: [(label: String, start: Int, end: Int)], length: Int) -> [[Int]] {
        layers.map { $0.tags(spans, length: length) }
    }

    /// Summed NLL over layers and dL/d vectors [T x H].
    func lossAndGradients(_ e: EncodedText, tags: [[Int]], into g: Gradients) -> (Double, [Float]) {
        var loss = 0.0
        var dx = [Float](repeating: 0, count: e.length * e.width)
        for (l, t) in zip(layers, tags) where t.count == e.length {
            let (li, d) = l.lossAndGradients(e, tags: t, into: g)
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
