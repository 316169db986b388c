import ArgumentParser
import Foundation
import WenshuCore
import WenshuIngest
import WenshuModel
import WenshuPipeline

/// `wenshu annotate [--model B] [--heads a,b] [TEXT | -]`: one document from the command
/// line or standard input to one pretty-printed result, for a first look and for scripts.
struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate", abstract: "Annotate one document given as an argument or on stdin; print one pretty result.",
        discussion: """
        The text is read as a plain-text document (any encoding Wenshu detects), normalized, structured and run through the model's heads; the result is one wenshu.result/1 record, pretty-printed (use `wenshu filter` or `run` for JSON lines). Its id is the content id of records without their own (sha256: and 16 hex digits of the text's SHA-256).
        The model: --model DIR, else WENSHU_MODEL, else PREFIX/share/wenshu/models/default beside the installed binary, else ./models/default.
        Exit status: 0 a result, 1 the document failed (its wenshu.error/1 record is printed), 2 the command failed (no model, unreadable input), 64 bad usage.
        """)

    @Argument(help: "The document's text; '-' or nothing reads standard input.")
    var text: String?
    @Option(help: "Model bundle folder (default: WENSHU_MODEL, the installed bundle, ./models/default).")
    var model: String?
    @Option(help: "Heads to run, comma-separated (default: all of the bundle's).")
    var heads: String?
    @Flag(help: "Structure only: no model.")
    var noModel = false
    @Flag(name: .customLong("include-text"), help: "Put the text into the result.")
    var includeText = false

    func run() throws {
        try reportingFailures("annotate failed") {
            let bytes: [UInt8]
            let path: String
            if let text, text != "-" {
                bytes = Array(text.utf8); path = "<argument>"
            } else {
                // Final line ends dropped, as `$(...)` does: `echo TEXT | wenshu annotate` = `wenshu annotate TEXT`.
                var b = Array(FileHandle.standardInput.readDataToEndOfFile())
                while let last = b.last, last == 0x0A || last == 0x0D { b.removeLast() }
                bytes = b; path = "-"
            }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                throw ValidationError("no text: pass the document as an argument or on standard input")
            }
            let headList = heads.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            var spec = PipelineSpec(inputs: .init(paths: [path]), outputs: .init(results: "-", includeText: includeText))
            if !noModel {
                let bundle = try ModelLocation.resolve(model)
                let loaded = try ModelLocation.load(bundle)
                if let headList {
                    let known = Set(loaded.heads.map(\.name))
                    let unknown = headList.filter { !known.contains($0) }
                    if !unknown.isEmpty {
                        throw ValidationError("the bundle \(bundle) has no head named \(unknown.joined(separator: ", ")) (heads: \(loaded.heads.map(\.name).joined(separator: ", ")))")
                    }
                }
                spec.model = .init(bundle: bundle, heads: headList)
            }
            let processor = try DocumentProcessor(spec: spec)
            var document: Result<Document, WenshuError>?
            IngestService.ingester(for: .text).ingest(IngestInput(path: path, bytes: bytes), options: IngestOptions()) { r in
                if document == nil { document = r }
            }
            let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            switch document ?? .failure(WenshuError(.ingest.noDocument, "the text holds no document", stage: .ingest, path: path)) {
            case let .failure(e):
                print(String(decoding: try enc.encode(ErrorRecord(source: .init(path: path, format: .text, bytes: bytes.count), error: e)), as: UTF8.self))
                throw ExitCode(RunExit.documentsFailed.rawValue)
            case var .success(d):
                d.id = JSONRecordIngester.contentID(text: d.text)
                switch processor.process(d) {
                case let .success(rec):
                    print(String(decoding: try enc.encode(rec), as: UTF8.self))
                case let .failure(e):
                    print(String(decoding: try enc.encode(ErrorRecord(document: d, error: e)), as: UTF8.self))
                    throw ExitCode(RunExit.documentsFailed.rawValue)
                }
            }
        }
    }
}
