import ArgumentParser
import Foundation
import WenshuEval

/// The options that name a labelled set's format.
struct DatasetOptions: ParsableArguments {
    @Option(help: "Labelled-set format: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")) (detected from the first record when omitted).")
    var format: String?

    @Option(name: .customLong("cjrc-label"), help: "CJRC label field: case_type or cause_or_charge (default: cause_or_charge when the head name contains 'cause', else case_type).")
    var cjrcLabel: String?

    func datasetFormat() throws -> DatasetFormat? {
        guard let format else { return nil }
        guard let f = DatasetFormat(rawValue: format) else {
            throw ValidationError("unknown format '\(format)'; one of: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return f
    }

    func readerOptions(head: String) throws -> ReaderOptions {
        if let cjrcLabel {
            guard let l = CJRCLabelField(rawValue: cjrcLabel) else {
                throw ValidationError("--cjrc-label must be case_type or cause_or_charge")
            }
            return ReaderOptions(cjrcLabel: l)
        }
        return ReaderOptions(cjrcLabel: head.contains("cause") ? .causeOrCharge : .caseType)
    }
}
