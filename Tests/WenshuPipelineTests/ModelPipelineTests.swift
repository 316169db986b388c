import Foundation
import XCTest
import WenshuCore
import WenshuModel

/// A pipeline with a real (tiny, trained here) model bundle: annotations in the records,
/// the model named in each line, and a new model version reprocessing every document.
final class ModelPipelineTests: XCTestCase {
    /// Trains a one-head bundle on the fixture judgments (label: does the text mention 盗窃)
    /// and saves it to `url`.
    private func trainBundle(at url: URL, seed: UInt64) throws -> ModelInfo {
        let records = Harness.jsonLines(try String(contentsOf: Harness.corpus.appendingPathComponent("judgments.jsonl"), encoding: .utf8))
        let examples = records.map { r -> LabelledExample in
            let text = r["text"] as? String ?? ""
            return LabelledExample(id: r["id"] as? String ?? "", text: text, labels: [text.contains("盗窃") ? "theft" : "other"])
        }
        let bundle = ModelBundle.create(name: "tiny", encoder: EncoderConfig(dim: 8, buckets: 1024, hidden: 8, context: 1, seed: seed))
        _ = try Trainer.train(bundle: bundle, head: "theft_or_not", kind: .singleLabel, train: examples, dev: examples,
                              config: TrainingConfig(epochs: 2, seed: seed, threads: 1))
        try bundle.save(to: url)
        return bundle.info
    }

    func testModelAnnotationsAndNewModelVersionReprocesses() throws {
        try Harness.requireIngest()
        let dir = try scratch("model")
        _ = try Harness.copyCorpus(into: dir)
        let modelURL = dir.appendingPathComponent("bundle")
        let v1 = try trainBundle(at: modelURL, seed: 1)
        let spec = try Harness.pipeline(in: dir, inputs: ["corpus"], extra: "model:\n  bundle: bundle\n  heads: [theft_or_not]\n")
        let r1 = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        XCTAssertEqual(r1.status, 0, r1.stderr)
        let results = Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl"))
        XCTAssertEqual(results.count, 11)
        for l in results {
            let model = l["model"] as? [String: Any]
            XCTAssertEqual(model?["name"] as? String, "tiny")
            XCTAssertEqual(model?["version"] as? String, v1.version)
            let cls = l["classifications"] as? [[String: Any]] ?? []
            XCTAssertEqual(cls.first?["task"] as? String, "theft_or_not")
            XCTAssertFalse((cls.first?["labels"] as? [Any] ?? []).isEmpty)
        }
        try Harness.validateSchemas([dir.appendingPathComponent("out/results.jsonl")])

        let r2 = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertEqual(try summary(dir)["processed"] as? Int, 0, "same model: nothing to do")

        let v2 = try trainBundle(at: modelURL, seed: 2)
        XCTAssertNotEqual(v1.version, v2.version)
        let r3 = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        XCTAssertEqual(r3.status, 0, r3.stderr)
        XCTAssertEqual(try summary(dir)["processed"] as? Int, 11, "a new model version reprocesses every document")
        let again = Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl"))
        XCTAssertEqual(again.count, 11)
        XCTAssertTrue(again.allSatisfy { ($0["model"] as? [String: Any])?["version"] as? String == v2.version })

        let missing = try Harness.run(["run", spec.path, "--no-progress", "--model", "no-such-bundle"], cwd: dir)
        XCTAssertEqual(missing.status, 2, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("no-such-bundle"), missing.stderr)
    }

    private func summary(_ dir: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/results.summary.json"))) as? [String: Any] ?? [:]
    }
}
