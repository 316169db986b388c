import Foundation
import WenshuCore

/// Chooses a format from a file's first bytes, with its extension as a hint.
///
/// - `PK\u{3}\u{4}` (a ZIP archive): docx.
/// - Markup (first non-blank character `<`): with an XML declaration, xml (html for XHTML);
///   otherwise html when it has `<!DOCTYPE html`, `<html`, `<body` or starts with a `<div>`,
///   `<p>`, `<a>` or `<table>` fragment, or the extension says .html/.htm; else xml.
/// - `{` or `[`: a web record when the head mentions `"source"` and the website's keys; jsonl when
///   the extension is .jsonl/.ndjson, or when the first line is a whole object and another
///   object follows on the next line; else json.
/// - Anything else: text (also markup-looking .txt files without a declaration or doctype).
public enum FormatSniffer {
    /// Sniffs `head` (the first bytes of the file, 64 KiB is plenty) of the file at `path`.
    public static func sniff(head: [UInt8], path: String) -> DocumentFormat {
        let ext = (path as NSString).pathExtension.lowercased()
        if head.count >= 4 && head[0] == 0x50 && head[1] == 0x4B && (head[2] == 3 || head[2] == 5) { return .docx }
        let s = headString(head)
        let trimmed = s.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        guard let first = trimmed.first else { return .text }
        if first == "<" {
            let lower = trimmed.prefix(2048).lowercased()
            if (ext == "txt" || ext == "text") && !lower.hasPrefix("<?xml") && !lower.hasPrefix("<!doctype")
                && !lower.hasPrefix("<html") { return .text }
            if ext == "html" || ext == "htm" || ext == "xhtml" { return .html }
            if ext == "xml" { return .xml }
            if lower.hasPrefix("<?xml") { return lower.contains("<html") ? .html : .xml }
            if lower.hasPrefix("<!doctype html") || lower.contains("<html") || lower.contains("<body") { return .html }
            if !lower.hasPrefix("<?xml") && (lower.hasPrefix("<div") || lower.hasPrefix("<p") || lower.hasPrefix("<a ")
                                            || lower.hasPrefix("<table")) { return .html }
            return .xml
        }
        if first == "{" || first == "[" {
            if ext == "jsonl" || ext == "ndjson" { return .jsonl }
            let lines = trimmed.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: true)
            let isWeb = trimmed.contains("\"source\"") && (trimmed.contains("Html") || trimmed.contains("qwContent")
                                                          || trimmed.contains("\\\"s1\\\""))
            if first == "{" && lines.count >= 2 && lines[1].trimmingCharacters(in: .whitespaces).hasPrefix("{"),
               (try? JSONSerialization.jsonObject(with: Data(lines[0].utf8))) != nil {
                return .jsonl
            }
            // Long records: the first line may not end within the head, but "}" then a newline
            // then "{" only occurs between top-level objects.
            if first == "{" && (trimmed.contains("}\n{") || trimmed.contains("}\r\n{")) { return .jsonl }
            if isWeb { return .webRecord }
            if ext == "txt" || ext == "text" { return .text }
            return .json
        }
        return .text
    }

    /// A file in a format Wenshu does not read, recognised by its first bytes (PDF, Word 97-2003
    /// and other OLE2 files), as a `format.unsupported` error that names the format and
    /// what to do, instead of whatever reading it as text would say (NUL bytes, bad encoding).
    public static func unsupported(head: [UInt8], path: String) -> WenshuError? {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        let found: String?
        if starts(Array("%PDF-".utf8)) {
            found = "PDF is not supported: convert it to text first (for example `pdftotext -enc UTF-8 FILE`), or to DOCX"
        } else if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            found = "Word 97-2003 (.doc) and other OLE2 files are not supported: save it as DOCX or text"
        } else {
            found = nil
        }
        return found.map { WenshuError(.format.unsupported, $0, stage: .ingest, path: path) }
    }

    /// The head as text for sniffing: UTF-16 with a BOM decoded, anything else read as UTF-8
    /// with repair (only ASCII structure matters).
    private static func headString(_ head: [UInt8]) -> String {
        let h = Array(head.prefix(1 << 16))
        if h.count >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF)) {
            let le = h[0] == 0xFF
            var units: [UInt16] = []
            var i = 2
            while i + 1 < h.count {
                units.append(le ? UInt16(h[i]) | UInt16(h[i + 1]) << 8 : UInt16(h[i]) << 8 | UInt16(h[i + 1]))
                i += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        return String(decoding: h, as: UTF8.self)
    }
}
