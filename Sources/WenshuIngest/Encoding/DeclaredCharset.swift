import Foundation
import WenshuCore

/// Charsets declared inside a document (`<?xml encoding=...?>`, `<meta charset=...>`), and the
/// decoding of markup files: BOM, then a forced encoding, then the declaration, then detection.
enum DeclaredCharset {
    /// The charset named by an XML declaration in the first bytes, if any.
    static func xmlDeclaration(_ buf: UnsafeBufferPointer<UInt8>) -> String? {
        let head = asciiHead(buf, 256)
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>") else { return nil }
        return value(after: "encoding", in: String(head[..<end.lowerBound]))
    }

    /// The charset named by `<meta charset>` or an http-equiv content type in the first 4 KiB.
    static func htmlMeta(_ buf: UnsafeBufferPointer<UInt8>) -> String? {
        let head = asciiHead(buf, 4096).lowercased()
        var search = head[...]
        while let m = search.range(of: "<meta") {
            let rest = search[m.upperBound...]
            let tagEnd = rest.firstIndex(of: ">") ?? rest.endIndex
            if let v = value(after: "charset", in: String(rest[..<tagEnd])) { return v }
            search = rest[tagEnd...]
        }
        return nil
    }

    /// The ICU converter to decode a declared charset with: GBK and GB2312 are read as GB18030
    /// (their superset, which also maps the user-defined area such as AA A5 -> U+E004).
    static func converterName(for declared: String) -> String {
        switch declared.uppercased().replacingOccurrences(of: "_", with: "-") {
        case "GBK", "GB2312", "GB-2312-80", "CP936", "X-GBK", "EUC-CN", "GB18030", "WINDOWS-936": return "GB18030"
        case "BIG5", "BIG-5", "CP950", "BIG5-HKSCS": return "Big5"
        case "UTF8": return "UTF-8"
        default: return declared
        }
    }

    /// Decodes a markup file: BOM first, then the forced encoding, then `declared`, then detection.
    /// A declaration of UTF-16 without a BOM, or of UTF-8 on bytes that are not, falls back to
    /// detection only for UTF-16 (UTF-8 is then reported as invalid at its byte offset).
    static func decodeMarkup(_ buf: UnsafeBufferPointer<UInt8>, declared: String?, forced: String?, path: String)
        -> Result<DecodedText, WenshuError> {
        if buf.isEmpty { return .failure(.ingest(.file.empty, "the file is empty", path: path)) }
        let bom = EncodingDetector.hasPrefix(buf, [0xEF, 0xBB, 0xBF]) || EncodingDetector.hasPrefix(buf, [0xFF, 0xFE])
            || EncodingDetector.hasPrefix(buf, [0xFE, 0xFF])
        if forced == nil, !bom, let declared, !declared.uppercased().hasPrefix("UTF-16") {
            let conv = converterName(for: declared)
            return EncodingDetector.decode(buf, as: conv, path: path).map {
                DecodedText(text: $0, encoding: declared, hadBOM: false)
            }
        }
        return EncodingDetector.decode(buf, path: path, forced: forced)
    }

    private static func asciiHead(_ buf: UnsafeBufferPointer<UInt8>, _ n: Int) -> String {
        // UTF-16 with BOM: take every other byte so the ASCII declaration is readable.
        if EncodingDetector.hasPrefix(buf, [0xFF, 0xFE]) || EncodingDetector.hasPrefix(buf, [0xFE, 0xFF]) {
            let le = buf[0] == 0xFF
            var s = ""
            var i = 2
            while i + 1 < min(buf.count, n * 2) {
                let b = le ? buf[i] : buf[i + 1]
                let other = le ? buf[i + 1] : buf[i]
                s.unicodeScalars.append(other == 0 && b < 0x80 ? Unicode.Scalar(b) : "?")
                i += 2
            }
            return s
        }
        var s = ""
        var i = EncodingDetector.hasPrefix(buf, [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < min(buf.count, n) {
            let b = buf[i]
            s.unicodeScalars.append(b < 0x80 ? Unicode.Scalar(b) : "?")
            i += 1
        }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func value(after key: String, in s: String) -> String? {
        guard let r = s.range(of: key) else { return nil }
        var rest = s[r.upperBound...].drop { $0 == " " }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\"" || $0 == "'" }
        let v = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." || $0 == ":" }
        return v.isEmpty ? nil : String(v)
    }
}
