import Foundation
import WenshuCore

/// Reads CJRC passages: `{"id","text","case_type","cause_or_charge"}` → a single-label
/// example; `label` picks the field (case type 刑事/民事, or the cause of action / charge).
public struct CJRCReader: DatasetReader {
    public let label: CJRCLabelField
    public var format: DatasetFormat { .cjrc }
    public init(label: CJRCLabelField = .caseType) { self.label = label }

    struct Record: Decodable {
        var id: IntOrString?
        var text: String
        var case_type: String?
        var cause_or_charge: String?
    }

    public func examples(from line: [UInt8], line n: Int, path: String) throws -> [LabelledExample] {
        let r = try ReaderSupport.decode(Record.self, line, path: path, line: n)
        let value = label == .caseType ? r.case_type : r.cause_or_charge
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else {
            throw ReaderSupport.malformed("missing field \"\(label.rawValue)\"", path: path, line: n)
        }
        return [LabelledExample(id: r.id?.value ?? "cjrc-\(n)", text: r.text, labels: [v], origin: "\(path):\(n)")]
    }
}
