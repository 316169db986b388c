import Foundation
import WenshuCore

/// A text run through a Transformer: its tokens and one hidden vector per token.
public struct TransformerDocument: Sendable {
    /// Tokens with [CLS] and [SEP], ids and scalar offsets (Hugging Face's layout).
    public var encoding: BertEncoding
    /// Last hidden state, [tokens x hidden] aligned with `encoding`.
    public var hidden: [Float]
    /// Pooler output of the first window, when the model has a pooler.
    public var pooled: [Float]?
    /// Windows the text ran in.
    public var windows: Int
}

/// A BERT-compatible Hugging Face checkpoint as Wenshu's shared encoder (frozen): the text
/// is tokenized exactly as Hugging Face's BertTokenizer does, run in windows of `maxLength`
/// tokens that overlap by `stride` tokens, and each token takes its vector from the window
/// where it has the most context on both sides. Each character then gets the vector of the
/// token covering it (zeros for characters in no token: whitespace and removed controls).
///
/// The bundle records the checkpoint folder and its fingerprint; the weights stay in the folder.
public final class TransformerEncoder: TrainableEncoder, @unchecked Sendable {
    /// The manifest's type name.
    public static let typeName = "transformer"

    /// Configuration (checkpoint folder, windows, batch, threads).
    public let config: TransformerEncoderConfig
    /// The tokenizer.
    public let tokenizer: BertTokenizer
    /// The network.
    public let model: BertModel
    private let folder: URL
    /// Outputs kept per text while the trainer runs epochs over a frozen encoder (see `setOutputCache`).
    private var outputCache: [[Unicode.Scalar]: EncodedText]?
    private let lock = NSLock()

    /// Loads the checkpoint in `config.checkpoint` (relative paths against `base`).
    public init(config: TransformerEncoderConfig, base: URL? = nil) throws {
        var c = config
        let url = Self.resolve(config.checkpoint, base: base)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            throw WenshuError(.transformer.missingCheckpoint,
                              "the Transformer checkpoint folder \(url.path) is missing: the bundle records the folder, not its weights; put the same checkpoint there",
                              stage: .model, path: url.path)
        }
        let model = try BertModel(folder: url)
        let tokenizer = try BertTokenizer.load(folder: url)
        if Int(tokenizer.tokens.count) > model.config.vocabSize {
            throw WenshuError(.transformer.badVocabulary,
                              "the tokenizer has \(tokenizer.tokens.count) tokens but the model's vocab_size is \(model.config.vocabSize)",
                              stage: .model, path: url.path)
        }
        if c.maxLength > model.config.maxSequence {
            // Windows no longer than the model allows; a stride that no longer fits shrinks with them.
            c.maxLength = model.config.maxSequence
            if c.stride >= c.maxLength - 2 { c.stride = (c.maxLength - 2) / 4 }
        }
        try c.validate(maxSequence: model.config.maxSequence)
        let fp = try Self.checkpointFingerprint(url)
        if !config.checkpointFingerprint.isEmpty && config.checkpointFingerprint != fp {
            throw WenshuError(.transformer.checkpointChanged,
                              "the Transformer checkpoint in \(url.path) is not the one the bundle was made with (fingerprint \(fp), the bundle records \(config.checkpointFingerprint))",
                              stage: .model, path: url.path)
        }
        c.checkpointFingerprint = fp
        self.config = c; self.model = model; self.tokenizer = tokenizer; self.folder = url
    }

    static func resolve(_ path: String, base: URL?) -> URL {
        if path.hasPrefix("/") || base == nil { return URL(fileURLWithPath: path) }
        return base!.appendingPathComponent(path)
    }

    /// SHA-256 over the folder's config.json, tokenizer files and model.safetensors.
    static func checkpointFingerprint(_ folder: URL) throws -> String {
        var h = SHA256Hasher()
        for name in ["config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "model.safetensors"] {
            let u = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: u.path) else { continue }
            guard let d = try? Data(contentsOf: u, options: .alwaysMapped) else {
                throw WenshuError(.transformer.missingCheckpoint, "cannot read \(name)", stage: .model, path: u.path)
            }
            h.update(Array(name.utf8))
            d.withUnsafeBytes { h.update($0.bindMemory(to: UInt8.self)) }
        }
        return h.finalize()
    }

    /// Loads the encoder of a manifest entry (the checkpoint folder it records).
    static func load(_ entry: EncoderManifest, folder: URL) throws -> TransformerEncoder {
        guard let c = entry.transformer else {
            throw WenshuError(.bundle.badManifest, "the transformer encoder entry has no `transformer` configuration", stage: .model,
                              path: folder.appendingPathComponent("manifest.json").path)
        }
        return try TransformerEncoder(config: c, base: folder)
    }

    // MARK: Running

    /// Window starts over `n` content tokens with room for `width` tokens each.
    func windowStarts(_ n: Int, width: Int) -> [Int] {
        if n <= width { return [0] }
        let step = width - config.stride
        var starts: [Int] = []
        var s = 0
        while true {
            starts.append(s)
            if s + width >= n { break }
            s = min(s + step, n - width)
        }
        return starts
    }

    /// Runs texts (optionally with a second text each) and returns their tokens and hidden
    /// states. Windows of all texts run together in batches of `batchSize`, sorted by length.
    /// `pairs` gives the second text of each text (nil: none). A pair that does not fit in one window
    /// has its longer part cut (longest first, as Hugging Face truncates).
    public func run(_ texts: [[Unicode.Scalar]], pairs: [[Unicode.Scalar]?]? = nil) -> [TransformerDocument] {
        let width = config.maxLength - 2
        var inputs: [BertInput] = []
        var plans: [(encoding: BertEncoding, starts: [Int], first: Int)] = []
        for (k, text) in texts.enumerated() {
            var a = tokenizer.wordPieces(text)
            if let ps = pairs, k < ps.count, let p = ps[k] {
                var b = tokenizer.wordPieces(p)
                while a.count + b.count > width - 1 { if a.count >= b.count { a.removeLast() } else { b.removeLast() } }
                var e = BertEncoding(ids: [tokenizer.clsID], tokens: ["[CLS]"], offsets: [0..<0], typeIDs: [0])
                for (seg, part) in [a, b].enumerated() {
                    for t in part { e.ids.append(t.id); e.tokens.append(tokenizer.token(t.id)); e.offsets.append(t.range); e.typeIDs.append(Int32(seg)) }
                    e.ids.append(tokenizer.sepID); e.tokens.append("[SEP]"); e.offsets.append(0..<0); e.typeIDs.append(Int32(seg))
                }
                plans.append((e, [], inputs.count))
                inputs.append(BertInput(ids: e.ids, typeIDs: e.typeIDs))
                continue
            }
            var e = BertEncoding(ids: [tokenizer.clsID], tokens: ["[CLS]"], offsets: [0..<0], typeIDs: [0])
            for t in a { e.ids.append(t.id); e.tokens.append(tokenizer.token(t.id)); e.offsets.append(t.range); e.typeIDs.append(0) }
            e.ids.append(tokenizer.sepID); e.tokens.append("[SEP]"); e.offsets.append(0..<0); e.typeIDs.append(0)
            let starts = windowStarts(a.count, width: width)
            plans.append((e, starts, inputs.count))
            for s in starts {
                let body = Array(e.ids[(1 + s)..<(1 + min(a.count, s + width))])
                inputs.append(BertInput(ids: [tokenizer.clsID] + body + [tokenizer.sepID]))
            }
        }
        let outs = forward(inputs)
        let H = model.config.hiddenSize
        return plans.map { plan in
            let e = plan.encoding
            if plan.starts.count <= 1 {
                let o = outs[plan.first]
                return TransformerDocument(encoding: e, hidden: o.hidden, pooled: o.pooled, windows: 1)
            }
            let n = e.count - 2
            var hidden = [Float](repeating: 0, count: e.count * H)
            let firstOut = outs[plan.first], lastOut = outs[plan.first + plan.starts.count - 1]
            hidden.replaceSubrange(0..<H, with: firstOut.hidden[0..<H])
            let lastRows = lastOut.hidden.count / H
            hidden.replaceSubrange(((e.count - 1) * H)..<(e.count * H), with: lastOut.hidden[((lastRows - 1) * H)..<(lastRows * H)])
            for i in 0..<n {
                // The window where token i has the most context on its poorer side.
                var best = 0, bestScore = Int.min
                for (w, s) in plan.starts.enumerated() where i >= s && i < s + width {
                    let score = min(i - s, min(s + width, n) - 1 - i)
                    if score > bestScore { bestScore = score; best = w }
                }
                let row = 1 + i - plan.starts[best]
                hidden.replaceSubrange(((1 + i) * H)..<((2 + i) * H), with: outs[plan.first + best].hidden[(row * H)..<((row + 1) * H)])
            }
            return TransformerDocument(encoding: e, hidden: hidden, pooled: firstOut.pooled, windows: plan.starts.count)
        }
    }

    /// Runs inputs in batches of similar length (longest first) and returns outputs in input order.
    public func forward(_ inputs: [BertInput]) -> [BertOutput] {
        var outs = [BertOutput?](repeating: nil, count: inputs.count)
        let order = inputs.indices.sorted { inputs[$0].ids.count > inputs[$1].ids.count }
        var k = 0
        while k < order.count {
            let idx = Array(order[k..<min(order.count, k + config.batchSize)])
            for (i, o) in zip(idx, model.forward(idx.map { inputs[$0] }, threads: config.threads)) { outs[i] = o }
            k += config.batchSize
        }
        return outs.map { $0! }
    }

    /// Per-character vectors from a document's token vectors: each character takes the vector of
    /// the first token covering it; characters in no token stay zero.
    func characterVectors(_ doc: TransformerDocument, length: Int) -> [Float] {
        let H = model.config.hiddenSize
        var v = [Float](repeating: 0, count: length * H)
        var done = [Bool](repeating: false, count: length)
        for (t, r) in doc.encoding.offsets.enumerated() where !r.isEmpty {
            for c in r where c < length && !done[c] {
                done[c] = true
                v.replaceSubrange((c * H)..<((c + 1) * H), with: doc.hidden[(t * H)..<((t + 1) * H)])
            }
        }
        return v
    }

    /// Encodes several texts with their windows batched together.
    public func encode(_ texts: [AnalyzedText]) -> [EncodedText] {
        let docs = run(texts.map(\.scalars))
        let H = outputDim
        return zip(texts, docs).map { text, doc in
            let v = characterVectors(doc, length: text.count)
            var out = EncodedText(length: text.count, width: H, vectors: v, document: EncodedText.pool(v, rows: text.count, width: H, groups: [H]),
                                  cache: nil)
            out.sentence = text.sentenceIndex
            return out
        }
    }

    // MARK: TextEncoder

    public var outputDim: Int { model.config.hiddenSize }
    /// Mean and max of the character vectors.
    public var documentDim: Int { 2 * outputDim }
    /// Frozen: nothing to train.
    public var parameters: [Parameter] { [] }
    public func validate() throws { try config.validate(maxSequence: model.config.maxSequence) }
    public var summary: String {
        let c = model.config
        return "transformer: \(c.modelType) \(c.numHiddenLayers) layers, hidden \(c.hiddenSize), \(c.numAttentionHeads) heads, vocabulary \(c.vocabSize), windows \(config.maxLength)/\(config.stride), frozen (\(folder.path))"
    }

    /// SHA-256 over the checkpoint's fingerprint and the window settings (which change the vectors).
    public var fingerprint: String {
        var h = SHA256Hasher()
        h.update(Array("transformer|\(config.checkpointFingerprint)|\(config.maxLength)|\(config.stride)".utf8))
        return h.finalize()
    }

    public func manifestEntry(prefix: String) -> EncoderManifest {
        var e = EncoderManifest(type: Self.typeName, fingerprint: fingerprint, origin: "Hugging Face checkpoint at \(config.checkpoint) (not copied into the bundle)")
        e.transformer = config
        return e
    }

    /// Writes nothing: the checkpoint stays in its folder, which the manifest entry records.
    public func write(to folder: URL, prefix: String) throws -> EncoderManifest { manifestEntry(prefix: prefix) }

    public func encode(_ text: AnalyzedText) -> EncodedText {
        lock.lock(); let hit = outputCache?[text.scalars]; lock.unlock()
        if let hit { return hit }
        let out = encode([text])[0]
        lock.lock(); if outputCache != nil { outputCache![text.scalars] = out }; lock.unlock()
        return out
    }

    // MARK: Training (frozen: the trainer's epochs read each text's vectors from memory after the first)

    func encode(_ text: AnalyzedText, training: Bool, dropout: Float, seed: UInt64) -> EncodedText { encode(text) }
    func backward(_ enc: EncodedText, dVectors: [Float]?, dDocument: [Float]?, into g: Gradients) {}
    func invalidateFingerprint() {}
    func setOutputCache(_ on: Bool) { lock.lock(); outputCache = on ? [:] : nil; lock.unlock() }
}
