import Foundation
import WenshuCore
import WenshuTensor

/// Document classifier over the encoder's document vector: logits = doc W + b with
/// softmax (single-label, cross-entropy) or sigmoid per label (multi-label, binary
/// cross-entropy; labels above a threshold, at most top-k, at least the best one).
public final class ClassifierHead: TrainableHead, @unchecked Sendable {
    public var description: HeadDescription
    /// [inputDim x labels].
    public let weight: Parameter
    /// [labels].
    public let bias: Parameter
    let inputDim: Int

    /// Builds the head from its description; `tensors` nil initialises fresh weights.
    public init(description: HeadDescription, inputDim: Int, tensors: [String: SafeTensor]?, path: String, seed: UInt64) throws {
        self.description = description
        self.inputDim = inputDim
        let L = description.labels.count
        if let t = tensors {
            weight = try t.parameter("weight", shape: [inputDim, L], path: path)
            bias = try t.parameter("bias", shape: [L], path: path)
        } else {
            var rng = SeededRandom(seed: seed &+ 101)
            weight = Parameter(name: "weight", shape: [inputDim, L], scale: sqrtf(6 / Float(inputDim + L)), rng: &rng)
            bias = Parameter(zeros: "bias", shape: [L])
        }
    }

    public var parameters: [Parameter] { [weight, bias] }
    var multi: Bool { description.kind == .multiLabel }

    /// doc [inputDim] -> logits [labels].
    func logits(_ doc: [Float]) -> [Float] {
        let L = description.labels.count
        var z = bias.value
        doc.withUnsafeBufferPointer { d in weight.value.withUnsafeBufferPointer { w in z.withUnsafeMutableBufferPointer { o in
            matmul(d.baseAddress!, w.baseAddress!, o.baseAddress!, m: 1, n: L, k: inputDim, beta: 1)
        } } }
        return z
    }

    /// Probabilities per label (softmax or sigmoid).
    public func probabilities(_ encoded: EncodedText) -> [Float] {
        let z = logits(encoded.document)
        return multi ? z.map(sigmoid) : softmax(z)
    }

    public func annotate(_ encoded: EncodedText, text: ScalarText, threshold: Double?, into out: inout ModelAnnotations) {
        let p = probabilities(encoded)
        let order = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var chosen: [Int]
        if multi {
            let th = Float(threshold ?? description.settings.threshold ?? 0.5)
            chosen = order.filter { p[$0] >= th }
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
        let (loss, dz) = ClassifierHead.lossGradient(logits: logits(encoded.document), targets: ys, multi: multi)
        let L = dz.count
        let doc = encoded.document
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
