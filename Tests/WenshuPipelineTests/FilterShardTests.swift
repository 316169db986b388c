import Foundation
import XCTest

/// Scale-out: shards by stable document identity, and the stdin-to-stdout filter.
final class FilterShardTests: XCTestCase {
    /// The shards of a corpus are disjoint and their union is the whole, with --shard and
    /// with the Kubernetes and Slurm environment variables alike.
    func testShardUnionIsTheWholeCorpus() throws {
        try Harness.requireIngest()
        let dir = try scratch("shard")
        _ = try Harness.copyCorpus(into: dir)
        _ = try Harness.textCorpus(into: dir, count: 12)
        let spec = try Harness.pipeline(in: dir, inputs: ["corpus", "texts"])
        let whole = try Harness.run(["run", spec.path, "--no-progress", "-o", "whole/r.jsonl"], cwd: dir)
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let all = Harness.sourceKeys(Harness.jsonLines(at: dir.appendingPathComponent("whole/r.jsonl")))
        XCTAssertEqual(all.count, 23)

        var union = [String]()
        for i in 0..<3 {
            let r = try Harness.run(["run", spec.path, "--no-progress", "--shard", "\(i)/3", "-o", "sh/r.jsonl"], cwd: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
            let part = Harness.sourceKeys(Harness.jsonLines(at: dir.appendingPathComponent("sh/r.shard-\(i)-of-3.jsonl")))
            XCTAssertFalse(part.isEmpty, "shard \(i) is empty")
            union += part
        }
        XCTAssertEqual(union.count, all.count, "no document in two shards")
        XCTAssertEqual(Set(union), Set(all))

        // The same split from JOB_COMPLETION_INDEX and SLURM_ARRAY_TASK_ID.
        for i in 0..<3 {
            let k = try Harness.run(["run", spec.path, "--no-progress", "-o", "k8s/r.jsonl"], cwd: dir,
                                    env: ["JOB_COMPLETION_INDEX": "\(i)", "JOB_COMPLETIONS": "3"])
            XCTAssertEqual(k.status, 0, k.stderr)
            let s = try Harness.run(["run", spec.path, "--no-progress", "-o", "slurm/r.jsonl"], cwd: dir,
                                    env: ["SLURM_ARRAY_TASK_ID": "\(i + 1)", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"])
            XCTAssertEqual(s.status, 0, s.stderr)
            let viaFlag = Set(Harness.sourceKeys(Harness.jsonLines(at: dir.appendingPathComponent("sh/r.shard-\(i)-of-3.jsonl"))))
            XCTAssertEqual(Set(Harness.sourceKeys(Harness.jsonLines(at: dir.appendingPathComponent("k8s/r.shard-\(i)-of-3.jsonl")))), viaFlag)
            XCTAssertEqual(Set(Harness.sourceKeys(Harness.jsonLines(at: dir.appendingPathComponent("slurm/r.shard-\(i)-of-3.jsonl")))), viaFlag)
        }
        let bad = try Harness.run(["run", spec.path, "--no-progress", "--shard", "3/3"], cwd: dir)
        XCTAssertNotEqual(bad.status, 0)
    }

    /// Filter mode: one output line per input line, in order, ids echoed, errors as lines
    /// of the same stream, exit 0; the same results as a plain run of the same records.
    func testFilterModeGivesOneLinePerInputLine() throws {
        try Harness.requireIngest()
        let dir = try scratch("filter")
        _ = try Harness.copyCorpus(into: dir)
        let records = try String(contentsOf: Harness.corpus.appendingPathComponent("judgments.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var input = records[0..<3].joined(separator: "\n") + "\n"
        input += "{\"id\": \"not-closed\", \"text\": \n"     // malformed JSON
        input += "\n"                                         // empty line
        input += "[1, 2, 3]\n"                                // JSON, but not a record
        input += records[3..<8].joined(separator: "\n") + "\n"
        let inURL = dir.appendingPathComponent("in.jsonl")
        try input.write(to: inURL, atomically: true, encoding: .utf8)
        let spec = try Harness.pipeline(in: dir, inputs: ["corpus"])
        for args in [["run", "--filter", spec.path], ["filter", spec.path]] {
            let r = try Harness.run(args, cwd: dir, stdin: inURL)
            XCTAssertEqual(r.status, 0, r.stderr)
            let lines = Harness.jsonLines(r.stdout)
            XCTAssertEqual(lines.count, 11, "one line per input line")
            // The three bad lines never became records and have no id of their own: they carry none.
            let expectedIDs = records[0..<3].map(idOf) + ["-", "-", "-"] + records[3..<8].map(idOf)
            XCTAssertEqual(lines.map { $0["id"] as? String ?? "-" }, expectedIDs)
            XCTAssertEqual(lines.map { $0["schema"] as? String ?? "" },
                           Array(repeating: "wenshu.result/1", count: 3) + Array(repeating: "wenshu.error/1", count: 3)
                           + Array(repeating: "wenshu.result/1", count: 5))
            XCTAssertEqual(lines.map { ($0["source"] as? [String: Any])?["line"] as? Int ?? 0 }, Array(1...11))
            let out = dir.appendingPathComponent("filter-out.jsonl")
            try r.stdout.write(to: out, atomically: true, encoding: .utf8)
            try Harness.validateSchemas([out])
        }
        // The structure found equals a plain run's over the same records.
        let plain = try Harness.run(["run", spec.path, "--no-progress", "--input", "corpus/judgments.jsonl", "-o", "plain/r.jsonl"], cwd: dir)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let plainByID = Dictionary(uniqueKeysWithValues: Harness.jsonLines(at: dir.appendingPathComponent("plain/r.jsonl")).map {
            ($0["id"] as? String ?? "", $0["document"] as? NSDictionary) })
        let filtered = Harness.jsonLines(try Harness.run(["filter", spec.path], cwd: dir, stdin: Harness.corpus.appendingPathComponent("judgments.jsonl")).stdout)
        XCTAssertEqual(filtered.count, 8)
        for l in filtered {
            XCTAssertEqual(l["document"] as? NSDictionary, plainByID[l["id"] as? String ?? ""] ?? nil, "document of \(l["id"] ?? "")")
        }
    }

    private func idOf(_ line: String) -> String {
        ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["id"] as? String ?? "?"
    }
}
