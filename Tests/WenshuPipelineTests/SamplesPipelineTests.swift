import Foundation
import XCTest

/// The repository's pipelines as they stand, run from the repository root over samples/
/// (outputs redirected to a scratch folder).
final class SamplesPipelineTests: XCTestCase {
    func testPipelinesRunAsTheyStandOnSamples() throws {
        try Harness.requireIngest()
        let root = Harness.repoRoot
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("samples/documents").path) else {
            throw XCTSkip("samples/documents is absent")
        }
        let hasModel = FileManager.default.fileExists(atPath: root.appendingPathComponent("models/default/manifest.json").path)
        let scratch = try scratch("samples")
        var ran = 0
        for name in ["civil", "watch", "nightly-criminal", "eval"] {
            let spec = "pipelines/\(name).yaml"
            let check = try Harness.run(["run", spec, "--check"], cwd: root)
            XCTAssertEqual(check.status, 0, "\(spec): \(check.stderr)")
            let text = try String(contentsOf: root.appendingPathComponent(spec), encoding: .utf8)
            let withModel = text.contains("\nmodel:")
            if withModel && !hasModel { continue }
            let out = scratch.appendingPathComponent("\(name)/results.jsonl")
            // The model is slow in a debug build: a few documents show the wiring.
            let r = try Harness.run(["run", spec, "--no-progress", "-o", out.path] + (withModel ? ["--limit", "4"] : []), cwd: root)
            XCTAssertEqual(r.status, 0, "\(spec): \(r.stderr)")
            let lines = Harness.jsonLines(at: out)
            if withModel {
                XCTAssertEqual(lines.count, 4, spec)
                XCTAssertTrue(lines.allSatisfy { $0["model"] != nil && !($0["classifications"] as? [Any] ?? []).isEmpty }, spec)
                try Harness.validateSchemas([out])
                ran += 1
                continue
            }
            XCTAssertGreaterThanOrEqual(lines.count, 13, "\(spec): every sample file gives at least one document")
            let formats = Set(lines.compactMap { ($0["source"] as? [String: Any])?["format"] as? String })
            XCTAssertTrue(formats.isSuperset(of: ["text", "xml", "html", "jsonl", "docx", "web-record"]), "\(spec): \(formats)")
            try Harness.validateSchemas([out, scratch.appendingPathComponent("\(name)/results.errors.jsonl")])
            ran += 1
        }
        XCTAssertGreaterThanOrEqual(ran, 2)
        if !hasModel { print("SamplesPipelineTests: models/default is absent; the pipelines with a model were only validated") }
    }

    /// `--limit` processes at most N new documents; the next run does the rest.
    func testLimitThenTheRest() throws {
        try Harness.requireIngest()
        let dir = try scratch("limit")
        _ = try Harness.copyCorpus(into: dir)
        let spec = try Harness.pipeline(in: dir, inputs: ["corpus"])
        let first = try Harness.run(["run", spec.path, "--no-progress", "--limit", "4"], cwd: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl")).count, 4)
        let rest = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        XCTAssertEqual(rest.status, 0, rest.stderr)
        let all = Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl"))
        XCTAssertEqual(all.count, 11)
        XCTAssertEqual(Set(Harness.sourceKeys(all)).count, 11)
    }

    /// `wenshu ingest --format` reads every file as the given format.
    func testIngestFormatOverride() throws {
        try Harness.requireIngest()
        let dir = try scratch("format")
        let f = dir.appendingPathComponent("records.dat")
        try FileManager.default.copyItem(at: Harness.corpus.appendingPathComponent("judgments.jsonl"), to: f)
        let r = try Harness.run(["ingest", "--format", "jsonl", f.path], cwd: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = Harness.jsonLines(r.stdout)
        XCTAssertEqual(lines.count, 8)
        XCTAssertTrue(lines.allSatisfy { ($0["source"] as? [String: Any])?["format"] as? String == "jsonl" })
        let bad = try Harness.run(["ingest", "--format", "pdf", f.path], cwd: dir)
        XCTAssertNotEqual(bad.status, 0)
    }
}
