import XCTest
import WenshuCore
@testable import WenshuModel

/// A bundle's default decision settings (`BundleManifest.decisions`): saved and loaded with it,
/// pruned when a head is gone, merged head by head under a pipeline's own settings, and the
/// case_type head run before the heads gated on the case type.
final class BundleDecisionsTests: XCTestCase {
    var dirs: [URL] = []
    override func tearDown() { for d in dirs { try? FileManager.default.removeItem(at: d) } }

    let defaults = AnnotatorOptions(minScores: ["cause": 0.2, "charge": 0.3],
                                    gates: ["theft": HeadGate(head: "charge", labels: ["盗窃"], minScore: 0.3, caseType: ["刑事"]),
                                            "charge": HeadGate(caseType: ["刑事"])],
                                    namedLabels: ["charge": "charges"])

    func testPipelineSettingsReplaceDefaultsHeadByHead() {
        // Nothing given: the defaults.
        XCTAssertEqual(AnnotatorOptions().merged(over: defaults), defaults)
        XCTAssertEqual(AnnotatorOptions(minScores: ["x": 0.5]).merged(over: nil), AnnotatorOptions(minScores: ["x": 0.5]))
        // One head's minimum score and gate replaced, the others kept.
        let mine = AnnotatorOptions(minScores: ["charge": 0.6], gates: ["theft": HeadGate(caseType: ["刑事", "刑事附带民事"])])
        let m = mine.merged(over: defaults)
        XCTAssertEqual(m.minScores, ["cause": 0.2, "charge": 0.6])
        XCTAssertEqual(m.gates["theft"], HeadGate(caseType: ["刑事", "刑事附带民事"]))
        XCTAssertEqual(m.gates["charge"], HeadGate(caseType: ["刑事"]))
        XCTAssertEqual(m.namedLabels, ["charge": "charges"])
        // A gate without conditions and the source "none" switch defaults off.
        let off = AnnotatorOptions(gates: ["theft": HeadGate()], namedLabels: ["charge": "none"]).merged(over: defaults)
        XCTAssertNil(off.gates["theft"])
        XCTAssertNotNil(off.gates["charge"])
        XCTAssertEqual(off.namedLabels, [:])
        // Running the theft head alone: the default gate that reads the charge head is dropped.
        let alone = AnnotatorOptions(heads: ["theft"]).merged(over: defaults)
        XCTAssertNil(alone.gates["theft"])
        XCTAssertNil(alone.gates["charge"], "a head that does not run keeps no gate")
        XCTAssertEqual(alone.heads, ["theft"])
    }

    func testDefaultsTravelWithTheBundleAndLoseRemovedHeads() throws {
        let b = ModelBundle.create(name: "d", encoder: .tiny)
        let c = TrainingConfig(epochs: 2, learningRate: 0.05, seed: 3, patience: 0, batchSize: 4, threads: 2, trainEncoder: false,
                               maxTrainLength: nil, dropout: 0, lrDecay: 1)
        _ = try Trainer.train(bundle: b, head: "charge", kind: .multiLabel, train: try FixtureData.charges(), dev: [], config: c)
        _ = try Trainer.train(bundle: b, head: "theft", kind: .eventExtractor, train: try FixtureData.theft(), dev: [], config: c)
        b.decisions = defaults
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-decisions-\(UUID().uuidString)")
        dirs.append(dir)
        try b.save(to: dir)
        let json = try String(contentsOf: dir.appendingPathComponent("manifest.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("\"named_labels\""), "the manifest's keys are the pipeline file's")
        let l = try ModelBundle.load(at: dir)
        // The cause head is not in this bundle: its minimum score is dropped on load; the rest stays.
        XCTAssertEqual(l.decisions?.minScores, ["charge": 0.3])
        XCTAssertEqual(l.decisions?.gates, defaults.gates)
        XCTAssertEqual(l.decisions?.namedLabels, ["charge": "charges"])
        XCTAssertTrue(l.problems(with: AnnotatorOptions().merged(over: l.decisions)).isEmpty)
        try l.removeHead(named: "charge")
        try l.save(to: dir)
        let again = try ModelBundle.load(at: dir)
        XCTAssertEqual(again.decisions?.gates, [:], "the theft gate read the removed charge head")
        XCTAssertEqual(again.decisions?.namedLabels, [:])
    }

    func testCaseTypeHeadRunsBeforeHeadsGatedOnTheCaseType() throws {
        let b = ModelBundle.create(name: "o", encoder: .tiny)
        let c = TrainingConfig(epochs: 1, learningRate: 0.05, seed: 3, patience: 0, batchSize: 4, threads: 1, trainEncoder: false,
                               maxTrainLength: nil, dropout: 0, lrDecay: 1)
        _ = try Trainer.train(bundle: b, head: "charge", kind: .multiLabel, train: try FixtureData.charges(), dev: [], config: c)
        let types = try FixtureData.charges().enumerated().map { i, e in
            LabelledExample(id: e.id, text: e.text, labels: [i % 2 == 0 ? "刑事" : "民事"])
        }
        _ = try Trainer.train(bundle: b, head: "case_type", kind: .singleLabel, train: types, dev: [], config: c)
        XCTAssertEqual(b.heads.map(\.name), ["charge", "case_type"])
        let order = try b.runOrder(try b.selectHeads(nil), gates: ["charge": HeadGate(caseType: ["刑事"])])
        XCTAssertEqual(order.map(\.description.name), ["case_type", "charge"])
    }

    /// `structured_only`: the head + labels condition is tested on whole documents only; on a
    /// bare text it holds (the case-type condition is tested everywhere).
    func testStructuredOnlyGatesTestLabelsOnWholeDocumentsOnly() {
        let gate = HeadGate(head: "charge", labels: ["盗窃"], minScore: 0.3, caseType: ["刑事"], structuredOnly: true)
        let other = [Classification(task: "charge", labels: [LabelScore(label: "故意伤害", score: 0.9)])]
        XCTAssertNotNil(gate.closedReason(attributes: ["case_type": "刑事", "doc_type": "判决书"], classifications: other))
        XCTAssertNil(gate.closedReason(attributes: [:], classifications: other))
        XCTAssertNotNil(gate.closedReason(attributes: ["case_type": "民事"], classifications: other), "case type still tested")
        XCTAssertEqual(gate.summary, "charge in [盗窃] >= 0.3 on judgments; case_type in [刑事]")
        XCTAssertFalse(HeadGate(structuredOnly: true).problems(for: "theft", heads: []).isEmpty, "structured_only needs a head")
    }
}
