import XCTest
import WenshuModel
import WenshuCore
@testable import WenshuEval

final class ReportTests: XCTestCase {
    func report() -> EvaluationReport {
        var spans = SpanScorer()
        spans.add(gold: [LabelledSpan(label: "NHCS", start: 0, end: 3), LabelledSpan(label: "NT", start: 4, end: 9)],
                  predicted: [LabelledSpan(label: "NHCS", start: 0, end: 3), LabelledSpan(label: "NS", start: 10, end: 12)])
        var ev = EventScorer()
        ev.add(gold: [LabelledEvent(type: "theft", arguments: [LabelledArgument(role: "NHCS", start: 0, end: 3)])],
               predicted: [LabelledEvent(type: "theft", arguments: [LabelledArgument(role: "NHCS", start: 0, end: 3)])])
        var cls = ClassificationScorer()
        cls.add(gold: ["盗窃"], predicted: ["盗窃"]); cls.add(gold: ["诈骗"], predicted: ["盗窃"])
        return EvaluationReport(head: "theft<&>", kind: "event_extractor", bundle: "models/default", data: "d.jsonl",
                                format: "cail2021-theft", split: "dev", examples: 2, inferenceSeconds: 0.5, characters: 100,
                                classification: cls.scores, spans: spans.scores, events: ev.scores)
    }

    func testHTMLIsSelfContainedWithOneBarPerType() throws {
        let r = report()
        let html = HTMLReport.render(r)
        XCTAssertNil(html.range(of: "https?://", options: [.regularExpression, .caseInsensitive]), "no network references")
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("<link"))
        // Charts: labels (盗窃, 诈骗) 2, spans (NHCS, NS, NT) 3, events (theft) 1, arguments (NHCS) 1 -> 7 bars.
        func bars(in chart: String) -> Int {
            guard let a = html.range(of: "id=\"chart-\(chart)\""), let b = html.range(of: "</svg>", range: a.upperBound..<html.endIndex) else { return -1 }
            return html[a.upperBound..<b.lowerBound].components(separatedBy: "<rect class=\"bar\"").count - 1
        }
        XCTAssertEqual(bars(in: "labels"), 2)
        XCTAssertEqual(bars(in: "spans"), 3)
        XCTAssertEqual(bars(in: "events"), 1)
        XCTAssertEqual(bars(in: "arguments"), 1)
        XCTAssertEqual(html.components(separatedBy: "<rect class=\"bar\"").count - 1, 7)
        XCTAssertTrue(html.contains("theft&lt;&amp;&gt;"), "names are escaped")
        // NHCS F1 = 1 -> full 400 px bar; NS and NT F1 = 0 -> width 0.
        XCTAssertTrue(html.contains("width=\"400\" height=\"14\" fill=\"#4a7ab5\"><title>NHCS: F1 1.0000"))
    }

    func testJSONRoundTrip() throws {
        let r = report()
        let data = try r.jsonData()
        let back = try JSONDecoder().decode(EvaluationReport.self, from: data)
        XCTAssertEqual(back, r)
        let obj = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        XCTAssertEqual(obj["schema"] as? String, "wenshu.eval/1")
        let spans = obj["spans"] as! [String: Any]
        let micro = spans["micro"] as! [String: Any]
        // micro spans: tp 1, fp 1, fn 1 -> F1 0.5.
        XCTAssertEqual(micro["f1"] as! Double, 0.5, accuracy: 1e-12)
        XCTAssertEqual(r.examplesPerSecond, 4, accuracy: 1e-12)
        XCTAssertTrue(r.summary.contains("events: P 1.0000"))
    }
}

final class EvaluationJobTests: XCTestCase {
    /// A predictor that answers with the gold annotations scores 1; one that answers nothing scores 0.
    func testOracleAndEmptyPredictors() throws {
        let path = FixtureSupport.path("cail2021-theft.jsonl")
        let gold = try LabelledSetLoader.load(path: path).examples
        let byText = Dictionary(gold.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        let job = EvaluationJob(data: path, split: .all, head: "theft", kind: "event_extractor", output: .events, batchSize: 2)
        let oracle = try job.run { texts in
            texts.map { t in
                let e = byText[t]!
                return ModelAnnotations(events: e.events.map { ev in
                    Event(task: "theft", type: ev.type, arguments: ev.arguments.map {
                        EventArgument(role: $0.role, text: "", start: $0.start, end: $0.end) })
                })
            }
        }
        XCTAssertEqual(oracle.examples, 5)
        XCTAssertEqual(oracle.malformedLines, 2)
        XCTAssertEqual(oracle.events?.events.micro.f1, 1)
        XCTAssertEqual(oracle.events?.arguments.micro.f1, 1)
        XCTAssertEqual(oracle.spans?.micro.f1, 1, "spans are read off the predicted arguments")
        let empty = try job.run { $0.map { _ in ModelAnnotations() } }
        XCTAssertEqual(empty.events?.events.micro.f1, 0)
        XCTAssertEqual(empty.events?.events.micro.fn, gold.filter { !$0.events.isEmpty }.count)
    }

    func testClassificationJobAndDevSplitChoice() throws {
        let path = FixtureSupport.path("cjrc.jsonl")
        let job = EvaluationJob(data: path, format: .cjrc, split: .all, head: "case_type", kind: "single_label", output: .singleLabel)
        let r = try job.run { texts in texts.map { _ in
            ModelAnnotations(classifications: [Classification(task: "case_type", labels: [LabelScore(label: "民事", score: 0.9),
                                                                                          LabelScore(label: "刑事", score: 0.1)])]) } }
        // The fixture holds 2 民事 and 2 刑事 passages: always answering 民事 is right half the time.
        XCTAssertEqual(r.classification?.accuracy, 0.5)
        XCTAssertEqual(r.classification?.confusion?.counts, [[0, 2], [0, 2]])
        let dev = EvaluationJob(data: path, format: .cjrc, split: .dev, head: "case_type", kind: "single_label", output: .singleLabel)
        let ids = try LabelledSetLoader.load(path: path, format: .cjrc).examples.map(\.id)
        if ids.contains(where: DevSplit.isDev) {
            XCTAssertEqual(try dev.examples().1.count, ids.filter(DevSplit.isDev).count)
        } else {
            XCTAssertThrowsError(try dev.examples())
        }
    }
}
