import Foundation
import WenshuCore
import WenshuTensor

/// One input sequence: token ids (special tokens included) and token types.
public struct BertInput: Sendable, Equatable {
    /// Token ids.
    public var ids: [Int32]
    /// Token types (segment ids); empty means all 0.
    public var typeIDs: [Int32]
    /// An input sequence.
    public init(ids: [Int32], typeIDs: [Int32] = []) { self.ids = ids; self.typeIDs = typeIDs }
}

/// What the model returns for one sequence.
public struct BertOutput: Sendable {
    /// Last hidden state [tokens x hidden], row-major.
    public var hidden: [Float]
    /// Pooler output [hidden] (tanh of the pooler layer over the first token), when the model has a pooler.
    public var pooled: [Float]?
}

/// The BERT forward pass on CPU (Hugging Face's BertModel in eval mode): word, position and
/// token-type embeddings with LayerNorm, post-LayerNorm layers of multi-head self-attention
/// and an exact-GELU feed-forward layer, then the pooler when present.
///
/// Sequences run together: the rows of every sequence in a batch are stacked without padding
/// and each projection is one `cblas_sgemm` over all of them (query, key and value fused into
/// one [3H x H] product); only attention runs per sequence and head. `forwardPadded` takes a
/// padded batch with an attention mask, as Hugging Face does, for comparison.
public final class BertModel: @unchecked Sendable {
    /// Architecture.
    public let config: BertConfig
    /// Weights.
    public let weights: BertWeights

    /// When set, forward passes add their projection GEMM time and work here.
    public var profile: BertProfile?

    /// A model over checked weights.
    public init(config: BertConfig, weights: BertWeights) { self.config = config; self.weights = weights }

    /// Loads `config.json` and `model.safetensors` of a folder (every tensor name and shape checked).
    public convenience init(folder: URL) throws {
        let config = try BertConfig.read(from: folder.appendingPathComponent("config.json"))
        let st = folder.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: st.path) else {
            let bin = FileManager.default.fileExists(atPath: folder.appendingPathComponent("pytorch_model.bin").path)
            throw WenshuError(.transformer.missingWeights,
                              "model.safetensors is missing" + (bin ? " (the folder has pytorch_model.bin: convert it with scripts/convert-hf.py)" : ""),
                              stage: .model, path: st.path)
        }
        let tensors = try SafeTensors.read(from: st).tensors
        self.init(config: config, weights: try BertWeights(config: config, tensors: tensors, path: st.path))
    }

    /// Whether the checkpoint has a pooler.
    public var hasPooler: Bool { weights.poolerWeight != nil }

    /// Hidden states of each sequence, run together as one packed batch on `threads` threads.
    /// Every sequence must be non-empty, within `config.maxSequence` tokens and the vocabulary
    /// (the caller's tokenizer guarantees it; ids outside are clamped to [UNK]-free zero rows).
    public func forward(_ inputs: [BertInput], threads: Int = 1) -> [BertOutput] {
        let lengths = inputs.map(\.ids.count)
        var ids: [Int32] = [], types: [Int32] = [], pos: [Int32] = []
        for x in inputs {
            ids += x.ids
            types += x.typeIDs.count == x.ids.count ? x.typeIDs : [Int32](repeating: 0, count: x.ids.count)
            pos += (0..<x.ids.count).map { Int32($0 + config.positionOffset) }
        }
        var starts: [Int] = [], s = 0
        for l in lengths { starts.append(s); s += l }
        let hidden = run(ids: ids, types: types, positions: pos, segments: zip(starts, lengths).map { ($0, $1, nil) }, threads: threads)
        let H = config.hiddenSize
        return zip(starts, lengths).map { st, l in
            let h = Array(hidden[(st * H)..<((st + l) * H)])
            return BertOutput(hidden: h, pooled: pool(h))
        }
    }

    /// Hugging Face's padded form: ids [batch x length] with an attention mask (1 keep, 0 pad);
    /// returns the last hidden state [batch x length x hidden] (pad rows included, as HF computes them)
    /// and the pooled outputs.
    public func forwardPadded(ids: [[Int32]], mask: [[Int32]], typeIDs: [[Int32]]? = nil, threads: Int = 1) -> [BertOutput] {
        let L = ids.map(\.count).max() ?? 0
        var flat: [Int32] = [], types: [Int32] = [], pos: [Int32] = []
        var segs: [(Int, Int, [Float]?)] = []
        for (b, row) in ids.enumerated() {
            flat += row; types += typeIDs?[b] ?? [Int32](repeating: 0, count: row.count)
            pos += (0..<row.count).map { Int32($0 + config.positionOffset) }
            // Hugging Face adds the float minimum to masked keys.
            segs.append((b * L, L, mask[b].map { $0 == 0 ? -Float.greatestFiniteMagnitude : 0 }))
        }
        let hidden = run(ids: flat, types: types, positions: pos, segments: segs, threads: threads)
        let H = config.hiddenSize
        return (0..<ids.count).map { b in
            let h = Array(hidden[(b * L * H)..<((b + 1) * L * H)])
            return BertOutput(hidden: h, pooled: pool(h))
        }
    }

    private func pool(_ h: [Float]) -> [Float]? {
        guard let w = weights.poolerWeight, let b = weights.poolerBias, !h.isEmpty else { return nil }
        let H = config.hiddenSize
        var out = b
        for i in 0..<H {
            var s: Float = 0
            for j in 0..<H { s += w[i * H + j] * h[j] }
            out[i] = tanhf(out[i] + s)
        }
        return out
    }

    @inline(__always)
    private func timeGEMM(m: Int, n: Int, k: Int, _ body: () -> Void) {
        guard let p = profile else { body(); return }
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        p.gemmSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        p.gemmFlops += 2 * Double(m) * Double(n) * Double(k)
    }

    /// The layers over stacked rows; `segments` are (first row, rows, additive key mask or nil).
    func run(ids: [Int32], types: [Int32], positions: [Int32], segments: [(Int, Int, [Float]?)], threads: Int) -> [Float] {
        let c = config, w = weights
        let N = ids.count, H = c.hiddenSize, I = c.intermediateSize, heads = c.numAttentionHeads, d = c.headDim
        let T = max(1, threads)
        // BLAS runs on one thread; the projections split their columns over `threads` workers
        // (`gemmParallel`), attention its heads.
        BLAS.setThreads(1)
        var x = [Float](repeating: 0, count: N * H)
        var qkv = [Float](repeating: 0, count: N * 3 * H)
        var ctx = [Float](repeating: 0, count: N * H)
        var inter = [Float](repeating: 0, count: N * I)
        let maxL = segments.map(\.1).max() ?? 0
        var scores = [Float](repeating: 0, count: T * maxL * maxL)
        let scale = 1 / Float(d).squareRoot()
        x.withUnsafeMutableBufferPointer { xb in
            let X = xb.baseAddress!
            // Embeddings.
            w.wordEmbeddings.withUnsafeBufferPointer { we in
                w.positionEmbeddings.withUnsafeBufferPointer { pe in
                    w.tokenTypeEmbeddings.withUnsafeBufferPointer { te in
                        for r in 0..<N {
                            let id = min(max(Int(ids[r]), 0), c.vocabSize - 1)
                            let p = min(max(Int(positions[r]), 0), c.maxPositionEmbeddings - 1)
                            let t = min(max(Int(types[r]), 0), c.typeVocabSize - 1)
                            let row = X + r * H
                            for j in 0..<H { row[j] = we[id * H + j] + pe[p * H + j] + te[t * H + j] }
                        }
                    }
                }
            }
            TransformerKernels.parallel(N, parts: T) { rows in
                TransformerKernels.addLayerNorm(X, residual: nil, gamma: w.embNormWeight, beta: w.embNormBias, rows: rows, n: H, eps: c.layerNormEps)
            }
            qkv.withUnsafeMutableBufferPointer { qb in
            ctx.withUnsafeMutableBufferPointer { cb in
            inter.withUnsafeMutableBufferPointer { ib in
            scores.withUnsafeMutableBufferPointer { sb in
                let Q = qb.baseAddress!, C = cb.baseAddress!, F = ib.baseAddress!, S = sb.baseAddress!
                for layer in w.layers {
                    // Fused Q, K, V projection: [N x 3H] = X [N x H] * Wqkv^T + b.
                    TransformerKernels.fillRows(Q, layer.qkvBias, rows: N, n: 3 * H)
                    timeGEMM(m: N, n: 3 * H, k: H) { TransformerKernels.gemmParallel(X, lda: H, layer.qkvWeight, ldb: H, transB: true, Q, ldc: 3 * H, m: N, n: 3 * H, k: H, beta: 1, parts: T) }
                    // Attention per sequence and head, spread over threads (BLAS on one thread inside).
                    let jobs = segments.count * heads
                    let attentionStart = profile == nil ? 0 : DispatchTime.now().uptimeNanoseconds
                    TransformerKernels.parallelParts(jobs, parts: T) { worker, range in
                        let Sw = S + worker * maxL * maxL
                        for job in range {
                            let (start, L, mask) = segments[job / heads]
                            let h = job % heads
                            let q = Q + start * 3 * H + h * d
                            TransformerKernels.gemm(q, lda: 3 * H, q + H, ldb: 3 * H, transB: true, Sw, ldc: L, m: L, n: L, k: d, alpha: scale)
                            if let m = mask {
                                m.withUnsafeBufferPointer { TransformerKernels.softmaxRows(Sw, rows: L, n: L, ld: L, mask: $0.baseAddress) }
                            } else {
                                TransformerKernels.softmaxRows(Sw, rows: L, n: L, ld: L, mask: nil)
                            }
                            TransformerKernels.gemm(Sw, lda: L, q + 2 * H, ldb: 3 * H, transB: false, C + start * H + h * d, ldc: H, m: L, n: d, k: L)
                        }
                    }
                    if let p = profile { p.attentionSeconds += Double(DispatchTime.now().uptimeNanoseconds - attentionStart) / 1e9 }
                    // Output projection, residual, LayerNorm: X = LN(ctx * Wo^T + bo + X).
                    var proj = [Float](repeating: 0, count: N * H)
                    proj.withUnsafeMutableBufferPointer { pb in
                        let P = pb.baseAddress!
                        TransformerKernels.fillRows(P, layer.attnOutBias, rows: N, n: H)
                        timeGEMM(m: N, n: H, k: H) { TransformerKernels.gemmParallel(C, lda: H, layer.attnOutWeight, ldb: H, transB: true, P, ldc: H, m: N, n: H, k: H, beta: 1, parts: T) }
                        TransformerKernels.parallel(N, parts: T) { rows in
                            TransformerKernels.addLayerNorm(P, residual: X, gamma: layer.attnNormWeight, beta: layer.attnNormBias, rows: rows, n: H, eps: c.layerNormEps)
                        }
                        // Feed-forward: F = act(X' Wi^T + bi); X = LN(F Wout^T + bout + X').
                        TransformerKernels.fillRows(F, layer.interBias, rows: N, n: I)
                        timeGEMM(m: N, n: I, k: H) { TransformerKernels.gemmParallel(P, lda: H, layer.interWeight, ldb: H, transB: true, F, ldc: I, m: N, n: I, k: H, beta: 1, parts: T) }
                        TransformerKernels.parallel(N * I, parts: T) { TransformerKernels.activate(F, range: $0, kind: c.hiddenAct) }
                        TransformerKernels.fillRows(X, layer.outBias, rows: N, n: H)
                        timeGEMM(m: N, n: H, k: I) { TransformerKernels.gemmParallel(F, lda: I, layer.outWeight, ldb: I, transB: true, X, ldc: H, m: N, n: H, k: I, beta: 1, parts: T) }
                        TransformerKernels.parallel(N, parts: T) { rows in
                            TransformerKernels.addLayerNorm(X, residual: P, gamma: layer.outNormWeight, beta: layer.outNormBias, rows: rows, n: H, eps: c.layerNormEps)
                        }
                    }
                }
            }}}}
        }
        return x
    }
}
