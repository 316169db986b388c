import Foundation
import XCTest
import WenshuModel
import WenshuCore
@testable import WenshuEval

/// What the HTML report must show (issue 13, item 12): a CJK font stack, label columns as
/// wide as their labels, one table per distinct view, a legend for the role codes, a
/// confusion matrix of at most 20 labels, the worst examples, the bundle's name, version
/// and date. Built from the real fixtures (excerpts of ../shared/data).
final class HTMLReportContentTests: XCTestCase {
    /// The theft fixture scored with a predictor that finds only the first argument of each event.
    static func theftReport() throws -> EvaluationReport {
        let path = FixtureSupport.path("cail2021-theft.jsonl")
        let gold = try LabelledSetLoader.load(path: path).examples
        let byText = Dictionary(gold.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        let job = EvaluationJob(data: path, split: .all, head: "theft", kind: "event_extractor", output: .events)
        var r = try job.run { texts in
            texts.map { t in
                ModelAnnotations(events: byText[t]!.events.map { ev in
                    Event(task: "theft", type: ev.type, arguments: ev.arguments.prefix(1).map {
                        EventArgument(role: $0.role, text: "", start: $0.start, end: $0.end) })
                })
            }
        }
        r.bundleName = "wenshu-default"; r.bundleVersion = "0b426380a9b707f6"
        return r
    }

    func testTheftReport() throws {
        let r = try Self.theftReport()
        let html = HTMLReport.render(r)
        XCTAssertTrue(html.contains("font-family:\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\", sans-serif"))
        XCTAssertTrue(html.contains("wenshu-default 0b426380a9b707f6"))
        XCTAssertTrue(html.contains("<th>date</th><td>\(r.date ?? "?")</td>"))
        // The span view equals the argument view: one table, one chart, and a note.
        XCTAssertEqual(r.spans, r.events?.arguments)
        XCTAssertFalse(html.contains("id=\"chart-spans\""))
        XCTAssertTrue(html.contains("id=\"chart-arguments\""))
        XCTAssertTrue(html.contains("shown once"))
        // Legend and meanings beside the codes.
        let roles = try XCTUnwrap(r.events?.arguments.perType.map(\.name))
        XCTAssertTrue(roles.contains("NHVI"))
        for code in roles {
            let meaning = try XCTUnwrap(LabelDescriptions.known[code], code)
            XCTAssertTrue(html.contains("<tr><td>\(code)</td><td>\(meaning)</td></tr>"), code)
        }
        XCTAssertTrue(html.contains("<tr><td>NHVI</td><td>受害人 victim</td></tr>"))
        // Worst examples: each missed argument is one error; sorted by errors, gold beside prediction.
        let worst = try XCTUnwrap(r.worstExamples)
        XCTAssertFalse(worst.isEmpty)
        XCTAssertLessThanOrEqual(worst.count, 20)
        XCTAssertEqual(worst.map(\.errors), worst.map(\.errors).sorted(by: >))
        for w in worst {
            XCTAssertEqual(w.gold.count - w.predicted.count, w.errors)
            XCTAssertTrue(w.predicted.allSatisfy(w.gold.contains))
        }
        XCTAssertTrue(html.contains("examples with the most errors"))
        XCTAssertTrue(html.contains(">\(HTMLReport.esc(worst[0].gold[0]))</li>"))
        XCTAssertTrue(html.contains("<li class=\"miss\">"), "missed gold items are marked")
    }

    /// Every chart label fits its column: the label column is at least the label's estimated width.
    func testLongLabelsFit() throws {
        var cls = ClassificationScorer()
        let long = "[走私、贩卖、运输、制造]毒品"
        cls.add(gold: [long], predicted: [long]); cls.add(gold: ["盗窃"], predicted: [long])
        let html = HTMLReport.render(EvaluationReport(head: "charge", kind: "single_label", bundle: nil, data: "d", format: "f",
                                                      split: "dev", examples: 2, classification: cls.scores))
        let re = try NSRegularExpression(pattern: "<text class=\"label\" x=\"([0-9]+)\"[^>]*>([^<]*)</text>")
        let ns = html as NSString
        let ms = re.matches(in: html, range: NSRange(location: 0, length: ns.length))
        XCTAssertEqual(ms.count, 2)
        for m in ms {
            let x = Int(ns.substring(with: m.range(at: 1)))!
            let label = ns.substring(with: m.range(at: 2))
            XCTAssertGreaterThanOrEqual(x, HTMLReport.estimatedWidth(label), label)
        }
        XCTAssertTrue(html.contains("<th class=\"name\">1 "), "confusion rows are numbered")
    }

    /// A single-label head gets a numbered confusion matrix with at most 20 labels; with
    /// more labels the page says why there is none (the CAIL2018 fixture's charges).
    func testConfusionMatrixOfAtMostTwentyLabels() throws {
        let set = try LabelledSetLoader.load(path: FixtureSupport.path("cail2018.jsonl"))
        var few = ClassificationScorer(), many = ClassificationScorer()
        for (i, e) in set.examples.enumerated() where e.labels.count == 1 {
            few.add(gold: [i % 2 == 0 ? "刑事" : "民事"], predicted: ["刑事"])
            many.add(gold: e.labels, predicted: [set.examples[0].labels[0]])
        }
        func page(_ c: ClassificationScorer) -> String {
            HTMLReport.render(EvaluationReport(head: "h", kind: "single_label", bundle: nil, data: "d", format: "f",
                                               split: "dev", examples: c.scores.examples, classification: c.scores))
        }
        let m = try XCTUnwrap(few.scores.confusion)
        XCTAssertEqual(m.labels, ["刑事", "民事"])
        XCTAssertTrue(page(few).contains("<th class=\"name\">2 民事</th>"))
        let labels = many.scores.perLabel.count
        if labels > ClassificationScorer.maxConfusionLabels {
            XCTAssertNil(many.scores.confusion)
            XCTAssertTrue(page(many).contains("No confusion matrix: \(labels) labels, more than 20."))
        } else {
            XCTAssertEqual(many.scores.confusion?.labels.count, labels)
        }
    }

    func testOldReportsStillDecode() throws {
        let old = #"{"schema":"wenshu.eval/1","head":"h","kind":"single_label","data":"d","format":"f","split":"dev","examples":1,"malformedLines":0,"inferenceSeconds":0,"examplesPerSecond":0,"charactersPerSecond":0}"#
        let r = try JSONDecoder().decode(EvaluationReport.self, from: Data(old.utf8))
        XCTAssertNil(r.worstExamples)
        XCTAssertTrue(HTMLReport.render(r).contains("<th>date</th><td>-</td>"))
    }
}
