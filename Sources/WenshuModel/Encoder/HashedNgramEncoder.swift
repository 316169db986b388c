import Foundation
import WenshuCore
import WenshuTensor

/// fastText-style encoder. Every character position gets the hashed, position-tagged
/// character n-grams (n = minN...maxN) of a small window around it (so "被告 at -2" and
/// "被告 at +1" are different features), plus a character-shape feature and optional
/// word-boundary features; its vector is the mean of those embedding rows. A context
/// layer then concatenates the means of the neighbouring positions and applies
/// tanh(X W + b), giving the per-character vectors; the document vector is their mean
/// and max. Everything is local, so texts of any length are encoded exactly in windows.
public final class HashedNgramEncoder: TrainableEncoder, @unchecked Sendable {
    /// The manifest's type name.
    public static let typeName = "hashed-ngram"
    /// Configuration.
    public let config: EncoderConfig
    /// [buckets x dim] hashed n-gram embedding table (sparse updates).
    public let embedding: Parameter
    /// [(2 * context + 1) * dim x hidden] context layer weight (absent when hidden == 0).
    public let contextWeight: Parameter?
    /// [hidden] context layer bias.
    public let contextBias: Parameter?

    /// Characters per window when encoding long texts (bounds memory; results are exact).
    public static let windowSize = 512

    private var cachedFingerprint: String?
    private let lock = NSLock()

    /// A freshly initialised encoder (seeded). Out-of-range sizes are clamped to the
    /// smallest valid ones so nothing traps; `config.validate()` reports them.
    public init(config: EncoderConfig) {
        var config = config
        config.dim = max(1, config.dim); config.buckets = max(16, config.buckets); config.hidden = max(0, config.hidden)
        config.context = min(3, max(0, config.context)); config.minN = max(1, config.minN); config.maxN = min(5, max(config.minN, config.maxN))
        config.window = min(5, max(0, config.window))
        self.config = config
        var rng = SeededRandom(seed: config.seed &* 0x5851_F42D_4C95_7F2D &+ 17)
        embedding = Parameter(name: "embedding", shape: [config.buckets, config.dim], scale: 0.5, rng: &rng, sparse: true)
        if config.hidden > 0 {
            let inDim = (2 * config.context + 1) * config.dim
            contextWeight = Parameter(name: "context.weight", shape: [inDim, config.hidden],
                                      scale: sqrtf(6 / Float(inDim + config.hidden)), rng: &rng)
            contextBias = Parameter(zeros: "context.bias", shape: [config.hidden])
        } else {
            contextWeight = nil; contextBias = nil
        }
    }

    /// An encoder over loaded tensors; every shape is checked against the configuration.
    public init(config: EncoderConfig, tensors: [String: SafeTensor], path: String) throws {
        try config.validate()
        self.config = config
        embedding = try tensors.parameter("embedding", shape: [config.buckets, config.dim], path: path, sparse: true)
        if config.hidden > 0 {
            let inDim = (2 * config.context + 1) * config.dim
            contextWeight = try tensors.parameter("context.weight", shape: [inDim, config.hidden], path: path)
            contextBias = try tensors.parameter("context.bias", shape: [config.hidden], path: path)
        } else {
            contextWeight = nil; contextBias = nil
        }
    }

    /// Trainable parameters.
    public var parameters: [Parameter] { [embedding] + [contextWeight, contextBias].compactMap { $0 } }

    /// Width of the per-character vectors.
    public var outputDim: Int { config.outputDim }
    /// Width of the document vector.
    public var documentDim: Int { config.documentDim }
    /// Checks the configuration.
    public func validate() throws { try config.validate() }
    /// Type and sizes.
    public var summary: String {
        let c = config
        return "hashed-ngram: dim \(c.dim), buckets \(c.buckets), n-grams \(c.minN)-\(c.maxN), window \(c.window), hidden \(c.hidden), word features \(c.wordFeatures)"
    }

    /// Loads the encoder of a manifest entry from `folder` (every shape checked).
    static func load(_ entry: EncoderManifest, folder: URL) throws -> HashedNgramEncoder {
        let manifestPath = folder.appendingPathComponent("manifest.json").path
        guard let config = entry.config else {
            throw WenshuError(.bundle.badManifest, "the hashed-ngram encoder entry has no config", stage: .model, path: manifestPath)
        }
        try config.validate()
        let url = folder.appendingPathComponent(entry.file ?? "encoder.safetensors")
        return try HashedNgramEncoder(config: config, tensors: SafeTensors.read(from: url).tensors, path: url.path)
    }

    /// Its manifest entry; the tensors live in `<prefix>encoder.safetensors`.
    public func manifestEntry(prefix: String) -> EncoderManifest {
        EncoderManifest(type: Self.typeName, config: config, fingerprint: fingerprint, file: prefix + "encoder.safetensors")
    }

    /// Writes `<prefix>encoder.safetensors`.
    public func write(to folder: URL, prefix: String) throws -> EncoderManifest {
        try config.validate()
        let entry = manifestEntry(prefix: prefix)
        try SafeTensors.write(parameters.tensors, metadata: ["module": "encoder", "type": Self.typeName, "fingerprint": fingerprint],
                              to: folder.appendingPathComponent(entry.file!))
        return entry
    }

    /// SHA-256 of the canonical configuration JSON and every weight, cached until the weights change.
    public var fingerprint: String {
        lock.lock(); defer { lock.unlock() }
        if let f = cachedFingerprint { return f }
        var h = SHA256Hasher()
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        h.update(Array((try? enc.encode(config)) ?? Data()))
        for p in parameters {
            h.update(Array(p.name.utf8))
            p.value.withUnsafeBytes { h.update($0) }
        }
        let f = h.finalize()
        cachedFingerprint = f
        return f
    }

    /// Forgets the cached fingerprint (after training changed the weights).
    func invalidateFingerprint() { lock.lock(); cachedFingerprint = nil; lock.unlock() }

    // MARK: features

    /// Number of hashed features per character.
    public func featuresPerChar(words: Bool) -> Int {
        var f = 1 // shape
        for n in config.minN...config.maxN { f += max(0, 2 * config.window + 2 - n) }
        if words && config.wordFeatures { f += 2 }
        return f
    }

    @inline(__always) private func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static let chineseNumerals = Set("零〇一二三四五六七八九十百千万亿两".unicodeScalars.map(\.value))

    @inline(__always) private static func charClass(_ c: UInt32) -> UInt64 {
        if c >= 0x110000 { return 0 }
        if c >= 0x30 && c <= 0x39 { return 1 }
        if (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) { return 2 }
        if c >= 0x4E00 && c <= 0x9FFF { return 3 }
        if chineseNumerals.contains(c) { return 4 }
        if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { return 5 }
        if c < 0x80 { return 6 }
        return 7
    }

    /// Bucket ids [(hi - lo) x F] for positions lo..<hi of the folded codes.
    func featureIDs(_ codes: [UInt32], _ lo: Int, _ hi: Int, wordStarts: Set<Int>?) -> [Int32] {
        let T = codes.count, w = config.window
        let words = wordStarts != nil && config.wordFeatures
        let F = featuresPerChar(words: wordStarts != nil)
        var ids = [Int32](repeating: 0, count: (hi - lo) * F)
        let B = UInt64(config.buckets)
        let seed = mix(config.seed &+ 0xABCDEF)
        @inline(__always) func code(_ j: Int) -> UInt64 { j < 0 ? 0x110000 : (j >= T ? 0x110001 : UInt64(codes[j])) }
        for i in lo..<hi {
            var k = (i - lo) * F
            for n in config.minN...config.maxN {
                if 2 * w + 2 - n <= 0 { continue }
                for o in (-w)...(w - n + 1) {
                    var h = seed ^ (UInt64(n) << 56) ^ (UInt64(o + 16) << 48)
                    for j in 0..<n { h = mix(h ^ code(i + o + j) &+ UInt64(j)) }
                    ids[k] = Int32(truncatingIfNeeded: h % B); k += 1
                }
            }
            var shape: UInt64 = 0x5EA9E
            for o in -1...1 { shape = shape &* 8 &+ HashedNgramEncoder.charClass(UInt32(truncatingIfNeeded: code(i + o))) }
            ids[k] = Int32(truncatingIfNeeded: mix(seed ^ shape) % B); k += 1
            if words, let ws = wordStarts {
                let start: UInt64 = ws.contains(i) ? 1 : 0
                let end: UInt64 = (ws.contains(i + 1) || i + 1 == T) ? 1 : 0
                ids[k] = Int32(truncatingIfNeeded: mix(seed ^ 0x30D5 ^ (start << 1 | end)) % B); k += 1
                ids[k] = Int32(truncatingIfNeeded: mix(seed ^ 0x30D6 ^ (start << 1 | end) ^ (code(i) << 8)) % B); k += 1
            } else if wordStarts != nil {
                // Word features switched off in the config: pad with the shape feature's row.
                ids[k] = ids[k - 1]; k += 1; ids[k] = ids[k - 1]
            }
        }
        return ids
    }

    // MARK: forward

    /// Means [n x D] of the feature rows given ids [n x F].
    private func means(_ ids: [Int32], n: Int, F: Int) -> [Float] {
        let D = config.dim
        var out = [Float](repeating: 0, count: n * D)
        let inv = 1 / Float(F)
        embedding.value.withUnsafeBufferPointer { E in
            out.withUnsafeMutableBufferPointer { o in
                let e = E.baseAddress!
                for t in 0..<n {
                    let dst = o.baseAddress! + t * D
                    for f in 0..<F {
                        let src = e + Int(ids[t * F + f]) * D
                        for d in 0..<D { dst[d] += src[d] }
                    }
                    for d in 0..<D { dst[d] *= inv }
                }
            }
        }
        return out
    }

    /// Concatenation X [n x (2c+1)D] of mean rows around each of n positions; `mean`
    /// covers positions first..<first+m; rows outside are zero (text edges).
    private func contextInput(_ mean: [Float], meanStart: Int, meanCount: Int, lo: Int, hi: Int) -> [Float] {
        let D = config.dim, c = config.context, W = (2 * c + 1) * D
        var X = [Float](repeating: 0, count: (hi - lo) * W)
        for t in lo..<hi {
            for j in 0..<(2 * c + 1) {
                let src = t - c + j - meanStart
                if src < 0 || src >= meanCount { continue }
                for d in 0..<D { X[(t - lo) * W + j * D + d] = mean[src * D + d] }
            }
        }
        return X
    }

    /// Character vectors [n x H] for positions lo..<hi (exact: context read from the whole text).
    private func forwardRange(_ codes: [UInt32], _ lo: Int, _ hi: Int, wordStarts: Set<Int>?,
                              keep: Bool) -> (h: [Float], ids: [Int32], mean: [Float]) {
        let T = codes.count
        let F = featuresPerChar(words: wordStarts != nil)
        guard let W1 = contextWeight, let b1 = contextBias else {
            let ids = featureIDs(codes, lo, hi, wordStarts: wordStarts)
            let m = means(ids, n: hi - lo, F: F)
            return (m, keep ? ids : [], keep ? m : [])
        }
        let c = config.context
        let mlo = max(0, lo - c), mhi = min(T, hi + c)
        let ids = featureIDs(codes, mlo, mhi, wordStarts: wordStarts)
        let mean = means(ids, n: mhi - mlo, F: F)
        let X = contextInput(mean, meanStart: mlo, meanCount: mhi - mlo, lo: lo, hi: hi)
        let n = hi - lo, H = config.hidden, K = (2 * c + 1) * config.dim
        var h = [Float](repeating: 0, count: n * H)
        X.withUnsafeBufferPointer { x in W1.value.withUnsafeBufferPointer { w in h.withUnsafeMutableBufferPointer { o in
            matmul(x.baseAddress!, w.baseAddress!, o.baseAddress!, m: n, n: H, k: K)
            b1.value.withUnsafeBufferPointer { addRowVector(o.baseAddress!, $0.baseAddress!, rows: n, cols: H) }
            tanhInPlace(o.baseAddress!, n: n * H)
        } } }
        return (h, keep ? ids : [], keep ? mean : [])
    }

    /// Encodes one analysed text; long texts go through in windows of `windowSize` characters.
    public func encode(_ text: AnalyzedText) -> EncodedText {
        encode(text, training: false, dropout: 0, seed: 0)
    }

    /// Training forward pass (see `TrainableEncoder`).
    func encode(_ text: AnalyzedText, training: Bool, dropout: Float, seed: UInt64) -> EncodedText {
        // Word starts only reach the features when the configuration uses them (else the
        // feature count, and so every mean, would differ from training).
        var out = encode(text.scalars, wordStarts: config.wordFeatures ? text.wordStarts : nil, training: training, dropout: dropout, seed: seed)
        out.sentence = text.sentenceIndex
        return out
    }

    /// Encodes bare scalars (sentences unknown: `sentence` is left empty).
    public func encode(_ text: [Unicode.Scalar], wordStarts: Set<Int>? = nil) -> EncodedText {
        encode(text, wordStarts: wordStarts, training: false)
    }

    /// Training forward pass: keeps the backward cache; `dropout` zeroes that fraction of
    /// the character vectors' elements (inverted dropout) with a mask drawn from `seed`.
    func encode(_ text: [Unicode.Scalar], wordStarts: Set<Int>?, training: Bool, dropout: Float = 0, seed: UInt64 = 0) -> EncodedText {
        let codes = CharFolding.fold(text, digits: config.foldDigits)
        let T = codes.count, H = config.outputDim
        if T == 0 {
            return EncodedText(length: 0, width: H, vectors: [], document: [Float](repeating: 0, count: 2 * H), cache: nil)
        }
        var vectors: [Float]
        var cache: EncoderCache? = nil
        if training || T <= HashedNgramEncoder.windowSize {
            let r = forwardRange(codes, 0, T, wordStarts: wordStarts, keep: training)
            vectors = r.h
            if training {
                cache = EncoderCache(ids: r.ids, featuresPerChar: featuresPerChar(words: wordStarts != nil), mean: r.mean, argmax: [])
                if dropout > 0 {
                    var rng = SeededRandom(seed: seed)
                    let scale = 1 / (1 - dropout)
                    cache!.keep = (0..<(T * H)).map { _ in rng.uniform(0, 1) < dropout ? Float(0) : scale }
                }
            }
        } else {
            vectors = []
            vectors.reserveCapacity(T * H)
            var lo = 0
            while lo < T {
                let hi = min(T, lo + HashedNgramEncoder.windowSize)
                vectors.append(contentsOf: forwardRange(codes, lo, hi, wordStarts: wordStarts, keep: false).h)
                lo = hi
            }
        }
        // Pooling: mean and max over positions.
        var doc = [Float](repeating: 0, count: 2 * H)
        var argmax = [Int32](repeating: 0, count: H)
        for j in 0..<H { doc[H + j] = vectors[j] }
        for t in 0..<T {
            for j in 0..<H {
                let v = vectors[t * H + j]
                doc[j] += v
                if v > doc[H + j] { doc[H + j] = v; argmax[j] = Int32(t) }
            }
        }
        let inv = 1 / Float(T)
        for j in 0..<H { doc[j] *= inv }
        if cache != nil {
            cache!.argmax = argmax
            // Dropout reaches the character vectors only; the document vector pools the
            // undropped ones (max pooling over dropped, rescaled values would be biased).
            if !cache!.keep.isEmpty {
                cache!.hidden = vectors
                for i in 0..<(T * H) { vectors[i] *= cache!.keep[i] }
            }
        }
        return EncodedText(length: T, width: H, vectors: vectors, document: doc, cache: cache)
    }

    // MARK: backward

    /// Accumulates parameter gradients given dL/d(vectors) [T x H] and dL/d(document) [2H].
    func backward(_ enc: EncodedText, dVectors: [Float]?, dDocument: [Float]?, into g: Gradients) {
        guard let cache = enc.cache, enc.length > 0 else { return }
        let T = enc.length, H = enc.width, D = config.dim
        var dh = dVectors ?? [Float](repeating: 0, count: T * H)
        if !cache.keep.isEmpty && dVectors != nil { for i in 0..<(T * H) { dh[i] *= cache.keep[i] } }
        if let dd = dDocument {
            let inv = 1 / Float(T)
            for t in 0..<T { for j in 0..<H { dh[t * H + j] += dd[j] * inv } }
            for j in 0..<H { dh[Int(cache.argmax[j]) * H + j] += dd[H + j] }
        }
        let h = cache.hidden.isEmpty ? enc.vectors : cache.hidden
        var dMean: [Float]
        if let W1 = contextWeight, let b1 = contextBias {
            let c = config.context, K = (2 * c + 1) * D
            // dpre = dh * (1 - h^2)
            h.withUnsafeBufferPointer { y in dh.withUnsafeMutableBufferPointer { tanhBackward(y.baseAddress!, $0.baseAddress!, n: T * H) } }
            let X = contextInput(cache.mean, meanStart: 0, meanCount: T, lo: 0, hi: T)
            if g.has(W1) {
                X.withUnsafeBufferPointer { x in dh.withUnsafeBufferPointer { d in
                    g.withDense(W1) { matmul(x.baseAddress!, d.baseAddress!, $0, m: K, n: H, k: T, transA: true, beta: 1) }
                    g.withDense(b1) { sumRows(d.baseAddress!, $0, rows: T, cols: H) }
                } }
            }
            guard g.has(embedding) else { return }
            var dX = [Float](repeating: 0, count: T * K)
            dh.withUnsafeBufferPointer { d in W1.value.withUnsafeBufferPointer { w in dX.withUnsafeMutableBufferPointer { o in
                matmul(d.baseAddress!, w.baseAddress!, o.baseAddress!, m: T, n: K, k: H, transB: true)
            } } }
            dMean = [Float](repeating: 0, count: T * D)
            for t in 0..<T {
                for j in 0..<(2 * c + 1) {
                    let s = t - c + j
                    if s < 0 || s >= T { continue }
                    for d in 0..<D { dMean[s * D + d] += dX[t * K + j * D + d] }
                }
            }
        } else {
            dMean = dh
        }
        guard g.has(embedding) else { return }
        let F = cache.featuresPerChar
        let inv = 1 / Float(F)
        dMean.withUnsafeBufferPointer { dm in
            for t in 0..<T {
                for f in 0..<F { g.addRow(embedding, row: cache.ids[t * F + f], dm.baseAddress! + t * D, scale: inv) }
            }
        }
    }
}
