import XCTest
import WenshuModel
import WenshuCore
@testable import WenshuEval

/// The CAIL2022 relation-pair metric on a hand-checked fixture, the predictions file round
/// trip, the LawBench {fact, charges} form, and the refusal to score a head on data of
/// another kind.
final class RelationAndPredictionsTests: XCTestCase {
    var files: [String] = []
    override func tearDown() { for f in files { try? FileManager.default.removeItem(atPath: f) } }
    func tempFile(_ ext: String) -> String {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-pred-\(UUID().uuidString).\(ext)").path
        files.append(p)
        return p
    }

    /// Passage 13-13 of the fixture (line 2): 7 gold relations, checked by hand against the file:
    /// traffic_in 黄某某[21,24)→氯胺酮[40,43) and 黄某某[71,74)→甲基苯丙胺[90,95); sell_drugs_to from
    /// 黄某某[21,24) to [46,49) [50,53) [54,57) and from 黄某某[71,74) to [102,105) [106,109).
    func testRelationPairMetricByHand() throws {
        let set = try LabelledSetLoader.load(path: FixtureSupport.path("cail2022-drugs.jsonl"), format: .cail2022Drugs)
        let ex = try XCTUnwrap(set.examples.first { $0.id == "13-13" })
        var scorer = RelationScorer(roles: CAIL2022DrugsReader.pairRoles)
        XCTAssertEqual(scorer.relations(ex.events).count, 7)
        func ev(_ type: String, _ r0: String, _ a: Range<Int>, _ r1: String, _ b: Range<Int>, extra: [LabelledArgument] = []) -> LabelledEvent {
            LabelledEvent(type: type, arguments: [LabelledArgument(role: r0, start: a.lowerBound, end: a.upperBound),
                                                  LabelledArgument(role: r1, start: b.lowerBound, end: b.upperBound)] + extra)
        }
        let predicted = [
            ev("traffic_in", "seller", 21..<24, "drug", 40..<43, extra: [LabelledArgument(role: "time", start: 7, end: 15)]), // right (extra args ignored)
            ev("traffic_in", "seller", 71..<74, "drug", 90..<95),                    // right
            ev("traffic_in", "seller", 71..<74, "drug", 96..<98),                    // wrong drug span (冰毒)
            ev("sell_drugs_to", "seller", 21..<24, "buyer", 46..<49),               // right
            ev("sell_drugs_to", "seller", 21..<24, "buyer", 46..<49,
               extra: [LabelledArgument(role: "place", start: 25, end: 34)]),       // the same pair again: one relation
            ev("sell_drugs_to", "seller", 46..<49, "buyer", 21..<24),               // reversed: wrong
            ev("posess", "possessor", 133..<136, "drug", 90..<95),                  // a type the gold lacks
        ]
        scorer.add(gold: ex.events, predicted: predicted)
        let s = scorer.scores
        let by = Dictionary(uniqueKeysWithValues: s.perType.map { ($0.name, $0.score) })
        XCTAssertEqual(by["traffic_in"], PRF(tp: 2, fp: 1, fn: 0))
        XCTAssertEqual(by["sell_drugs_to"], PRF(tp: 1, fp: 1, fn: 4))
        XCTAssertEqual(by["posess"], PRF(tp: 0, fp: 1, fn: 0))
        XCTAssertEqual(s.micro, PRF(tp: 3, fp: 3, fn: 4))
        XCTAssertEqual(s.micro.f1, 6.0 / 13.0, accuracy: 1e-12)
        XCTAssertEqual(by["sell_drugs_to"]!.f1, 2.0 / 7.0, accuracy: 1e-12)
    }

    func testEvaluationReportCarriesRelationPairsForDrugData() throws {
        // Predict the gold events of every passage but drop the last relation of each.
        let set = try LabelledSetLoader.load(path: FixtureSupport.path("cail2022-drugs.jsonl"), format: .cail2022Drugs)
        let byText = Dictionary(set.examples.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        let job = EvaluationJob(data: FixtureSupport.path("cail2022-drugs.jsonl"), format: .cail2022Drugs, split: .all,
                                head: "drugs", kind: "event_extractor", output: .events)
        let report = try job.run { texts in texts.map { t in
            var a = ModelAnnotations()
            for e in byText[t]!.events.dropLast() {
                a.events.append(Event(task: "drugs", type: e.type, arguments: e.arguments.map { EventArgument(role: $0.role, text: "", start: $0.start, end: $0.end) }))
            }
            return a
        } }
        let r = try XCTUnwrap(report.events?.relations)
        let gold = set.examples.reduce(0) { $0 + RelationScorer(roles: CAIL2022DrugsReader.pairRoles).relations($1.events).count }
        XCTAssertEqual(r.micro.tp + r.micro.fn, gold)
        XCTAssertEqual(r.micro.fp, 0)
        XCTAssertEqual(r.micro.fn, set.examples.filter { !$0.events.isEmpty }.count)
        XCTAssertTrue(report.summary.contains("relation pairs:"))
    }

    func testPredictionsFileRoundTrip() throws {
        for (file, format, head, kind) in [("cail2018.jsonl", DatasetFormat.cail2018, "charge", "multi_label"),
                                           ("cail2022-drugs.jsonl", .cail2022Drugs, "drugs", "event_extractor")] {
            let path = tempFile("jsonl")
            let set = try LabelledSetLoader.load(path: FixtureSupport.path(file), format: format)
            let byText = Dictionary(set.examples.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
            var job = EvaluationJob(data: FixtureSupport.path(file), format: format, split: .all, head: head, kind: kind, output: HeadKinds.builtIn.output(of: HeadKind(kind))!)
            job.predictionsPath = path
            // Every other example predicted right, the rest wrong in a kind-specific way.
            var i = 0
            let report = try job.run { texts in texts.map { t in
                let ex = byText[t]!
                i += 1
                var a = ModelAnnotations()
                if kind == "multi_label" {
                    a.classifications = [Classification(task: head, labels: (i % 2 == 0 ? ex.labels : ["盗窃"]).map { LabelScore(label: $0, score: 0.75) })]
                } else {
                    let keep = i % 2 == 0 ? ex.events : Array(ex.events.prefix(1))
                    a.events = keep.map { e in Event(task: head, type: e.type,
                        arguments: e.arguments.map { EventArgument(role: $0.role, text: "", start: $0.start, end: $0.end) }, score: 0.5) }
                    a.entities = ex.spans.dropFirst(i % 2).map { EntityMention(task: head, label: $0.label, text: "", start: $0.start, end: $0.end) }
                }
                return a
            } }
            let records = try PredictionRecord.read(path: path)
            XCTAssertEqual(records.count, set.examples.count, file)
            XCTAssertEqual(records.map(\.id), set.examples.map(\.id))
            XCTAssertTrue(records.contains { $0.correct } || kind != "multi_label")
            // Rescoring the file gives the report's scores.
            var scorer = PredictionScorer(head: head, kind: kind, output: HeadKinds.builtIn.output(of: HeadKind(kind))!, relationRoles: format == .cail2022Drugs ? CAIL2022DrugsReader.pairRoles : nil)
            for r in records { scorer.add(r.goldExample, r.annotations) }
            let again = scorer.report(bundle: nil, data: job.data, format: format.rawValue, split: "all", malformedLines: report.malformedLines, inferenceSeconds: 0)
            XCTAssertEqual(again.classification, report.classification, file)
            XCTAssertEqual(again.spans, report.spans, file)
            XCTAssertEqual(again.events, report.events, file)
            if kind == "event_extractor" {
                // Spans carry their text from the example.
                let r0 = try XCTUnwrap(records.first)
                let ex0 = set.examples[0]
                for s in r0.goldSpans ?? [] { XCTAssertEqual(s.text, ScalarText(ex0.text).slice(s.start..<s.end)) }
                XCTAssertEqual(r0.predictedEventScores?.first ?? nil, 0.5)
            }
        }
    }

    func testLawBenchChargesForm() throws {
        let path = tempFile("jsonl")
        // Facts from the CAIL2018 fixture, written in the {fact, charges} form.
        let cail = try LabelledSetLoader.load(path: FixtureSupport.path("cail2018.jsonl"), format: .cail2018)
        var lines = cail.examples.map { e -> String in
            let obj: [String: Any] = ["fact": e.text, "charges": e.labels.map { $0 + "罪" }]
            return String(data: try! JSONSerialization.data(withJSONObject: obj), encoding: .utf8)!
        }
        lines.append(#"{"id": 7, "fact": "被告人某某盗窃财物。", "charge": "[盗窃]罪"}"#)
        lines.append(#"{"fact": "无罪名", "charges": []}"#)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let set = try LabelledSetLoader.load(path: path)   // detected
        XCTAssertEqual(set.format, .lawBenchCharges)
        XCTAssertEqual(set.examples.count, cail.examples.count + 1)
        XCTAssertEqual(set.examples.prefix(cail.examples.count).map(\.labels), cail.examples.map(\.labels))
        XCTAssertEqual(set.examples.last?.labels, ["盗窃"])
        XCTAssertEqual(set.examples.last?.id, "7")
        XCTAssertEqual(set.errors.count, 1)
        XCTAssertTrue(set.errors[0].message.contains("charges"))
    }

    func testHeadOfAnotherKindIsAnError() throws {
        let cases: [(String, DatasetFormat, String)] = [("cail2018.jsonl", .cail2018, "event_extractor"),
                                                         ("cail2018.jsonl", .cail2018, "span_tagger"),
                                                         ("cail2022-drugs.jsonl", .cail2022Drugs, "multi_label"),
                                                         ("cail2021-theft.jsonl", .cail2021Theft, "single_label")]
        for (file, format, kind) in cases {
            let job = EvaluationJob(data: FixtureSupport.path(file), format: format, split: .all, head: "h", kind: kind, output: HeadKinds.builtIn.output(of: HeadKind(kind))!)
            var predicted = 0
            XCTAssertThrowsError(try job.run { t in predicted += t.count; return t.map { _ in ModelAnnotations() } }) { e in
                let w = e as? WenshuError
                XCTAssertEqual(w?.code, "eval.kind_mismatch", "\(file) \(kind)")
                XCTAssertTrue(w?.message.contains(kind) ?? false)
                XCTAssertTrue(w?.message.contains(format.rawValue) ?? false)
            }
            XCTAssertEqual(predicted, 0, "nothing is predicted before the check")
        }
    }
}
