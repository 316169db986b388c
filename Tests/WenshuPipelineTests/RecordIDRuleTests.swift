import Foundation
import XCTest

/// Issue 14: one id rule for records without an id of their own, the same through `run`,
/// `ingest`, `filter` (whole, and split into partitions fed in another order) and `watch`,
/// and through another encoding of the same file. Records with ids keep them. Real judgments
/// (the fixture corpus), real child processes.
final class RecordIDRuleTests: XCTestCase {
    /// The fixture judgments, five of the eight with their `id` field removed.
    func makeInput(in dir: URL) throws -> (url: URL, lines: [String], texts: [String], ownIDs: [String]) {
        let records = Harness.jsonLines(try String(contentsOf: Harness.corpus.appendingPathComponent("judgments.jsonl"), encoding: .utf8))
        XCTAssertEqual(records.count, 8)
        var lines: [String] = [], ownIDs: [String] = []
        for (i, r) in records.enumerated() {
            var m = r
            if i % 3 != 0 { m["id"] = nil } else { ownIDs.append(r["id"] as? String ?? "") }
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: m, options: [.sortedKeys]), as: UTF8.self))
        }
        let url = dir.appendingPathComponent("noid.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return (url, lines, records.map { $0["text"] as? String ?? "" }, ownIDs)
    }

    /// `sha256:` + 16 hex digits of each text's SHA-256, computed by python3's hashlib (not Wenshu's hasher).
    func contentIDs(_ texts: [String], dir: URL) throws -> [String] {
        let f = dir.appendingPathComponent("texts.json")
        try JSONSerialization.data(withJSONObject: texts).write(to: f)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import hashlib,json,sys\nfor t in json.load(open(sys.argv[1])): print('sha256:' + hashlib.sha256(t.encode()).hexdigest()[:16])", f.path]
        let out = Pipe(); p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func testEveryDriverGivesARecordTheSameID() throws {
        try Harness.requireIngest()
        let dir = try scratch("ids")
        let input = try makeInput(in: dir)
        var expected = try contentIDs(input.texts, dir: dir)
        for (i, own) in zip(stride(from: 0, to: 8, by: 3), input.ownIDs) { expected[i] = own }
        XCTAssertEqual(expected.count, 8)
        XCTAssertEqual(expected.filter { $0.hasPrefix("sha256:") }.count, 5)
        let spec = try Harness.pipeline(in: dir, inputs: ["noid.jsonl"], extra: "watch:\n  inbox: inbox\n")

        // ingest
        let ingest = try Harness.run(["ingest", "noid.jsonl"], cwd: dir)
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertEqual(Harness.ids(Harness.jsonLines(ingest.stdout)), expected, "ingest")

        // run
        let run = try Harness.run(["run", spec.path, "--no-progress", "-o", "run/r.jsonl"], cwd: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(Harness.ids(Harness.jsonLines(at: dir.appendingPathComponent("run/r.jsonl"))), expected, "run")

        // run over the same records in GB18030: the id follows the text, not the bytes.
        let gb = dir.appendingPathComponent("gb/noid-gb18030.jsonl")
        try FileManager.default.createDirectory(at: gb.deletingLastPathComponent(), withIntermediateDirectories: true)
        let iconv = Process()
        iconv.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        iconv.arguments = ["iconv", "-f", "UTF-8", "-t", "GB18030", input.url.path]
        _ = FileManager.default.createFile(atPath: gb.path, contents: nil)
        iconv.standardOutput = try FileHandle(forWritingTo: gb)
        try iconv.run(); iconv.waitUntilExit()
        XCTAssertEqual(iconv.terminationStatus, 0)
        let runGB = try Harness.run(["run", spec.path, "--no-progress", "--input", "gb", "-o", "rungb/r.jsonl"], cwd: dir)
        XCTAssertEqual(runGB.status, 0, runGB.stderr)
        let gbLines = Harness.jsonLines(at: dir.appendingPathComponent("rungb/r.jsonl"))
        XCTAssertEqual(gbLines.map { ($0["source"] as? [String: Any])?["encoding"] as? String }, Array(repeating: "GB18030", count: 8))
        XCTAssertEqual(Harness.ids(gbLines), expected, "run over the GB18030 copy")

        // filter, whole and as two partitions fed in the other order (as after a shuffle).
        let filter = try Harness.run(["filter", spec.path], cwd: dir, stdin: input.url)
        XCTAssertEqual(filter.status, 0, filter.stderr)
        XCTAssertEqual(Harness.ids(Harness.jsonLines(filter.stdout)), expected, "filter")
        var partitioned: [String] = []
        for (n, part) in [Array(input.lines[5...].reversed()), Array(input.lines[..<5])].enumerated() {
            let u = dir.appendingPathComponent("part-\(n).jsonl")
            try (part.joined(separator: "\n") + "\n").write(to: u, atomically: true, encoding: .utf8)
            let r = try Harness.run(["filter", spec.path], cwd: dir, stdin: u)
            XCTAssertEqual(r.status, 0, r.stderr)
            partitioned += Harness.ids(Harness.jsonLines(r.stdout))
        }
        XCTAssertEqual(partitioned.sorted(), expected.sorted(), "filter over partitions")

        // watch --once over an inbox holding the file.
        let inbox = dir.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: input.url, to: inbox.appendingPathComponent("noid.jsonl"))
        let watch = try Harness.run(["watch", spec.path, "--once", "--settle-ms", "0"], cwd: dir)
        XCTAssertEqual(watch.status, 0, watch.stderr)
        let daily = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path)
            .filter { $0.hasPrefix("results-") }
        XCTAssertEqual(daily.count, 1, "one daily results file: \(daily)")
        let watched = Harness.jsonLines(at: dir.appendingPathComponent("out/\(daily.first ?? "")"))
        XCTAssertEqual(Harness.ids(watched), expected, "watch")
    }

    /// A record that has an id but no text field keeps its id in the error line, in `run`
    /// and in `filter` alike; a malformed line has no id in either.
    func testErrorLinesCarryTheRecordsOwnIDTheSameWayInRunAndFilter() throws {
        try Harness.requireIngest()
        let dir = try scratch("ids-errors")
        let lines = ["{\"id\": \"no-text-7\", \"body2\": \"原告张三\"}", "{\"text\": \"被告人张三盗窃人民币500元。\"", "{\"body2\": \"x\"}"]
        let input = dir.appendingPathComponent("bad.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let spec = try Harness.pipeline(in: dir, inputs: ["bad.jsonl"])
        let run = try Harness.run(["run", spec.path, "--no-progress", "-o", "r/r.jsonl"], cwd: dir)
        XCTAssertEqual(run.status, 1, run.stderr)
        let runErrors = Harness.jsonLines(at: dir.appendingPathComponent("r/r.errors.jsonl"))
        let filter = try Harness.run(["filter", spec.path], cwd: dir, stdin: input)
        let filterErrors = Harness.jsonLines(filter.stdout)
        for errs in [runErrors, filterErrors] {
            XCTAssertEqual(errs.map { $0["code"] as? String ?? "" }, ["json.no_text_field", "json.malformed", "json.no_text_field"])
            XCTAssertEqual(errs.map { $0["id"] as? String ?? "-" }, ["no-text-7", "-", "-"])
        }
        XCTAssertTrue((runErrors.first?["message"] as? String ?? "").contains("--json-text-field"))
    }
}
