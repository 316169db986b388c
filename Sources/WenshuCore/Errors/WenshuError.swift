import Foundation

/// The stage of the document flow where something went wrong.
public enum Stage: String, Codable, Sendable, CaseIterable {
    case read, ingest, normalize, segment, structure, model, output, config, journal, train, eval
}

/// Where in an input a problem sits. Every field is optional; fill what is known.
public struct SourceLocation: Codable, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number (a JSONL record's line, an XML line).
    public var line: Int?
    /// 1-based column.
    public var column: Int?
    /// 0-based byte offset in the file.
    public var byteOffset: Int?
    /// A path inside a container (a ZIP member, an XPath, a JSON key).
    public var within: String?

    public init(line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil, within: String? = nil) {
        self.line = line; self.column = column; self.byteOffset = byteOffset; self.within = within
    }

    public var description: String {
        var parts: [String] = []
        if let within { parts.append(within) }
        if let line { parts.append(column.map { "line \(line), column \($0)" } ?? "line \(line)") }
        if let byteOffset { parts.append("byte \(byteOffset)") }
        return parts.joined(separator: ", ")
    }

    enum CodingKeys: String, CodingKey { case line, column, byteOffset = "byte_offset", within }
}

/// The one error type of Wenshu's libraries: a stable dotted code (`xml.malformed`,
/// `encoding.undetected`, `bundle.fingerprint_mismatch`), a human message, the stage,
/// the file and place when known, and the underlying cause.
public struct WenshuError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public var code: String
    public var message: String
    public var stage: Stage
    public var path: String?
    public var location: SourceLocation?
    /// The underlying cause as text (written into error records).
    public var cause: String?
    /// The underlying error itself, with its type (an `ErrnoError`, a decoding or libxml2
    /// error), for code that handles causes; not part of equality or of error records.
    public var underlying: (any Error & Sendable)?
    /// The id of the record the error is about, when the record has one of its own but never
    /// became a document (a JSON record without a text field): error lines carry it.
    public var recordID: String?

    /// An error with a catalogue code (`ErrorCode`), a message that says what is wrong and
    /// what to do, the stage, and where when known.
    public init(_ code: ErrorCode, _ message: String, stage: Stage, path: String? = nil,
                location: SourceLocation? = nil, cause: String? = nil) {
        self.code = code.rawValue; self.message = message; self.stage = stage
        self.path = path; self.location = location; self.cause = cause
    }

    /// The same error with `error` as its underlying cause (its description as `cause`
    /// unless one is set; Foundation's file errors by their localized description).
    public func caused(by error: any Error & Sendable) -> WenshuError {
        var e = self
        e.underlying = error
        if e.cause == nil { e.cause = (error as? CocoaError)?.localizedDescription ?? "\(error)" }
        return e
    }

    /// Equality of what an error says (code, message, stage, place, cause text, record id);
    /// the underlying error object is not compared.
    public static func == (a: WenshuError, b: WenshuError) -> Bool {
        a.code == b.code && a.message == b.message && a.stage == b.stage && a.path == b.path
            && a.location == b.location && a.cause == b.cause && a.recordID == b.recordID
    }

    /// The same error with the file path filled in (keeps an existing one).
    public func at(path: String) -> WenshuError {
        var e = self
        if e.path == nil { e.path = path }
        return e
    }

    /// The same error with a location filled in (keeps an existing one's fields).
    public func at(_ loc: SourceLocation) -> WenshuError {
        var e = self
        var l = e.location ?? SourceLocation()
        l.line = l.line ?? loc.line
        l.column = l.column ?? loc.column
        l.byteOffset = l.byteOffset ?? loc.byteOffset
        l.within = l.within ?? loc.within
        e.location = l
        return e
    }

    public var description: String {
        var s = ""
        if let path { s += path }
        if let location, !location.description.isEmpty { s += (s.isEmpty ? "" : ": ") + location.description }
        s += (s.isEmpty ? "" : ": ") + "\(stage.rawValue) error [\(code)]: \(message)"
        if let cause { s += " (\(cause))" }
        return s
    }

    public var errorDescription: String? { description }
}
