import ArgumentParser
import Foundation
import WenshuCore
import WenshuModel
import WenshuPipeline

/// `wenshu encode --checkpoint DIR INPUT.jsonl -o OUT.jsonl`: runs a BERT-compatible Hugging
/// Face checkpoint on JSONL lines `{"id", "text"}` (optional `"text_pair"`) and writes, per
/// line, Hugging Face's output for one unpadded sequence: tokens, input_ids, offsets (Unicode
/// scalars), last_hidden_state and pooler_output. Texts longer than --max-length tokens run in
/// windows overlapping by --stride tokens, merged per token. `--emit none` writes only ids,
/// token counts and timings (for benchmarks).
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode", abstract: "Run a BERT-compatible checkpoint (Hugging Face folder) on JSONL {\"id\",\"text\"} lines.",
        discussion: """
        The folder needs config.json, model.safetensors (float32 or float16; convert pytorch_model.bin with \
        scripts/convert-hf.py) and vocab.txt or tokenizer.json. Output lines: {"id", "tokens", "input_ids", "offsets", \
        "last_hidden_state", "pooler_output"}; offsets are [start, end) in Unicode scalars, [0, 0] for [CLS] and [SEP]. \
        A line that is not a JSON object with a string "text" gives a wenshu.error/1 line in its place.
        """)

    @Option(help: "The Hugging Face checkpoint folder.")
    var checkpoint: String

    @Argument(help: "JSONL input ('-' reads standard input).")
    var input: String

    @Option(name: .shortAndLong, help: "JSONL output ('-' writes standard output).")
    var output = "-"

    @Option(help: "Threads of one forward pass (BLAS and attention).")
    var threads = 1

    @Option(help: "Windows run together in one forward pass.")
    var batchSize = 8

    @Option(help: "Tokens per window, [CLS] and [SEP] included (at most the model's positions).")
    var maxLength = 512

    @Option(help: "Tokens shared by consecutive windows of a long text (default: 128, at most a quarter of a window).")
    var stride: Int?

    @Option(help: "What to write per line: hidden (all outputs), pooled (no hidden states) or none (ids and timings).")
    var emit: Emit = .hidden

    @Flag(help: "Also report the projection GEMMs' GFLOP/s.")
    var profile = false

    enum Emit: String, ExpressibleByArgument, CaseIterable { case hidden, pooled, none }

    struct LineOut: Encodable {
        let id: String?
        let tokens: [String]?
        let input_ids: [Int32]
        let offsets: [[Int]]?
        let last_hidden_state: [[Float]]?
        let pooler_output: [Float]?
        let windows: Int
    }

    func validate() throws {
        guard threads >= 1, batchSize >= 1 else { throw ValidationError("--threads and --batch-size must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let load = DispatchTime.now().uptimeNanoseconds
            let encoder = try TransformerEncoder(config: TransformerEncoderConfig(
                checkpoint: checkpoint, maxLength: maxLength, stride: stride ?? min(128, max(0, maxLength - 2) / 4), batchSize: batchSize, threads: threads))
            let prof = BertProfile()
            if profile { encoder.model.profile = prof }
            let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - load) / 1e9
            let reader = try LineReader(path: input)
            let writer = output == "-" ? LineWriter(fileDescriptor: 1, name: "-") : try LineWriter(path: output, append: false)
            let chunk = max(64, 8 * batchSize)
            var tokens = 0, texts = 0, failed = 0, windows = 0
            var seconds = 0.0
            var done = false
            while !done {
                let (items, end) = try TextLine.chunk(reader, count: chunk, path: input)
                done = end
                let good = items.compactMap { try? $0.get() }
                let start = DispatchTime.now().uptimeNanoseconds
                let docs = encoder.run(good.map(\.text), pairs: good.map(\.pair))
                seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                let H = encoder.outputDim
                var k = 0
                for item in items {
                    switch item {
                    case .failure(let e):
                        failed += 1
                        try writer.write(ErrorRecord(source: .init(path: input, line: e.location?.line), error: e))
                    case .success(let line):
                        let id = line.id
                        let d = docs[k]; k += 1
                        texts += 1; tokens += d.encoding.count; windows += d.windows
                        let full = emit == .hidden
                        try writer.write(LineOut(
                            id: id, tokens: emit == .none ? nil : d.encoding.tokens, input_ids: d.encoding.ids,
                            offsets: emit == .none ? nil : d.encoding.offsets.map { [$0.lowerBound, $0.upperBound] },
                            last_hidden_state: full ? (0..<d.encoding.count).map { Array(d.hidden[($0 * H)..<(($0 + 1) * H)]) } : nil,
                            pooler_output: emit == .none ? nil : d.pooled, windows: d.windows))
                    }
                }
            }
            let rate = seconds > 0 ? Double(tokens) / seconds : 0
            printErr(String(format: "encode: %d texts, %d tokens in %d windows, %d bad lines; load %.2f s; model %.3f s (%.1f tokens/s, %d thread(s), batch %d)",
                            texts, tokens, windows, failed, loadSeconds, seconds, rate, threads, batchSize))
            if profile {
                printErr(String(format: "profile: GEMM %.1f GFLOP/s (%.3f s of %.3f s in the projections, %.3f s in attention)",
                                prof.gemmGFLOPS, prof.gemmSeconds, seconds, prof.attentionSeconds))
            }
        }
    }
}
