import Foundation
import WenshuCore

/// Text decoded from a file's bytes, and the charset it was decoded from.
public struct DecodedText: Sendable, Equatable {
    /// The text, with CRLF and lone CR turned into LF and any byte-order mark removed.
    public var text: String
    /// The charset found: "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", "Big5" or the forced name.
    public var encoding: String
    /// Whether the file began with a byte-order mark.
    public var hadBOM: Bool
}

/// Detects the charset of Chinese text files and decodes them strictly with ICU.
///
/// Order of decisions:
/// 1. A forced encoding (from `IngestOptions.encoding`) is used as is, strictly.
/// 2. A byte-order mark: UTF-8 (EF BB BF), UTF-16LE (FF FE), UTF-16BE (FE FF).
/// 3. NUL bytes or many control bytes without a BOM: `file.binary`.
/// 4. Strict UTF-8. If it fails after at least 8 valid multi-byte UTF-8 sequences, the file is UTF-8 with a
///    bad or truncated sequence: `encoding.invalid` with the byte offset.
/// 5. GB18030 (a superset of GBK and GB2312, user-defined area included: AA A5 -> U+E004) and
///    Big5, both strict. When both decode, the one that yields more of the common Han
///    characters of real judgments wins (ICU's detector alone guesses wrong on short files).
/// 6. Nothing decodes: `encoding.invalid` when the head was UTF-8, else `encoding.undetected`.
///
/// Line endings: CRLF and lone CR become LF in the decoded text; every offset Wenshu reports
/// refers to this decoded text.
public enum EncodingDetector {
    /// Decodes a whole file's bytes. `path` is used in errors only.
    public static func decode(_ bytes: [UInt8], path: String, forced: String? = nil) -> Result<DecodedText, WenshuError> {
        bytes.withUnsafeBufferPointer { decode($0, path: path, forced: forced) }
    }

    /// Decodes bytes (see `decode(_:path:forced:)`).
    public static func decode(_ buf: UnsafeBufferPointer<UInt8>, path: String, forced: String? = nil)
        -> Result<DecodedText, WenshuError> {
        switch detect(buf, path: path, forced: forced) {
        case .failure(let e): return .failure(e)
        case .success(let (encoding, bomLength)):
            return decode(buf, as: encoding, skip: bomLength, path: path).map {
                DecodedText(text: $0, encoding: encoding, hadBOM: bomLength > 0)
            }
        }
    }

    /// Finds the charset of `buf` and the length of its byte-order mark, without keeping the text.
    public static func detect(_ buf: UnsafeBufferPointer<UInt8>, path: String, forced: String? = nil)
        -> Result<(encoding: String, bomLength: Int), WenshuError> {
        if buf.isEmpty { return .failure(.ingest(.file.empty, "the file is empty", path: path)) }
        if let forced, !forced.isEmpty {
            var bom = 0
            let f = forced.uppercased().replacingOccurrences(of: "-", with: "")
            if f == "UTF8" && hasPrefix(buf, [0xEF, 0xBB, 0xBF]) { bom = 3 }
            if f == "UTF16LE" && hasPrefix(buf, [0xFF, 0xFE]) { bom = 2 }
            if f == "UTF16BE" && hasPrefix(buf, [0xFE, 0xFF]) { bom = 2 }
            return .success((forced, bom))
        }
        if hasPrefix(buf, [0xEF, 0xBB, 0xBF]) { return .success(("UTF-8", 3)) }
        if hasPrefix(buf, [0xFF, 0xFE]) { return .success(("UTF-16LE", 2)) }
        if hasPrefix(buf, [0xFE, 0xFF]) { return .success(("UTF-16BE", 2)) }

        if let nul = firstIndex(of: 0, in: buf) {
            return .failure(.ingest(.file.binary, "the file holds NUL bytes: binary data, not text",
                                    path: path, location: SourceLocation(byteOffset: nul)))
        }
        if controlRatio(buf) > 0.05 {
            return .failure(.ingest(.file.binary, "the file holds many control bytes: binary data, not text",
                                    path: path))
        }
        guard let bad = firstInvalidUTF8(buf) else { return .success(("UTF-8", 0)) }
        // Much valid multi-byte UTF-8 before the bad byte: a damaged UTF-8 file, not a legacy one
        // (GBK text forms a valid UTF-8 sequence only now and then, by chance).
        let evidence = utf8Sequences(buf, before: bad)
        if evidence >= 8 { return .failure(utf8Error(buf, at: bad, path: path)) }
        // Legacy Chinese charsets: decode a sample strictly with each.
        let sampleEnd = sampleBoundary(buf, limit: 1 << 16)
        let sample = UnsafeBufferPointer(rebasing: buf[0..<sampleEnd])
        var candidates: [(name: String, score: Int)] = []
        var failures: [String] = []
        for cs in ["GB18030", "Big5"] {
            switch ICUConverter.toUTF16(sample, charset: cs) {
            case .ok(let units):
                if let why = implausible(units) { failures.append("\(cs) gives \(why)") } else {
                    candidates.append((cs, commonScore(units)))
                }
            case .invalid(let off, let name): failures.append("\(cs) fails at byte \(off) (\(name))")
            case .failed(let why): failures.append("\(cs): \(why)")
            }
        }
        if candidates.isEmpty {
            if evidence >= 1 { return .failure(utf8Error(buf, at: bad, path: path)) }
            let hint = ICUConverter.detect(sample).map { " ICU's detector guesses \($0.name) (\($0.confidence)%)." } ?? ""
            return .failure(.ingest(.encoding.undetected,
                                    "not UTF-8 (bad byte at \(bad)), GB18030 or Big5: \(failures.joined(separator: "; ")).\(hint)",
                                    path: path, location: SourceLocation(byteOffset: bad)))
        }
        var best = candidates[0]
        for c in candidates.dropFirst() where c.score > best.score { best = c }
        if candidates.count == 2 && candidates[0].score == candidates[1].score,
           let guess = ICUConverter.detect(sample), guess.name.lowercased().hasPrefix("big5") {
            best = candidates.first { $0.name == "Big5" } ?? best
        }
        return .success((best.name, 0))
    }

    /// Decodes `buf` (after `skip` BOM bytes) strictly from `encoding`, with line endings made LF.
    public static func decode(_ buf: UnsafeBufferPointer<UInt8>, as encoding: String, skip: Int = 0, path: String)
        -> Result<String, WenshuError> {
        let body = UnsafeBufferPointer(rebasing: buf[min(skip, buf.count)...])
        if body.isEmpty { return .success("") }
        let isUTF8 = ["UTF-8", "UTF8"].contains(encoding.uppercased())
        if isUTF8 {
            if let bad = firstInvalidUTF8(body) {
                return .failure(utf8Error(body, at: bad, path: path, base: skip))
            }
            if firstIndex(of: 0x0D, in: body) == nil {
                return .success(String(decoding: body, as: UTF8.self))
            }
            return .success(String(decoding: LineEndings.toLF(body), as: UTF8.self))
        }
        switch ICUConverter.toUTF16(body, charset: encoding) {
        case .ok(var units):
            if units.first == 0xFEFF { units.removeFirst() }
            LineEndings.toLF(&units)
            return .success(String(decoding: units, as: UTF16.self))
        case .invalid(let off, let name):
            return .failure(.ingest(.encoding.invalid, "invalid \(encoding) sequence at byte \(off + skip) (\(name))",
                                    path: path, location: SourceLocation(byteOffset: off + skip)))
        case .failed(let why):
            return .failure(.ingest(.encoding.unsupported, "cannot decode as \(encoding): \(why)", path: path))
        }
    }

    // MARK: - helpers

    static func hasPrefix(_ buf: UnsafeBufferPointer<UInt8>, _ p: [UInt8]) -> Bool {
        buf.count >= p.count && zip(buf, p).allSatisfy { $0 == $1 }
    }

    static func firstIndex(of byte: UInt8, in buf: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = buf.baseAddress, !buf.isEmpty, let hit = memchr(base, Int32(byte), buf.count) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Share of C0 control bytes other than tab, LF, FF, CR and ESC in the first 4 KiB.
    static func controlRatio(_ buf: UnsafeBufferPointer<UInt8>) -> Double {
        let n = min(buf.count, 4096)
        var c = 0
        for i in 0..<n {
            let b = buf[i]
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0C && b != 0x0D && b != 0x1B { c += 1 }
            if b == 0x7F { c += 1 }
        }
        return n == 0 ? 0 : Double(c) / Double(n)
    }

    /// Byte offset of the first ill-formed UTF-8 sequence, or nil. Checked by ICU in 1 MiB pieces
    /// cut at character boundaries, so memory stays bounded.
    static func firstInvalidUTF8(_ buf: UnsafeBufferPointer<UInt8>) -> Int? {
        var start = 0
        let piece = 1 << 20
        while start < buf.count {
            var end = min(buf.count, start + piece)
            if end < buf.count {
                // Back up to the start of a character so no sequence is split.
                var k = end
                while k > start && k > end - 4 && (buf[k] & 0xC0) == 0x80 { k -= 1 }
                if k > start { end = k }
            }
            switch ICUConverter.toUTF16(UnsafeBufferPointer(rebasing: buf[start..<end]), charset: "UTF-8") {
            case .ok: break
            case .invalid(let off, _): return start + off
            case .failed: return start
            }
            start = end
        }
        return nil
    }

    /// How many multi-byte UTF-8 sequences (all valid, as ICU checked) lie in the 64 KiB before `bad`.
    static func utf8Sequences(_ buf: UnsafeBufferPointer<UInt8>, before bad: Int) -> Int {
        var leads = 0
        var i = max(0, bad - (1 << 16))
        while i < bad {
            if buf[i] >= 0xC2 && buf[i] <= 0xF4 { leads += 1 }
            i += 1
        }
        return leads
    }

    static func utf8Error(_ buf: UnsafeBufferPointer<UInt8>, at bad: Int, path: String, base: Int = 0) -> WenshuError {
        let b = buf[bad]
        let need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 1
        let truncated = need > 1 && bad + need > buf.count
        let msg = truncated
            ? "truncated UTF-8 sequence at byte \(bad + base): the file ends inside a character"
            : String(format: "invalid UTF-8 byte 0x%02X at byte \(bad + base)", b)
        return .ingest(.encoding.invalid, msg, path: path, location: SourceLocation(byteOffset: bad + base))
    }

    /// An end offset at most `limit` that does not split a line (so a multi-byte character is not cut).
    static func sampleBoundary(_ buf: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
        if buf.count <= limit { return buf.count }
        var k = limit
        while k > limit / 2 { if buf[k - 1] == 0x0A { return k }; k -= 1 }
        // No newline: back up over bytes >= 0x80 (legacy trail bytes) to an ASCII byte.
        k = limit
        while k > 0 && buf[k - 1] >= 0x80 { k -= 1 }
        return k > 0 ? k : limit
    }

    /// Why a strict decode is still not text: C1 control characters (ICU's Big5 maps stray
    /// bytes 0x80-0xA0 to them) or mostly private-use characters. Nil when plausible.
    static func implausible(_ units: [UInt16]) -> String? {
        var pua = 0
        for u in units {
            if u >= 0x80 && u <= 0x9F { return "C1 control characters" }
            if u >= 0xE000 && u <= 0xF8FF { pua += 1 }
        }
        if pua * 20 > units.count { return "mostly private-use characters" }
        return nil
    }

    /// How many of the first 4000 decoded UTF-16 units are common Han characters.
    static func commonScore(_ units: [UInt16]) -> Int {
        var score = 0
        for u in units.prefix(4000) {
            if let s = Unicode.Scalar(u), CommonHanzi.set.contains(s) { score += 1 }
        }
        return score
    }
}
