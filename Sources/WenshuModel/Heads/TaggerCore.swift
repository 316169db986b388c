import Foundation
import WenshuCore
import WenshuTensor

/// The CRF tagging layer shared by span and event heads: emissions = vectors W + b
/// ([T x H] x [H x K]), then a linear-chain CRF with transitions [K x K], start and end [K].
final class TaggerCore: @unchecked Sendable {
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
