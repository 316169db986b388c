import ArgumentParser
import Foundation
import WenshuCore
import WenshuEval
import WenshuPipeline

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate a model bundle's head on a labelled set.",
        discussion: "By default only the deterministic dev split is scored (fnv1a64(id) % 10 == 0), the examples `wenshu train` held out.")

    @Option(help: "Bundle folder (default: WENSHU_MODEL, else the installed bundle, else ./models/default).") var bundle: String?
    @Option(help: "Head to evaluate.") var head: String
    @OptionGroup var dataset: DatasetOptions
    @Argument(help: "Labelled JSONL file.") var data: String
    @Option(help: "dev (the deterministic held-out split) or all.") var split: String = "dev"
    @Option(help: "Write the JSON report here.") var json: String?
    @Option(help: "Write the HTML report here.") var html: String?
    @Option(help: "Write one JSON line per example here: its gold and the head's predicted labels, spans or events (schema wenshu.prediction/1).") var predictions: String?

    func run() throws {
        guard let sp = EvaluationSplit(rawValue: split) else { throw ValidationError("--split must be dev or all") }
        try reportingFailures {
            let report = try EvaluationJob.evaluate(bundlePath: try ModelLocation.resolve(bundle), head: head, data: data,
                                                    format: try dataset.datasetFormat(),
                                                    options: try dataset.readerOptions(head: head), split: sp,
                                                    predictions: predictions)
            print(report.summary)
            if let json { try write(try report.jsonData(), to: json) }
            if let html { try write(Data(HTMLReport.render(report).utf8), to: html) }
        }
    }

    func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch { throw WenshuError(.output.write, "cannot write: \(error.localizedDescription)", stage: .output, path: path) }
    }
}
