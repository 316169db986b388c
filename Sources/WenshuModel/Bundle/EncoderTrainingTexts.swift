import Foundation
import WenshuCore

/// The texts the shared encoder was trained on, kept as 64-bit hashes in
/// `encoder-texts.bin` (sorted, little endian) so that training a head later on a frozen
/// encoder can warn when its dev examples were among them: a dev score on texts the encoder
/// has seen is optimistic (a CAIL2018 head scored 0.99 on such a "dev" split).
public struct EncoderTrainingTexts: Sendable, Equatable {
    /// File name inside a bundle.
    public static let file = "encoder-texts.bin"
    /// Hashes of the training texts.
    public var hashes: Set<UInt64>

    /// A record of the given hashes.
    public init(hashes: Set<UInt64> = []) { self.hashes = hashes }

    /// The hash of one text (FNV-1a 64 over its UTF-8, then a mix).
    public static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h ^= h >> 29; h = h &* 0xBF58_476D_1CE4_E5B9; h ^= h >> 32
        return h
    }

    /// How many of `texts` the encoder was trained on.
    public func seen(_ texts: [String]) -> Int { texts.reduce(0) { $0 + (hashes.contains(Self.hash($1)) ? 1 : 0) } }

    /// Reads the record from a bundle folder (empty when the file is absent: older bundles).
    static func read(from folder: URL) throws -> EncoderTrainingTexts {
        let url = folder.appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: url.path) else { return EncoderTrainingTexts() }
        guard data.count % 8 == 0 else {
            throw WenshuError(.bundle.badFile, "\(file) has \(data.count) bytes, not a multiple of 8", stage: .model, path: url.path)
        }
        var out = Set<UInt64>()
        data.withUnsafeBytes { raw in
            for i in stride(from: 0, to: data.count, by: 8) { out.insert(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) }
        }
        return EncoderTrainingTexts(hashes: out)
    }

    /// Writes the record (nothing when empty).
    func write(to folder: URL) throws {
        if hashes.isEmpty { return }
        var data = Data(capacity: hashes.count * 8)
        for h in hashes.sorted() { var le = h.littleEndian; withUnsafeBytes(of: &le) { data.append(contentsOf: $0) } }
        do { try data.write(to: folder.appendingPathComponent(Self.file), options: .atomic) }
        catch { throw WenshuError(.bundle.writeFailed, "cannot write \(Self.file): \(error.localizedDescription)", stage: .model, path: folder.path) }
    }
}
