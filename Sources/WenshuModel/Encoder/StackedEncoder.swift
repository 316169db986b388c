import Foundation
import WenshuCore

/// Several encoders side by side: per character, the parts' vectors concatenated in order;
/// the document vector is the parts' document vectors concatenated. A part that produces
/// word starts (`WordStartProvider`, e.g. LAC) runs first and its word starts feed the
/// parts after it, in place of any the analysed text carries (the n-gram encoder's word features).
/// Only trainable parts learn; gradients are split by column.
public final class StackedEncoder: TrainableEncoder, @unchecked Sendable {
    /// The manifest's type name.
    public static let typeName = "stacked"
    /// The parts, in column order.
    public let parts: [any TextEncoder]
    private var cachedFingerprint: String?
    private let lock = NSLock()

    /// Stacks `parts` (at least one).
    public init(parts: [any TextEncoder]) throws {
        guard !parts.isEmpty else { throw WenshuError(.bundle.badConfig, "a stacked encoder needs at least one part", stage: .model) }
        self.parts = parts
    }

    /// Sum of the parts' widths.
    public var outputDim: Int { parts.reduce(0) { $0 + $1.outputDim } }
    /// Sum of the parts' document widths.
    public var documentDim: Int { parts.reduce(0) { $0 + $1.documentDim } }
    /// Trainable parameters of every part.
    public var parameters: [Parameter] { parts.flatMap(\.parameters) }
    /// Checks every part.
    public func validate() throws { for p in parts { try p.validate() } }
    /// The parts' summaries.
    public var summary: String { "stacked [" + parts.map(\.summary).joined(separator: "; ") + "]" }

    /// SHA-256 over the parts' fingerprints, in order.
    public var fingerprint: String {
        lock.lock(); defer { lock.unlock() }
        if let f = cachedFingerprint { return f }
        var h = SHA256Hasher()
        h.update(Array("stacked".utf8))
        for p in parts { h.update(Array(p.fingerprint.utf8)) }
        let f = h.finalize()
        cachedFingerprint = f
        return f
    }

    func invalidateFingerprint() {
        for p in parts { (p as? TrainableEncoder)?.invalidateFingerprint() }
        lock.lock(); cachedFingerprint = nil; lock.unlock()
    }

    func setOutputCache(_ on: Bool) { for p in parts { (p as? TrainableEncoder)?.setOutputCache(on) } }

    /// Loads the parts listed in the manifest entry through `types`.
    static func load(_ entry: EncoderManifest, folder: URL, types: EncoderTypes) throws -> StackedEncoder {
        guard let parts = entry.parts, !parts.isEmpty else {
            throw WenshuError(.bundle.badManifest, "the stacked encoder entry lists no parts", stage: .model,
                              path: folder.appendingPathComponent("manifest.json").path)
        }
        return try StackedEncoder(parts: parts.map { try types.load($0, folder: folder) })
    }

    /// Its manifest entry, parts included.
    public func manifestEntry(prefix: String) -> EncoderManifest {
        EncoderManifest(type: Self.typeName, parts: parts.enumerated().map { $1.manifestEntry(prefix: prefix + "part\($0)-") },
                        fingerprint: fingerprint)
    }

    /// Writes every part with its own prefix (`part0-`, `part1-`, ...) unless a part names
    /// its files itself.
    public func write(to folder: URL, prefix: String) throws -> EncoderManifest {
        var entries: [EncoderManifest] = []
        for (i, p) in parts.enumerated() { entries.append(try p.write(to: folder, prefix: prefix + "part\(i)-")) }
        return EncoderManifest(type: Self.typeName, parts: entries, fingerprint: fingerprint)
    }

    public func encode(_ text: AnalyzedText) -> EncodedText {
        encode(text, training: false, dropout: 0, seed: 0)
    }

    func encode(_ text: AnalyzedText, training: Bool, dropout: Float, seed: UInt64) -> EncodedText {
        var input = text
        var outs: [EncodedText] = []
        for (i, p) in parts.enumerated() {
            let o = p.trainingEncode(input, training: training, dropout: dropout, seed: seed &+ UInt64(i) &* 0x9E37_79B9)
            // The provider's word starts win over the text's, so training (plain strings) and
            // inference (documents, maybe with ICU words) see the same features.
            if let w = p as? WordStartProvider, let starts = w.wordStarts(of: o) { input.wordStarts = starts }
            outs.append(o)
        }
        let T = text.count, W = outputDim
        var vectors = [Float](repeating: 0, count: T * W)
        var col = 0
        for o in outs {
            let w = o.width
            if T > 0 {
                vectors.withUnsafeMutableBufferPointer { dst in
                    o.vectors.withUnsafeBufferPointer { src in
                        for t in 0..<T {
                            (dst.baseAddress! + t * W + col).update(from: src.baseAddress! + t * w, count: w)
                        }
                    }
                }
            }
            col += w
        }
        var out = EncodedText(length: T, width: W, vectors: vectors, document: outs.flatMap(\.document), cache: nil,
                              poolingGroups: outs.flatMap(\.poolingGroups))
        out.sentence = text.sentenceIndex
        if training { out.partCaches = outs }
        return out
    }

    func backward(_ enc: EncodedText, dVectors: [Float]?, dDocument: [Float]?, into g: Gradients) {
        guard let caches = enc.partCaches else { return }
        let T = enc.length, W = enc.width
        var col = 0, dcol = 0
        for (p, c) in zip(parts, caches) {
            let w = c.width, dw = c.document.count
            defer { col += w; dcol += dw }
            // Parts whose parameters this run does not train (the n-gram part while only LAC is fine-tuned) are skipped.
            guard let tp = p as? TrainableEncoder, p.parameters.contains(where: g.has) else { continue }
            var dv: [Float]? = nil
            if let d = dVectors {
                var part = [Float](repeating: 0, count: T * w)
                for t in 0..<T { for j in 0..<w { part[t * w + j] = d[t * W + col + j] } }
                dv = part
            }
            let dd = dDocument.map { Array($0[dcol..<(dcol + dw)]) }
            tp.backward(c, dVectors: dv, dDocument: dd, into: g)
        }
    }
}

/// An encoder that also segments words (LAC): its word starts can feed the encoders
/// stacked after it.
protocol WordStartProvider {
    /// Word start positions found while encoding, or nil.
    func wordStarts(of encoded: EncodedText) -> Set<Int>?
}
