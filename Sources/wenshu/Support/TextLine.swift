import Foundation
import WenshuCore

/// One line of the JSONL input of `wenshu encode` and `wenshu lac`: `{"id"?, "text", "text_pair"?}`.
struct TextLine {
    var id: String?
    var text: [Unicode.Scalar]
    var pair: [Unicode.Scalar]?

    /// A line as a text, or the error that stands in its place (named by `path` and its line).
    static func parse(_ line: [UInt8], lineNumber: Int, path: String) -> Result<TextLine, WenshuError> {
        let loc = SourceLocation(line: lineNumber)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
            return .failure(WenshuError(.read.badJson, "not a JSON object", stage: .read, path: path, location: loc))
        }
        let id = object["id"].map { v -> String in (v as? String) ?? "\(v)" }
        guard let text = object["text"] as? String else {
            return .failure(WenshuError(.read.missingText, "no string field \"text\"", stage: .read, path: path, location: loc))
        }
        return .success(TextLine(id: id, text: Array(text.unicodeScalars), pair: (object["text_pair"] as? String).map { Array($0.unicodeScalars) }))
    }

    /// Up to `count` non-empty lines of `reader`, parsed in input order; `done` when the input ended.
    static func chunk(_ reader: LineReader, count: Int, path: String) throws -> (items: [Result<TextLine, WenshuError>], done: Bool) {
        var items: [Result<TextLine, WenshuError>] = []
        while items.count < count {
            guard let line = try reader.nextLine() else { return (items, true) }
            if line.isEmpty { continue }
            items.append(parse(line, lineNumber: reader.lineNumber, path: path))
        }
        return (items, false)
    }
}
