import ArgumentParser
import Foundation
import WenshuCore
import WenshuModel
import WenshuPipeline

/// `wenshu lac INPUT.jsonl|-`: Baidu LAC's word segmentation, part of speech and entities on
/// JSONL lines `{"id", "text"}`, one output line per input line, in order. Each text runs as
/// one sequence, as LAC's own wrapper runs it. `--emit none` writes nothing per line (for
/// timing); a summary with characters per second goes to standard error either way.
struct LACCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lac", abstract: "Baidu LAC words, parts of speech and entities on JSONL {\"id\",\"text\"} lines.",
        discussion: """
        Needs the LAC folder made by `bash scripts/import-lac.sh` (default .lac in the working directory). \
        Output lines: {"id", "words": [{"text", "tag", "start", "end"}]} with offsets in Unicode scalars, end exclusive; \
        tags are LAC's parts of speech (n, v, p, ...) and entity types PER, LOC, ORG, TIME. \
        A line that is not a JSON object with a string "text" gives a wenshu.error/1 line in its place.
        """)

    @Argument(help: "JSONL input ('-' reads standard input).")
    var input: String

    @Option(help: "Worker threads running batches of sentences.")
    var threads = 1

    @Option(help: "What to write per line: tags (words with tags and offsets) or none (timing only).")
    var emit: Emit = .tags

    @Option(name: .customLong("lac"), help: "The LAC folder made by scripts/import-lac.sh.")
    var lacFolder = ".lac"

    @Option(name: .customLong("chunk"), help: "Input lines read and run together.")
    var chunk = 2048

    @Option(name: .customLong("batch-size"), help: "Most sentences in one batch of the recurrent products.")
    var batchSize = 32

    enum Emit: String, ExpressibleByArgument, CaseIterable { case tags, none }

    struct WordOut: Encodable { let text: String; let tag: String; let start: Int; let end: Int }
    struct LineOut: Encodable { let id: String?; let words: [WordOut] }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard chunk >= 1 else { throw ValidationError("--chunk must be at least 1") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            BLASThreads.set(1)
            var network = try LACNetwork(folder: URL(fileURLWithPath: lacFolder))
            network.batchSize = batchSize
            network.batchTokens = max(network.batchTokens, batchSize * 128)
            let reader = try LineReader(path: input)
            let writer = LineWriter(fileDescriptor: 1, name: "-")
            var characters = 0, sentences = 0, failed = 0
            var seconds = 0.0
            var done = false
            while !done {
                // One chunk: parsed lines or the error for that line, in input order.
                let (items, end) = try TextLine.chunk(reader, count: chunk, path: input)
                done = end
                let texts = items.compactMap { try? $0.get().text }
                let start = DispatchTime.now().uptimeNanoseconds
                let outputs = network.run(texts, threads: threads)
                let words = outputs.map { network.decoder.words($0) }
                seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                characters += texts.reduce(0) { $0 + $1.count }
                sentences += texts.count
                var k = 0
                for item in items {
                    switch item {
                    case .failure(let e):
                        failed += 1
                        try writer.write(ErrorRecord(source: .init(path: input, line: e.location?.line), error: e))
                    case .success(let line):
                        let (id, scalars) = (line.id, line.text)
                        defer { k += 1 }
                        guard emit == .tags else { continue }
                        let out = words[k].map {
                            WordOut(text: String(String.UnicodeScalarView(scalars[$0.start..<$0.end])), tag: $0.tag, start: $0.start, end: $0.end)
                        }
                        try writer.write(LineOut(id: id, words: out))
                    }
                }
            }
            let rate = seconds > 0 ? Double(characters) / seconds : 0
            printErr(String(format: "lac: %d sentences, %d characters, %d bad lines, %.3f s in the network and decoder (%.0f characters/s, %d thread(s))",
                            sentences, characters, failed, seconds, rate, threads))
        }
    }
}
