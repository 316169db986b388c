import Foundation
import WenshuCore

/// Reads charge prediction in the `{fact, charges}` form of LawBench-style exports:
/// `{"id"?, "fact", "charges": ["盗窃", ...]}` or `{"fact", "charge": "盗窃"}` → a multi-label
/// example. Charge names are cleaned like CAIL2018's (brackets stripped) and a trailing 罪 is
/// dropped, so that they meet the CAIL2018 label names; duplicates are dropped. Records
/// without an id get `lawbench-<line>`.
public struct LawBenchChargesReader: DatasetReader {
    public var format: DatasetFormat { .lawBenchCharges }
    public init() {}

    struct Record: Decodable {
        var id: IntOrString?
        var fact: String
        var charges: [String]?
        var charge: String?
    }

    /// A charge name as the CAIL2018 label set writes it.
    public static func clean(_ charge: String) -> String {
        var c = CAIL2018ChargesReader.clean(charge)
        if c.count > 1 && c.hasSuffix("罪") { c.removeLast() }
        return c
    }

    public func examples(from line: [UInt8], line n: Int, path: String) throws -> [LabelledExample] {
        let r = try ReaderSupport.decode(Record.self, line, path: path, line: n)
        var labels: [String] = []
        for c in ((r.charges ?? []) + (r.charge.map { [$0] } ?? [])).map(Self.clean) where !c.isEmpty && !labels.contains(c) { labels.append(c) }
        if labels.isEmpty { throw ReaderSupport.malformed("no charge: \"charges\" is empty or missing", path: path, line: n) }
        if r.fact.isEmpty { throw ReaderSupport.malformed("\"fact\" is empty", path: path, line: n) }
        return [LabelledExample(id: r.id?.value ?? "lawbench-\(n)", text: r.fact, labels: labels, origin: "\(path):\(n)")]
    }
}
