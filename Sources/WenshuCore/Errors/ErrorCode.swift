/// A stable error code: a dotted `group.name` (`read.missing`, `xml.malformed`) that users
/// filter the error stream by, with a one-line meaning. The codes live in one catalogue
/// (`ErrorCatalogue.swift`, grouped by where in the flow they arise, rendered as the README's
/// error table); errors are made with a catalogue member, `WenshuError(.read.missing, ...)`.
public struct ErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The dotted code written into error records (`"code"`).
    public let rawValue: String
    /// What the code means, for the catalogue table.
    public let meaning: String

    init(_ rawValue: String, _ meaning: String) { self.rawValue = rawValue; self.meaning = meaning }

    /// The group, the part before the dot (`read`, `xml`, `bundle`).
    public var group: String { String(rawValue.prefix { $0 != "." }) }
    public var description: String { rawValue }
    public static func == (a: ErrorCode, b: ErrorCode) -> Bool { a.rawValue == b.rawValue }
    public func hash(into h: inout Hasher) { h.combine(rawValue) }

    /// The catalogue as a Markdown table (`| code | meaning |`), as README.md shows it.
    public static var markdownTable: String {
        var s = "| code | meaning |\n|---|---|\n"
        for c in catalogue { s += "| `\(c.rawValue)` | \(c.meaning.replacingOccurrences(of: "|", with: "\\|")) |\n" }
        return s
    }
}
