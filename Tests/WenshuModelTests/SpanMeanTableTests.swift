import XCTest
@testable import WenshuModel
import WenshuTensor

/// The prefix-sum table used at inference gives the same span means as summing the span.
final class SpanMeanTableTests: XCTestCase {
    func testMeansMatchDirectSums() {
        let T = 700, H = 16
        var rng = SeededRandom(seed: 7)
        let vectors = (0..<(T * H)).map { _ in rng.uniform(-1, 1) }
        let e = EncodedText(length: T, width: H, vectors: vectors, document: [], cache: nil)
        let table = SpanMeanTable(e)
        for (lo, hi) in [(0, 1), (3, 9), (0, T), (650, 700), (120, 121), (5, 5), (690, 900), (-3, 2)] {
            let a = max(0, lo), b = min(T, hi)
            var direct = [Double](repeating: 0, count: H)
            if b > a { for t in a..<b { for j in 0..<H { direct[j] += Double(vectors[t * H + j]) } } }
            let got = table.mean(lo..<max(lo, hi))
            for j in 0..<H {
                let want = b > a ? direct[j] / Double(b - a) : 0
                XCTAssertEqual(Double(got[j]), want, accuracy: 1e-5, "span \(lo)..<\(hi), column \(j)")
            }
        }
    }
}
