import Foundation
import WenshuCore

/// Helpers shared by the readers: decoding with clear messages, span checks.
enum ReaderSupport {
    /// A `dataset.malformed` error for `path`, `line`.
    static func malformed(_ message: String, path: String, line: Int) -> WenshuError {
        WenshuError(.dataset.malformed, message, stage: .read, path: path, location: SourceLocation(line: line))
    }

    /// Decodes `T` from a line, turning decoding errors into a message naming the field.
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], path: String, line: Int) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw malformed(describe(error), path: path, line: line)
        } catch {
            throw malformed("not JSON: \(error)", path: path, line: line)
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func where_(_ path: [CodingKey]) -> String {
            let p = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "the record" : String(p.dropFirst(p.hasPrefix(".") ? 1 : 0))
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            let parent = ctx.codingPath.isEmpty ? "" : " in \(where_(ctx.codingPath))"
            return "missing field \"\(key.stringValue)\"\(parent)"
        case .typeMismatch(let t, let ctx): return "\(where_(ctx.codingPath)): expected \(t)"
        case .valueNotFound(let t, let ctx): return "\(where_(ctx.codingPath)): null where \(t) is expected"
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty { return "not valid JSON" }
            return "\(where_(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// Checks that `start..<end` is a non-empty range inside a text of `count` scalars.
    static func checkSpan(_ start: Int, _ end: Int, count: Int, what: String, path: String, line: Int) throws {
        guard start >= 0, end > start, end <= count else {
            throw malformed("\(what): span [\(start), \(end)) is outside the text (\(count) characters) or empty",
                            path: path, line: line)
        }
    }

    /// Number of Unicode scalars of `s`.
    static func scalarCount(_ s: String) -> Int { s.unicodeScalars.count }

    /// The substring of `scalars` in `start..<end`.
    static func slice(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<end])
        return String(s)
    }
}
