import ArgumentParser
import Foundation
import WenshuCore
import WenshuModel
import WenshuEval
import WenshuPipeline

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Inspect a model bundle, add or remove heads.",
        subcommands: [Inspect.self, AddHead.self, RemoveHead.self, Decisions.self])

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a bundle's encoder, heads, labels and metrics.")
        @Argument(help: "Bundle folder (default: WENSHU_MODEL, else the installed bundle, else ./models/default).")
        var bundle: String?
        @Flag(help: "Print manifest.json as loaded instead of a summary (training data paths shown relative to the data folder).") var json = false

        func run() throws {
            try reportingFailures {
                let path = try ModelLocation.resolve(bundle)
                let b = try ModelLocation.load(path)
                if json {
                    let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    // Training sources without the machine's absolute data paths.
                    print(String(decoding: try enc.encode(ModelCard.portable(b.manifest)), as: UTF8.self))
                    return
                }
                print(BundleSummary.text(b, path: path))
            }
        }
    }

    struct AddHead: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-head",
            abstract: "Copy a head from another bundle.",
            discussion: "Refused when the encoders' fingerprints differ, and when the bundle already has a head of that name unless --replace is given.")
        @Argument(help: "Bundle folder to add to.") var bundle: String
        @Option(help: "Bundle folder holding the head.") var from: String
        @Option(help: "Head name.") var head: String
        @Flag(help: "Replace a head of the same name already in the bundle.") var replace = false

        func run() throws {
            try reportingFailures {
                let b = try ModelLocation.load(bundle)
                let o = try ModelLocation.load(from)
                let had = b.head(named: head) != nil
                try b.addHead(named: head, from: o, replace: replace)
                try b.save(to: URL(fileURLWithPath: bundle))
                try ModelCard.update(bundleAt: URL(fileURLWithPath: bundle))
                print("\(had ? "replaced" : "added") head \(head) from \(from) in \(bundle)")
            }
        }
    }

    struct RemoveHead: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-head", abstract: "Remove a head from a bundle.")
        @Argument(help: "Bundle folder.") var bundle: String
        @Option(help: "Head name.") var head: String

        func run() throws {
            try reportingFailures {
                let b = try ModelLocation.load(bundle)
                try b.removeHead(named: head)
                try b.save(to: URL(fileURLWithPath: bundle))
                try ModelCard.update(bundleAt: URL(fileURLWithPath: bundle))
                print("removed head \(head) from \(bundle)")
            }
        }
    }

    struct Decisions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set a bundle's default decisions (gates, minimum scores, thresholds, named labels).",
            discussion: "Every pipeline, filter, watch and annotate start from a bundle's default decisions; a pipeline's own settings replace them head by head. --from takes them from a pipeline file's model section (checked against the bundle's heads); --clear removes them.")
        @Argument(help: "Bundle folder.") var bundle: String
        @Option(help: "Pipeline file whose model settings (thresholds, min_scores, gates, named_labels) become the defaults.") var from: String?
        @Flag(help: "Remove the bundle's default decisions.") var clear = false

        func run() throws {
            try reportingFailures {
                let b = try ModelLocation.load(bundle)
                if from != nil && clear { throw ValidationError("--from and --clear exclude each other") }
                if let from {
                    let spec = try PipelineSpecLoader.load(path: from, checkInputs: false, checkBundle: false)
                    guard var options = spec.model?.annotatorOptions else {
                        throw ValidationError("\(from) has no model section to take decisions from")
                    }
                    options.heads = nil
                    let problems = b.problems(with: options)
                    if !problems.isEmpty {
                        throw WenshuError(.bundle.badOptions, problems.joined(separator: "; "), stage: .model, path: from)
                    }
                    b.decisions = options
                } else if clear {
                    b.decisions = nil
                }
                if from != nil || clear {
                    try b.save(to: URL(fileURLWithPath: bundle))
                    try ModelCard.update(bundleAt: URL(fileURLWithPath: bundle))
                }
                guard let d = b.decisions else { print("bundle \(bundle): no default decisions"); return }
                let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try enc.encode(d), as: UTF8.self))
            }
        }
    }
}
