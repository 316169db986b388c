import Foundation
import WenshuCore

/// Turns one JSONL record of a labelled set into `LabelledExample`s (scalar offsets,
/// end exclusive). One reader per format; `LabelledSetLoader` drives them over a file.
public protocol DatasetReader: Sendable {
    /// The format this reader understands.
    var format: DatasetFormat { get }
    /// Parses one line (already known to be non-blank). `line` is 1-based and `path` names
    /// the file, both for ids of records that have none and for error messages.
    /// Throws a `WenshuError` (code `dataset.malformed`) on a malformed record.
    func examples(from line: [UInt8], line: Int, path: String) throws -> [LabelledExample]
}

extension DatasetFormat {
    /// The reader for this format.
    public func reader(options: ReaderOptions = ReaderOptions()) -> DatasetReader {
        switch self {
        case .cail2021Theft: return CAIL2021TheftReader()
        case .cail2022Drugs: return CAIL2022DrugsReader()
        case .cail2018: return CAIL2018ChargesReader()
        case .lawBenchCharges: return LawBenchChargesReader()
        case .cjrc: return CJRCReader(label: options.cjrcLabel)
        case .levenLawBench: return LevenLawBenchReader()
        case .leven: return LevenDocumentReader()
        case .generic: return GenericReader()
        }
    }
}
