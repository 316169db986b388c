import Foundation
import WenshuCore

/// Reads CAIL2018 facts: `{"fact","meta":{"accusation":[...]}}` → a multi-label example
/// whose labels are the charges. Brackets are stripped from charge names as the data
/// README says (`[走私、贩卖、运输、制造]毒品` → `走私、贩卖、运输、制造毒品`), duplicates dropped.
/// The records have no id: the id is `cail2018-<line>` (1-based line in the file).
public struct CAIL2018ChargesReader: DatasetReader {
    public var format: DatasetFormat { .cail2018 }
    public init() {}

    struct Record: Decodable {
        struct Meta: Decodable { var accusation: [String] }
        var fact: String
        var meta: Meta
        var id: IntOrString?
    }

    /// A charge name without `[` `]`.
    public static func clean(_ charge: String) -> String {
        String(charge.unicodeScalars.filter { $0 != "[" && $0 != "]" }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
    }

    public func examples(from line: [UInt8], line n: Int, path: String) throws -> [LabelledExample] {
        let r = try ReaderSupport.decode(Record.self, line, path: path, line: n)
        var labels: [String] = []
        for a in r.meta.accusation.map(Self.clean) where !a.isEmpty && !labels.contains(a) { labels.append(a) }
        if labels.isEmpty { throw ReaderSupport.malformed("meta.accusation is empty", path: path, line: n) }
        return [LabelledExample(id: r.id?.value ?? "cail2018-\(n)", text: r.fact, labels: labels, origin: "\(path):\(n)")]
    }
}
