import Foundation
import XCTest

/// `wenshu ingest PATH...`: one line per document with source and structure, errors
/// on the error stream, exit status by outcome.
final class IngestCommandTests: XCTestCase {
    func testIngestWritesOneLinePerDocumentAndErrorsSeparately() throws {
        try Harness.requireIngest()
        let dir = try scratch("ingest")
        let corpus = try Harness.copyCorpus(into: dir)
        let ok = try Harness.run(["ingest", "corpus"], cwd: dir)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let lines = Harness.jsonLines(ok.stdout)
        XCTAssertEqual(lines.count, 11)
        for l in lines {
            let s = l["source"] as? [String: Any] ?? [:]
            XCTAssertNotNil(s["path"]); XCTAssertNotNil(s["format"]); XCTAssertNotNil(s["sha256"]); XCTAssertNotNil(s["bytes"])
            XCTAssertNil(l["model"], "ingest writes no model fields")
            XCTAssertNil(l["text"], "text only on request")
        }
        let gbk = lines.first { (($0["source"] as? [String: Any])?["path"] as? String ?? "").hasSuffix("gb18030.txt") }
        XCTAssertEqual((gbk?["source"] as? [String: Any])?["encoding"] as? String, "GB18030")
        let out = dir.appendingPathComponent("ok.jsonl")
        try ok.stdout.write(to: out, atomically: true, encoding: .utf8)
        try Harness.validateSchemas([out])

        try Data([0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x9C, 0x00] + [UInt8](repeating: 0x00, count: 500))
            .write(to: corpus.appendingPathComponent("junk.bin"))
        let mixed = try Harness.run(["ingest", "corpus", "-o", "r.jsonl", "--errors", "e.jsonl", "--include-text"], cwd: dir)
        XCTAssertEqual(mixed.status, 1, "a failed document gives exit 1: \(mixed.stderr)")
        let results = Harness.jsonLines(at: dir.appendingPathComponent("r.jsonl"))
        let errors = Harness.jsonLines(at: dir.appendingPathComponent("e.jsonl"))
        XCTAssertEqual(results.count, 11)
        XCTAssertTrue(results.allSatisfy { !($0["text"] as? String ?? "").isEmpty })
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(((errors.first?["source"] as? [String: Any])?["path"] as? String ?? "").hasSuffix("junk.bin"))
        XCTAssertNotNil(errors.first?["stage"]); XCTAssertNotNil(errors.first?["code"]); XCTAssertNotNil(errors.first?["message"])
        try Harness.validateSchemas([dir.appendingPathComponent("r.jsonl"), dir.appendingPathComponent("e.jsonl")])

        // Errors to stderr by default.
        let toStderr = try Harness.run(["ingest", "corpus/junk.bin"], cwd: dir)
        XCTAssertEqual(toStderr.status, 1)
        XCTAssertTrue(toStderr.stdout.isEmpty)
        XCTAssertTrue(toStderr.stderr.contains("\"schema\":\"wenshu.error/1\""), toStderr.stderr)

        let unwritable = try Harness.run(["ingest", "corpus", "-o", "r.jsonl/x.jsonl"], cwd: dir)
        XCTAssertEqual(unwritable.status, 2, unwritable.stderr)
    }
}
