import XCTest
import WenshuCore
import WenshuModel
@testable import WenshuEval

/// Trains real (small) heads through `TrainingJob` on the fixtures, saves the bundle,
/// evaluates it from disk with `EvaluationJob.evaluate`.
final class TrainingJobTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let small = EncoderConfig(dim: 16, buckets: 4096, hidden: 32)

    func testOverfitClassifierThenAddFrozenSecondHead() throws {
        let bundle = dir.appendingPathComponent("b").path
        let cjrc = FixtureSupport.path("cjrc.jsonl")
        var cfg = TrainingConfig(epochs: 40, learningRate: 0.02, seed: 3, patience: 0, batchSize: 4, threads: 2)
        cfg.maxTrainLength = nil
        let first = TrainingJob(data: cjrc, dev: cjrc, format: .cjrc, options: ReaderOptions(cjrcLabel: .caseType),
                                head: "case_type", kind: .singleLabel, target: .newBundle(bundle), config: cfg, encoder: small)
        let out = try first.run()
        XCTAssertTrue(out.encoderTrained, "a new bundle trains its encoder")
        XCTAssertEqual(out.trainExamples, 4)
        XCTAssertEqual(out.malformedLines, 2, "line 5 of the fixture, read in both the train and the dev file")
        let r = try EvaluationJob.evaluate(bundlePath: bundle, head: "case_type", data: cjrc, format: .cjrc,
                                           options: ReaderOptions(cjrcLabel: .caseType), split: .all)
        XCTAssertEqual(r.classification?.accuracy, 1, "four training examples are learnt exactly")
        let fingerprint = try ModelBundle.load(at: URL(fileURLWithPath: bundle)).fingerprint

        // A second head goes in on the frozen encoder: the fingerprint and the first head's results stay.
        let second = TrainingJob(data: cjrc, dev: cjrc, format: .cjrc, options: ReaderOptions(cjrcLabel: .causeOrCharge),
                                 head: "cause", kind: .singleLabel, target: .bundle(bundle), config: cfg)
        let out2 = try second.run()
        XCTAssertFalse(out2.encoderTrained)
        let reloaded = try ModelBundle.load(at: URL(fileURLWithPath: bundle))
        XCTAssertEqual(reloaded.fingerprint, fingerprint)
        XCTAssertEqual(Set(reloaded.heads.map(\.name)), ["case_type", "cause"])
        let again = try EvaluationJob.evaluate(bundlePath: bundle, head: "case_type", data: cjrc, format: .cjrc,
                                               options: ReaderOptions(cjrcLabel: .caseType), split: .all)
        XCTAssertEqual(again.classification, r.classification)

        // A new bundle refuses to overwrite an existing one.
        XCTAssertThrowsError(try first.run()) { e in XCTAssertEqual((e as? WenshuError)?.code, "train.bundle_exists") }
    }

    func testUnknownHeadIsAClearError() throws {
        let bundle = dir.appendingPathComponent("c").path
        let cjrc = FixtureSupport.path("cjrc.jsonl")
        _ = try TrainingJob(data: cjrc, dev: cjrc, format: .cjrc, head: "case_type", kind: .singleLabel,
                            target: .newBundle(bundle), config: TrainingConfig(epochs: 1, threads: 1), encoder: small).run()
        XCTAssertThrowsError(try EvaluationJob.evaluate(bundlePath: bundle, head: "charge", data: cjrc, format: .cjrc, split: .all)) { e in
            let w = e as! WenshuError
            XCTAssertEqual(w.code, "eval.unknown_head")
            XCTAssertTrue(w.message.contains("case_type"), w.message)
        }
    }
}

/// The committed default bundle loads with the current model code, has the six heads of its
/// model card, and scores the small labelled samples through the same path as `wenshu eval`.
final class DefaultBundleTests: XCTestCase {
    func testDefaultBundleLoadsAndAnnotatesTheSamples() throws {
        let root = FixtureSupport.repoRoot
        let bundle = root.appendingPathComponent("models/default").path
        guard FileManager.default.fileExists(atPath: bundle + "/manifest.json") else {
            throw XCTSkip("models/default is absent")
        }
        let b = try ModelBundle.load(at: URL(fileURLWithPath: bundle))
        XCTAssertEqual(Set(b.heads.map(\.name)), ["charge", "case_type", "cause", "theft", "drugs", "leven"])
        XCTAssertTrue(b.heads.allSatisfy { $0.encoderFingerprint == b.fingerprint })
        let theft = try EvaluationJob.evaluate(bundlePath: bundle, head: "theft",
                                               data: root.appendingPathComponent("samples/labelled/cail2021-theft.jsonl").path,
                                               format: .cail2021Theft, split: .all)
        XCTAssertEqual(theft.examples, 18)
        XCTAssertGreaterThan(theft.spans?.micro.f1 ?? 0, 0.5, "the default theft head finds most role spans of the sample")
        let kind = try EvaluationJob.evaluate(bundlePath: bundle, head: "case_type",
                                              data: root.appendingPathComponent("samples/labelled/cjrc.jsonl").path,
                                              format: .cjrc, options: ReaderOptions(cjrcLabel: .caseType), split: .all)
        XCTAssertGreaterThan(kind.classification?.accuracy ?? 0, 0.8)
    }
}
