import XCTest
import WenshuCore
@testable import WenshuEval

final class ScorerTests: XCTestCase {
    func sp(_ l: String, _ s: Int, _ e: Int) -> LabelledSpan { LabelledSpan(label: l, start: s, end: e) }

    func testSpanScoresByHand() {
        var s = SpanScorer()
        // Example 1: gold A[0,2) A[5,7) B[3,4); predicted A[0,2) (right) A[5,6) (wrong end) B[3,4) (right).
        s.add(gold: [sp("A", 0, 2), sp("A", 5, 7), sp("B", 3, 4)], predicted: [sp("A", 0, 2), sp("A", 5, 6), sp("B", 3, 4)])
        // Example 2: gold B[1,3); predicted C[1,3) (wrong label).
        s.add(gold: [sp("B", 1, 3)], predicted: [sp("C", 1, 3)])
        let r = s.scores
        // A: tp 1, fp 1, fn 1 -> P 1/2, R 1/2, F1 1/2.
        // B: tp 1, fp 0, fn 1 -> P 1, R 1/2, F1 2/3.
        // C: tp 0, fp 1, fn 0 -> F1 0.
        // micro: tp 2, fp 2, fn 2 -> P = R = F1 = 0.5; macro F1 = (1/2 + 2/3 + 0) / 3 = 7/18.
        XCTAssertEqual(r.micro, PRF(tp: 2, fp: 2, fn: 2))
        XCTAssertEqual(r.micro.f1, 0.5, accuracy: 1e-12)
        XCTAssertEqual(r.macroF1, 7.0 / 18.0, accuracy: 1e-12)
        XCTAssertEqual(r.perType.map(\.name), ["A", "B", "C"])
        XCTAssertEqual(r.perType[1].score.f1, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(r.perType[1].score.precision, 1.0)
    }

    func testEventScoresByHand() {
        let a = LabelledArgument(role: "seller", start: 0, end: 3)
        let b = LabelledArgument(role: "drug", start: 5, end: 8)
        let c = LabelledArgument(role: "weight", start: 9, end: 12)
        var s = EventScorer()
        // Gold: traffic_in{a,b,c}, posess{a,b}. Predicted: traffic_in{a,b} (misses c -> the event is wrong),
        // posess{b,a} (same set in another order -> right).
        s.add(gold: [LabelledEvent(type: "traffic_in", arguments: [a, b, c]), LabelledEvent(type: "posess", arguments: [a, b])],
              predicted: [LabelledEvent(type: "traffic_in", arguments: [a, b]), LabelledEvent(type: "posess", arguments: [b, a])])
        let r = s.scores
        // Events: traffic_in tp0 fp1 fn1; posess tp1 -> micro tp1 fp1 fn1, F1 = 2/(2+1+1) = 0.5.
        XCTAssertEqual(r.events.micro, PRF(tp: 1, fp: 1, fn: 1))
        XCTAssertEqual(r.events.micro.f1, 0.5, accuracy: 1e-12)
        // Arguments (type, role, span): gold 5 items, predicted 4, all 4 predicted right -> P 1, R 4/5, F1 8/9.
        XCTAssertEqual(r.arguments.micro, PRF(tp: 4, fp: 0, fn: 1))
        XCTAssertEqual(r.arguments.micro.f1, 8.0 / 9.0, accuracy: 1e-12)
        // Per role: weight has tp 0 fn 1.
        XCTAssertEqual(r.arguments.perType.first { $0.name == "weight" }?.score, PRF(tp: 0, fp: 0, fn: 1))
    }

    func testEventTriggersMatterWhenGoldHasThem() {
        var s = EventScorer()
        let t1 = LabelledSpan(label: "盗窃", start: 2, end: 4), t2 = LabelledSpan(label: "盗窃", start: 6, end: 8)
        s.add(gold: [LabelledEvent(type: "盗窃", trigger: t1, arguments: [])],
              predicted: [LabelledEvent(type: "盗窃", trigger: t2, arguments: [])])
        // Same type, different trigger: tp 0, fp 1, fn 1.
        XCTAssertEqual(s.scores.events.micro, PRF(tp: 0, fp: 1, fn: 1))
    }

    func testMultiLabelClassificationAndCAILScore() {
        var s = ClassificationScorer()
        // gold {x}, pred {x}; gold {x,y}, pred {x}; gold {z}, pred {y}.
        s.add(gold: ["x"], predicted: ["x"])
        s.add(gold: ["x", "y"], predicted: ["x"])
        s.add(gold: ["z"], predicted: ["y"])
        let r = s.scores
        // x: tp 2 -> F1 1. y: fp 1 (ex 3), fn 1 (ex 2) -> F1 0. z: fn 1 -> F1 0.
        // micro: tp 2, fp 1, fn 2 -> F1 = 4 / (4 + 1 + 2) = 4/7. macro = 1/3.
        // accuracy (exact set) = 1/3. CAIL = (4/7 + 1/3) / 2 = 19/42.
        XCTAssertEqual(r.accuracy, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(r.microF1, 4.0 / 7.0, accuracy: 1e-12)
        XCTAssertEqual(r.macroF1, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(r.cailScore, 19.0 / 42.0, accuracy: 1e-12)
        XCTAssertNil(r.confusion, "multi-label sets have no confusion matrix")
    }

    func testSingleLabelConfusionMatrix() {
        var s = ClassificationScorer()
        // gold/pred: 刑事/刑事, 刑事/民事, 民事/民事, 民事/民事.
        for (g, p) in [("刑事", "刑事"), ("刑事", "民事"), ("民事", "民事"), ("民事", "民事")] { s.add(gold: [g], predicted: [p]) }
        let r = s.scores
        // accuracy 3/4. 刑事: tp1 fn1 -> F1 2/3. 民事: tp2 fp1 -> F1 4/5. macro = (2/3 + 4/5)/2 = 11/15.
        // micro: tp 3, fp 1, fn 1 -> 3/4 (equals accuracy for single-label).
        XCTAssertEqual(r.accuracy, 0.75, accuracy: 1e-12)
        XCTAssertEqual(r.microF1, 0.75, accuracy: 1e-12)
        XCTAssertEqual(r.macroF1, 11.0 / 15.0, accuracy: 1e-12)
        // Labels sort by Unicode order: 刑 (U+5211) before 民 (U+6C11).
        XCTAssertEqual(r.confusion, ConfusionMatrix(labels: ["刑事", "民事"], counts: [[1, 1], [0, 2]]))
    }

    func testNoConfusionMatrixForManyLabels() {
        var s = ClassificationScorer()
        for i in 0..<21 { s.add(gold: ["l\(i)"], predicted: ["l\(i)"]) }
        XCTAssertNil(s.scores.confusion)
        XCTAssertEqual(s.scores.accuracy, 1)
    }
}
