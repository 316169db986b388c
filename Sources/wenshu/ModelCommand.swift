import ArgumentParser
import Foundation
import WenshuCore
import WenshuModel
import WenshuEval
import WenshuPipeline

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Inspect a model bundle, add or remove heads.",
        subcommands: [Inspect.self, AddHead.self, RemoveHead.self])

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
}
