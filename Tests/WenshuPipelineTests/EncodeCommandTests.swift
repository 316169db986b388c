import Foundation
import XCTest
import WenshuModel

/// `wenshu encode --checkpoint DIR INPUT.jsonl -o OUT.jsonl`: a real child process on a tiny
/// random checkpoint made by scripts/make-tiny-bert.py; its output agrees with the library's
/// forward pass, a bad line gives an error line in its place, windows cover long texts.
final class EncodeCommandTests: XCTestCase {
    func testEncodeWritesHuggingFaceLayoutPerLine() throws {
        let dir = try scratch("encode")
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = ["python3", Harness.repoRoot.appendingPathComponent("scripts/make-tiny-bert.py").path, dir.path, "--variants", "tiny"]
        make.standardOutput = Pipe(); make.standardError = Pipe()
        try make.run(); make.waitUntilExit()
        guard make.terminationStatus == 0 else { throw XCTSkip("python3 with numpy is needed to make the tiny checkpoint") }
        let ckpt = dir.appendingPathComponent("tiny")
        let long = String(repeating: "被告人张某于2019年盗窃现金1200元。", count: 6)
        let input = [#"{"id": "a", "text": "被告人张某盗窃手机，价值3000元。"}"#,
                     #"{"id": "b", "text": "原告", "text_pair": "被告某公司"}"#,
                     "not json",
                     #"{"id": "c", "text": "\#(long)"}"#].joined(separator: "\n") + "\n"
        try input.write(to: dir.appendingPathComponent("in.jsonl"), atomically: true, encoding: .utf8)
        let r = try Harness.run(["encode", "--checkpoint", ckpt.path, "in.jsonl", "-o", "out.jsonl", "--max-length", "24", "--stride", "6",
                                 "--batch-size", "2", "--threads", "2"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("encode: 3 texts"), r.stderr)
        let lines = Harness.jsonLines(at: dir.appendingPathComponent("out.jsonl"))
        guard lines.count == 4 else { return XCTFail("expected 4 lines, got \(lines.count)") }
        XCTAssertEqual(lines[2]["schema"] as? String, "wenshu.error/1")
        let model = try BertModel(folder: ckpt)
        for (k, l) in [lines[0], lines[1]].enumerated() {
            let ids = try XCTUnwrap(l["input_ids"] as? [Int]).map { Int32($0) }
            let tokens = try XCTUnwrap(l["tokens"] as? [String])
            let offsets = try XCTUnwrap(l["offsets"] as? [[Int]])
            XCTAssertEqual(tokens.first, "[CLS]"); XCTAssertEqual(tokens.last, "[SEP]")
            XCTAssertEqual(offsets.first, [0, 0]); XCTAssertEqual(ids.count, offsets.count)
            let hidden = try XCTUnwrap(l["last_hidden_state"] as? [[Double]])
            XCTAssertEqual(hidden.count, ids.count); XCTAssertEqual(hidden.first?.count, 64)
            let types: [Int32] = k == 1 ? ids.indices.map { $0 <= 3 ? 0 : 1 } : []
            let ref = model.forward([BertInput(ids: ids, typeIDs: types)])[0]
            let diff = zip(hidden.flatMap { $0 }, ref.hidden).map { abs(Float($0) - $1) }.max() ?? 1
            XCTAssertLessThan(diff, 1e-5)
            XCTAssertEqual((l["pooler_output"] as? [Double])?.count, 64)
        }
        // "原告" / "被告某公司": [CLS] 原 告 [SEP] 被 告 某 公 司 [SEP], offsets into each text.
        XCTAssertEqual(lines[1]["offsets"] as? [[Int]], [[0, 0], [0, 1], [1, 2], [0, 0], [0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [0, 0]])
        XCTAssertGreaterThan(lines[3]["windows"] as? Int ?? 0, 1)
        XCTAssertEqual((lines[3]["last_hidden_state"] as? [[Double]])?.count, (lines[3]["input_ids"] as? [Int])?.count)

        // --emit none: ids and windows only.
        let none = try Harness.run(["encode", "--checkpoint", ckpt.path, "in.jsonl", "--emit", "none"], cwd: dir)
        XCTAssertEqual(none.status, 0, none.stderr)
        let nl = Harness.jsonLines(none.stdout)
        guard nl.count == 4 else { return XCTFail("expected 4 lines, got \(nl.count)") }
        XCTAssertNil(nl[0]["last_hidden_state"]); XCTAssertNil(nl[0]["tokens"]); XCTAssertNotNil(nl[0]["input_ids"])

        // A folder without weights: exit status 2 and the reason.
        try FileManager.default.removeItem(at: ckpt.appendingPathComponent("model.safetensors"))
        let bad = try Harness.run(["encode", "--checkpoint", ckpt.path, "in.jsonl"], cwd: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("model.safetensors"), bad.stderr)
    }
}
