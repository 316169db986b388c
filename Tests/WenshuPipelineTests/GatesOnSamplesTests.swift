import XCTest
import WenshuCore
import WenshuIngest
import WenshuModel
@testable import WenshuPipeline

/// The shipped nightly pipeline's gates and scopes on real judgments from `samples/`, with the
/// committed default bundle: a theft judgment gets a theft event and no drug head, a drug
/// judgment runs the drug head and not the theft head, a civil record runs no criminal head.
final class GatesOnSamplesTests: XCTestCase {
    func records(_ file: String) throws -> [ResultRecord] {
        let root = Harness.repoRoot
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("models/default/manifest.json").path) else {
            throw XCTSkip("models/default is absent")
        }
        var spec = try PipelineSpecLoader.load(path: root.appendingPathComponent("pipelines/nightly-criminal.yaml").path, checkInputs: false)
        spec.model?.bundle = root.appendingPathComponent("models/default").path
        let processor = try DocumentProcessor(spec: spec)
        let docs = try IngestService().documents(atPath: root.appendingPathComponent("samples/documents/\(file)").path).map { try $0.get() }
        return try processor.process(docs).map { try $0.get() }
    }

    func testTheftJudgmentGetsATheftEventAndNoDrugHead() throws {
        let r = try XCTUnwrap(try records("criminal-theft-619.txt").first)
        XCTAssertEqual(r.document.caseType, "刑事")
        XCTAssertTrue(r.events.contains { $0.task == "theft" }, "a theft event")
        XCTAssertFalse(r.events.contains { $0.task == "drugs" })
        XCTAssertNotNil(r.model?.skipped?["drugs"], "the drug head's gate stays closed")
        XCTAssertNil(r.model?.skipped?["theft"])
        XCTAssertEqual(r.model?.decisions?.gates?["theft"], "charge in [盗窃] >= 0.3; case_type in [刑事]")
        // The judgment names its charge (指控原审被告人黄勇犯盗窃罪): it is the head's output, with
        // score 1 and the span that names it in the source text, in place of the predictions.
        XCTAssertEqual(r.model?.decisions?.namedLabels, ["charge": "charges"])
        XCTAssertEqual(r.document.charges.map(\.name), ["盗窃"])
        let charge = try XCTUnwrap(r.classifications.first { $0.task == "charge" })
        let first = try XCTUnwrap(charge.labels.first)
        XCTAssertEqual(first.label, "盗窃")
        XCTAssertEqual(first.score, 1)
        let evidence = try XCTUnwrap(first.evidence)
        XCTAssertEqual(evidence.section, "procedure")
        XCTAssertEqual(evidence.text, "盗窃")
        let source = try String(contentsOf: Harness.repoRoot.appendingPathComponent("samples/documents/criminal-theft-619.txt"), encoding: .utf8)
        let scalars = Array(source.unicodeScalars)
        XCTAssertEqual(String(String.UnicodeScalarView(scalars[evidence.start..<evidence.end])), "盗窃")
        XCTAssertEqual(String(String.UnicodeScalarView(scalars[evidence.end..<evidence.end + 1])), "罪")
        XCTAssertEqual(charge.labels.count, 1, "the named charge replaces the predictions: \(charge.labels)")
        // Theft arguments come from the facts section (scope), never from the header.
        let facts = try XCTUnwrap(r.document.sections.first { $0.kind == .facts })
        for e in r.events where e.task == "theft" {
            for a in e.arguments { XCTAssertGreaterThanOrEqual(a.start, facts.start, "\(a.role) \(a.text)") }
        }
    }

    func testDrugJudgmentRunsTheDrugHeadNotTheTheftHead() throws {
        let r = try XCTUnwrap(try records("criminal-drugs-750.utf16le.txt").first)
        XCTAssertNil(r.model?.skipped?["drugs"], "the drug head runs on a drug judgment")
        // It finds the drug and the person; no relation event here (a 容留他人吸毒 case with one
        // person found; MODEL_CARD.md, relation pairs 0.657): the 799 judgment below has one.
        XCTAssertTrue(r.entities.contains { $0.task == "drugs" && $0.label == "NDR" && $0.text == "甲基苯丙胺" }, "\(r.entities)")
        XCTAssertTrue(r.entities.contains { $0.task == "drugs" && $0.label == "Nh" })
        XCTAssertNotNil(r.model?.skipped?["theft"])
        XCTAssertFalse(r.events.contains { $0.task == "theft" })
    }

    /// A short drug judgment (id 799, 非法持有毒品): the judgment names its charge, the drug head
    /// runs and finds the possession event (the possessor and the drug), the theft head does not.
    func testDrugJudgmentGetsADrugEvent() throws {
        let r = try XCTUnwrap(try records("criminal-drugs-799.txt").first)
        XCTAssertEqual(r.classifications.first { $0.task == "charge" }?.labels.first?.label, "非法持有毒品")
        XCTAssertNil(r.model?.skipped?["drugs"])
        XCTAssertNotNil(r.model?.skipped?["theft"])
        let events = r.events.filter { $0.task == "drugs" }
        XCTAssertTrue(events.contains { e in
            e.type == "posess" && e.arguments.contains { $0.role == "possessor" && $0.text == "贾晓彪" }
                && e.arguments.contains { $0.role == "drug" && $0.text == "甲基苯丙胺" }
        }, "\(events)")
    }

    func testCivilRecordsRunNoCriminalHead() throws {
        for file in ["civil-credit-card.html", "civil-loan.gbk.xml"] {
            for r in try records(file) {
                XCTAssertTrue(r.events.isEmpty, file)
                XCTAssertFalse(r.classifications.contains { $0.task == "charge" }, file)
                for h in ["charge", "theft", "drugs", "leven"] { XCTAssertNotNil(r.model?.skipped?[h], "\(file): \(h)") }
                XCTAssertEqual(r.classifications.first { $0.task == "case_type" }?.labels.first?.label, "民事")
            }
        }
    }

    func testCheckNamesUnknownHeadsAndThresholdsWithTheBundlesHeads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-gates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = Harness.repoRoot.appendingPathComponent("models/default").path
        let yaml = """
        inputs: {paths: [\(dir.path)]}
        model:
          bundle: \(bundle)
          heads: [charges]
          thresholds: {chargez: 0.4}
          gates:
            theft: {head: charge, labels: [盗窃案], min_score: 0.3}
          named_labels: {charge: titles, theft: charges, chargez: charges}
        outputs: {results: \(dir.path)/r.jsonl}
        """
        XCTAssertThrowsError(try PipelineSpecLoader.parse(yaml: yaml, path: "p.yaml")) { e in
            let text = (e as? PipelineSpecError)?.description ?? "\(e)"
            XCTAssertTrue(text.contains("no head named 'charges'"), text)
            XCTAssertTrue(text.contains("no head named 'chargez'"), text)
            XCTAssertTrue(text.contains("has no label(s) 盗窃案"), text)
            XCTAssertTrue(text.contains("heads: charge, case_type, cause, theft, drugs, leven"), text)
            XCTAssertTrue(text.contains("named_labels: 'charge' reads 'titles'; known sources: charges"), text)
            XCTAssertTrue(text.contains("named_labels: 'theft' (event_extractor) is not a classifier; only classifier heads take labels from the text"), text)
            XCTAssertTrue(text.contains("named_labels: no head named 'chargez'"), text)
        }
    }

    /// `--check` (the loader) judges the pipeline's settings over the bundle's defaults, as a run
    /// merges them: a bad default is reported, and a pipeline value for that head replaces it.
    func testCheckReadsTheBundlesDefaultDecisionsAsARunMergesThem() throws {
        let root = Harness.repoRoot
        let manifestURL = root.appendingPathComponent("models/default/manifest.json")
        guard FileManager.default.fileExists(atPath: manifestURL.path) else { throw XCTSkip("models/default is absent") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-defaults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The shipped manifest (the loader reads no weights) with one bad default minimum score.
        var manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        var decisions = try XCTUnwrap(manifest["decisions"] as? [String: Any])
        decisions["min_scores"] = ["charge": 1.5]
        manifest["decisions"] = decisions
        try JSONSerialization.data(withJSONObject: manifest).write(to: dir.appendingPathComponent("manifest.json"))
        func yaml(_ extra: String) -> String {
            """
            inputs: {paths: [\(dir.path)]}
            model: {bundle: \(dir.path)\(extra)}
            outputs: {results: \(dir.path)/r.jsonl}
            """
        }
        XCTAssertThrowsError(try PipelineSpecLoader.parse(yaml: yaml(""), path: "p.yaml")) { e in
            let text = (e as? PipelineSpecError)?.description ?? "\(e)"
            XCTAssertTrue(text.contains("min_scores: 'charge' is 1.5, outside [0, 1]"), text)
        }
        XCTAssertNoThrow(try PipelineSpecLoader.parse(yaml: yaml(", min_scores: {charge: 0.4}"), path: "p.yaml"))
    }

    /// A pipeline that names only the bundle gets the bundle's default decisions (manifest.json
    /// `decisions`): no charge or criminal event on a civil record, and the record says which
    /// settings ran; its own settings replace a default head by head (`gates: {theft: {}}`
    /// opens the theft head's gate).
    func testBundleDefaultsApplyToAPipelineWithoutSettings() throws {
        let root = Harness.repoRoot
        let bundle = root.appendingPathComponent("models/default").path
        guard FileManager.default.fileExists(atPath: bundle + "/manifest.json") else { throw XCTSkip("models/default is absent") }
        func run(_ model: String, _ file: String) throws -> [ResultRecord] {
            let yaml = """
            inputs: {paths: [\(root.appendingPathComponent("samples/documents").path)]}
            model: {bundle: \(bundle)\(model)}
            outputs: {results: /tmp/unused-\(UUID().uuidString).jsonl}
            """
            let spec = try PipelineSpecLoader.parse(yaml: yaml, path: "p.yaml")
            let processor = try DocumentProcessor(spec: spec)
            let docs = try IngestService().documents(atPath: root.appendingPathComponent("samples/documents/\(file)").path).map { try $0.get() }
            return try processor.process(docs).map { try $0.get() }
        }
        let civil = try XCTUnwrap(try run("", "civil-loan.gbk.xml").first)
        XCTAssertFalse(civil.classifications.contains { $0.task == "charge" })
        XCTAssertTrue(civil.events.isEmpty)
        for h in ["charge", "theft", "drugs", "leven"] { XCTAssertNotNil(civil.model?.skipped?[h], h) }
        XCTAssertEqual(civil.model?.decisions?.namedLabels, ["charge": "charges"])
        XCTAssertEqual(civil.model?.decisions?.minScores?["charge"], 0.3)
        XCTAssertNil(civil.model?.decisions?.minScores?["cause"], "causes are kept by default (calibrated scores)")
        let theft = try XCTUnwrap(try run("", "criminal-theft-619.txt").first)
        XCTAssertEqual(theft.classifications.first { $0.task == "charge" }?.labels.first?.label, "盗窃")
        XCTAssertTrue(theft.events.contains { $0.task == "theft" })
        // Bare sentences (no header, no document type) are read by the theft head whatever the
        // charge head guesses about them (the default gate tests the charge on judgments only).
        let sentences = try run("", "theft-sentences.jsonl")
        XCTAssertGreaterThan(sentences.count, 3)
        for r in sentences { XCTAssertNil(r.model?.skipped?["theft"], "\(r.id): \(r.model?.skipped ?? [:])") }
        XCTAssertTrue(sentences.contains { $0.events.contains { $0.task == "theft" } })
        // The pipeline opens the theft gate (and keeps the other defaults).
        let open = try XCTUnwrap(try run(", gates: {theft: {}}", "civil-loan.gbk.xml").first)
        XCTAssertNil(open.model?.skipped?["theft"])
        XCTAssertNil(open.model?.decisions?.gates?["theft"])
        XCTAssertNotNil(open.model?.skipped?["drugs"])
    }
}
