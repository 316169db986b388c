import Foundation
import XCTest
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// `wenshu filter` (a real child process) on a hostile stream: every input line ends in
/// exactly one output line, in order, and the stream is ingested from memory, so the
/// process creates no temporary file.
final class FilterHostileStreamTests: XCTestCase {
    func testEveryLineOfAHostileStreamIsAnsweredAndNoFileIsCreated() throws {
        try Harness.requireIngest()
        let dir = try scratch("filter-hostile")
        let tmp = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let yaml = """
        name: hostile
        inputs:
          paths: ["unused"]
          ingest:
            max_file_bytes: 4096
        limits:
          max_document_chars: 600
        outputs:
          results: out/results.jsonl
        execution:
          workers: 2
          batch_size: 3
        """
        let spec = dir.appendingPathComponent("hostile.yaml")
        try yaml.write(to: spec, atomically: true, encoding: .utf8)

        let judgment = "（2020）浙0702刑初662号 被告人黄某某于2020年3月在金华市婺城区窃得手机一部，价值人民币2000元。"
        var garbage = [UInt8]()
        var seed: UInt64 = 0x9E3779B97F4A7C15
        while garbage.count < 700 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let b = UInt8(truncatingIfNeeded: seed >> 33)
            if b != 0x0A && b != 0x0D { garbage.append(b) }
        }
        garbage.insert(0, at: 3)
        // A real CAIL2018 record in GB18030 (no id of its own: a content id).
        let gb18030 = Array(try WatchTestSupport.gb18030Bytes().prefix { $0 != 0x0A })
        // (line bytes, expected code or nil for a result, expected id or nil)
        let cases: [([UInt8], String?, String?)] = [
            (Array(#"{"id": "ok-1", "text": "\#(judgment)"}"#.utf8), nil, "ok-1"),
            (Array(#"{"id": "not-closed", "text": "#.utf8), "json.malformed", nil),
            (Array(#"{"id": 7, "text": 42}"#.utf8), "json.no_text_field", "7"),
            (Array(#"{"text": ["a", 1, null]}"#.utf8), "json.no_text_field", nil),
            (Array("[1, 2, 3]".utf8), "json.not_object", nil),
            (Array(#""just a string""#.utf8), "json.not_object", nil),
            (Array("null".utf8), "json.not_object", nil),
            (garbage, "file.binary", nil),
            ([], "filter.empty_line", nil),
            (Array(" \t ".utf8), "filter.empty_line", nil),
            ([0xEF, 0xBB, 0xBF] + Array(#"{"id": "bom", "text": "\#(judgment)"}"#.utf8), "", nil),
            (Array(#"{"id": "big", "text": "\#(String(repeating: "盗", count: 2000))"}"#.utf8), "file.too_large", "big"),
            (Array(#"{"id": "long", "text": "\#(String(repeating: "窃", count: 700))"}"#.utf8), "document.too_large", "long"),
            (gb18030, nil, "sha256:"),
            (Array(#"{"text": "\#(judgment)"}"#.utf8), nil, "sha256:"),
            ([0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D], "", nil),
            (Array(#"{"id": "last", "text": "\#(judgment)"}"#.utf8), nil, "last"),  // no newline after it
        ]
        var input = [UInt8]()
        for (i, c) in cases.enumerated() {
            input += c.0
            if i < cases.count - 1 { input.append(0x0A) }
        }
        let inURL = dir.appendingPathComponent("in.jsonl")
        try Data(input).write(to: inURL)

        // A file created and removed again leaves the folder empty but changes its mtime.
        func modified(_ path: String) -> [Int] {
            var st = stat()
            XCTAssertEqual(stat(path, &st), 0)
            return [Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec), Int(st.st_ctim.tv_sec), Int(st.st_ctim.tv_nsec)]
        }
        let before = modified(tmp.path)
        let r = try Harness.run(["filter", spec.path], cwd: dir, env: ["TMPDIR": tmp.path], stdin: inURL)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = Harness.jsonLines(r.stdout)
        XCTAssertEqual(lines.count, cases.count, "one output line per input line")
        for (i, (line, c)) in zip(lines, cases).enumerated() {
            let source = line["source"] as? [String: Any] ?? [:]
            XCTAssertEqual(source["line"] as? Int, i + 1, "line \(i + 1)")
            XCTAssertEqual(source["path"] as? String, "-", "line \(i + 1)")
            XCTAssertEqual(source["bytes"] as? Int, c.0.count, "line \(i + 1)")
            XCTAssertEqual(source["sha256"] as? String, SHA256Hasher.hex(c.0), "line \(i + 1)")
            let id = line["id"] as? String
            if let expectedID = c.2 {
                XCTAssertTrue(id?.hasPrefix(expectedID) ?? false, "line \(i + 1): id \(id ?? "none")")
            } else if let code = c.1, !code.isEmpty {
                XCTAssertNil(id, "line \(i + 1): a line that names no record of its own carries no id")
            }
            switch c.1 {
            case nil:
                XCTAssertEqual(line["schema"] as? String, "wenshu.result/1", "line \(i + 1): \(line)")
            case ""?:
                XCTAssertNotNil(line["schema"] as? String, "line \(i + 1): either stream")
            case let code?:
                XCTAssertEqual(line["schema"] as? String, "wenshu.error/1", "line \(i + 1): \(line)")
                XCTAssertEqual(line["code"] as? String, code, "line \(i + 1): \(line)")
                XCTAssertEqual((line["location"] as? [String: Any])?["line"] as? Int, i + 1, "line \(i + 1)")
                let message = line["message"] as? String ?? ""
                XCTAssertFalse(message.contains(tmp.path) || message.contains("wenshu-filter"), message)
            }
        }
        let out = dir.appendingPathComponent("filter-out.jsonl")
        try r.stdout.write(to: out, atomically: true, encoding: .utf8)
        try Harness.validateSchemas([out])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [],
                       "filter mode left files in TMPDIR")
        XCTAssertEqual(modified(tmp.path), before, "filter mode created (and removed) files in TMPDIR")
    }
}
