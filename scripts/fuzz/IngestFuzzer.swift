// libFuzzer entry point for the ingest layer (built by scripts/fuzz/run.sh, not by SwiftPM or CI).
// The first input byte picks the ingester; the rest is the file's content. Every result must be
// a document or a WenshuError naming the file with a code and a message.
import Foundation
import WenshuCore
import WenshuIngest

let fuzzPath = "/fuzz/input"
let formats: [(DocumentFormat, String)] = [(.text, "in.txt"), (.json, "in.json"), (.jsonl, "in.jsonl"),
                                            (.xml, "in.xml"), (.html, "in.html"), (.webRecord, "in.json"), (.docx, "in.docx")]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let (format, name) = formats[Int(data[0]) % formats.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let path = fuzzPath + "/" + name
    let input = IngestInput(path: path, bytes: bytes)
    IngestService.ingester(for: format).ingest(input, options: IngestOptions()) { r in
        switch r {
        case .success(let d):
            if d.source.path != path { fatalError("document path \(d.source.path)") }
        case .failure(let e):
            if e.code.isEmpty || e.message.isEmpty || e.path != path { fatalError("bad error \(e)") }
        }
    }
    // The sniffer must not crash either.
    _ = FormatSniffer.sniff(head: bytes, path: path)
    return 0
}
