import Foundation
import WenshuCore
import WenshuModel

extension EvaluationJob {
    /// Evaluates head `head` of a bundle folder: loads the bundle, checks the head, runs
    /// only that head over the texts.
    public static func evaluate(bundlePath: String, head: String, data: String, format: DatasetFormat?,
                                options: ReaderOptions = ReaderOptions(), split: EvaluationSplit = .dev,
                                predictions: String? = nil) throws -> EvaluationReport {
        let bundle = try ModelBundle.load(at: URL(fileURLWithPath: bundlePath))
        guard let h = bundle.heads.first(where: { $0.name == head }) else {
            throw WenshuError(.eval.unknownHead,
                              "the bundle has no head named '\(head)' (heads: \(bundle.heads.map(\.name).joined(separator: ", ")))",
                              stage: .eval, path: bundlePath)
        }
        let kind = try bundle.headKinds.definition(h.kind, head: head, path: bundlePath)
        var job = EvaluationJob(data: data, format: format, options: options, split: split, head: head,
                                kind: h.kind.rawValue, output: kind.output, bundle: bundlePath)
        job.predictionsPath = predictions
        let opts = AnnotatorOptions(heads: [head])
        var report = try job.run { try bundle.annotate($0, options: opts) }
        report.bundleName = bundle.manifest.name
        report.bundleVersion = bundle.manifest.version
        return report
    }
}
