import Foundation
import WenshuCore

/// A frozen encoder's output kept on disk for a training run: every text is encoded once, its
/// `EncodedText` (vectors, document vector, sentence numbers) written to `folder` under a key
/// made of the encoder's fingerprint and the text, and read back by every later epoch and dev
/// pass (`TrainingConfig.featureCache`, `wenshu train --feature-cache DIR`). A Transformer
/// encodes a few thousand characters a second on these cores; the heads train far faster.
///
/// The cache is advisory: a file that is missing, short or from another format is recomputed
/// and rewritten (written to a temporary name, then renamed, so readers never see half a file).
/// The same folder may be reused across runs and heads of the same encoder; another encoder's
/// fingerprint gives other keys.
final class DiskCachedEncoder: TextEncoder, @unchecked Sendable {
    let base: any TextEncoder
    let folder: URL
    private let lock = NSLock()
    private(set) var hits = 0
    private(set) var misses = 0
    private static let magic: [UInt8] = Array("WSFC1\n".utf8)

    /// A cache over `base` in `folder` (created when missing).
    init(base: any TextEncoder, folder: URL) throws {
        self.base = base; self.folder = folder
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        catch {
            throw WenshuError(.train.badConfig, "cannot create the feature cache folder: \(error.localizedDescription)", stage: .train, path: folder.path)
        }
    }

    var outputDim: Int { base.outputDim }
    var documentDim: Int { base.documentDim }
    var fingerprint: String { base.fingerprint }
    var parameters: [Parameter] { [] }
    var summary: String { base.summary + " (features cached in \(folder.path))" }
    func validate() throws { try base.validate() }
    func manifestEntry(prefix: String) -> EncoderManifest { base.manifestEntry(prefix: prefix) }
    func write(to folder: URL, prefix: String) throws -> EncoderManifest { try base.write(to: folder, prefix: prefix) }

    /// The file of a text: SHA-256 over the fingerprint, the scalars and the sentence numbers.
    func file(for text: AnalyzedText) -> URL {
        var h = SHA256Hasher()
        h.update(Array(base.fingerprint.utf8))
        let scalars = text.scalars.map(\.value)
        scalars.withUnsafeBytes { h.update($0) }
        let sentences = text.sentenceIndex
        sentences.withUnsafeBytes { h.update($0) }
        return folder.appendingPathComponent(h.finalize() + ".f32")
    }

    func encode(_ text: AnalyzedText) -> EncodedText {
        let url = file(for: text)
        if let data = try? Data(contentsOf: url), let e = Self.decode(data, length: text.count) {
            lock.lock(); hits += 1; lock.unlock()
            return e
        }
        let e = base.encode(text)
        lock.lock(); misses += 1; lock.unlock()
        let tmp = url.appendingPathExtension("tmp-\(UUID().uuidString)")
        if (try? Self.encode(e).write(to: tmp)) != nil {
            if rename(tmp.path, url.path) != 0 { try? FileManager.default.removeItem(at: tmp) }
        }
        return e
    }

    /// Layout: magic, then Int32 length, width, document count, sentence count, pooling group
    /// count, the groups, then the vectors and document (Float32) and sentences (Int32), little-endian.
    static func encode(_ e: EncodedText) -> Data {
        var d = Data(magic)
        func i32(_ v: Int) { var x = Int32(v).littleEndian; withUnsafeBytes(of: &x) { d.append(contentsOf: $0) } }
        i32(e.length); i32(e.width); i32(e.document.count); i32(e.sentence.count); i32(e.poolingGroups.count)
        for g in e.poolingGroups { i32(g) }
        e.vectors.withUnsafeBytes { d.append(contentsOf: $0) }
        e.document.withUnsafeBytes { d.append(contentsOf: $0) }
        e.sentence.withUnsafeBytes { d.append(contentsOf: $0) }
        return d
    }

    /// The encoded text of a file, nil when it is not one of length `length`. Reads the file's
    /// bytes in place (each epoch reads every file: no intermediate copy).
    static func decode(_ data: Data, length: Int) -> EncodedText? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> EncodedText? in
            guard raw.count >= magic.count + 20, raw.prefix(magic.count).elementsEqual(magic) else { return nil }
            var off = magic.count
            func i32() -> Int? {
                guard off + 4 <= raw.count else { return nil }
                let v = raw.loadUnaligned(fromByteOffset: off, as: Int32.self)
                off += 4
                return Int(Int32(littleEndian: v))
            }
            guard let n = i32(), let w = i32(), let dc = i32(), let sc = i32(), let gc = i32(),
                  n == length, w > 0, dc >= 0, sc >= 0, gc > 0, gc <= w else { return nil }
            var groups: [Int] = []
            for _ in 0..<gc { guard let g = i32() else { return nil }; groups.append(g) }
            guard raw.count == off + 4 * (n * w + dc + sc), groups.reduce(0, +) == w else { return nil }
            func read<T>(_ count: Int, as: T.Type) -> [T] {
                if count == 0 { return [] }
                let out = [T](unsafeUninitializedCapacity: count) { buf, k in
                    UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[off..<(off + 4 * count)]))
                    k = count
                }
                off += 4 * count
                return out
            }
            let vectors = read(n * w, as: Float.self), document = read(dc, as: Float.self)
            let sentence = read(sc, as: Int32.self)
            var e = EncodedText(length: n, width: w, vectors: vectors, document: document, cache: nil, poolingGroups: groups)
            e.sentence = sentence
            return e
        }
    }
}
