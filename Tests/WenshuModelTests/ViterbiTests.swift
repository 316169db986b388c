import XCTest
import WenshuCore
import WenshuTensor
@testable import WenshuModel

/// The vectorised Viterbi against a brute-force decoder (every allowed path scored) on random
/// small cases, and against the scalar reference decoder on large tag sets, ties included.
final class ViterbiTests: XCTestCase {
    /// The best allowed path by enumeration (nil when no path is allowed).
    func bruteForce(_ crf: LinearChainCRF, em: [Float], tr: [Float], st: [Float], en: [Float], T: Int) -> [Int]? {
        let K = crf.K
        var best = -Float.infinity, bestPath: [Int]? = nil
        var p = [Int](repeating: 0, count: T)
        func score() -> Float {
            var s = st[p[0]] + en[p[T - 1]]
            for t in 0..<T { s += em[t * K + p[t]] }
            for t in 1..<T { s += tr[p[t - 1] * K + p[t]] }
            return s
        }
        func visit(_ t: Int) {
            if t == T {
                guard crf.allowedEnd[p[T - 1]] else { return }
                let s = score()
                if s > best { best = s; bestPath = p }
                return
            }
            for k in 0..<K {
                if t == 0 ? !crf.allowedStart[k] : !crf.allowed[p[t - 1] * K + k] { continue }
                p[t] = k
                visit(t + 1)
            }
        }
        visit(0)
        return bestPath
    }

    func testMatchesBruteForceOnRandomSmallCases() {
        var rng = SeededRandom(seed: 77)
        var checked = 0
        for scheme in [TagScheme.bio, .bioes] {
            for labels in 1...3 {
                let crf = LinearChainCRF(scheme: scheme, labels: labels)
                let K = crf.K
                for T in 1...(K > 9 ? 3 : 5) {
                    for _ in 0..<6 {
                        let em = (0..<(T * K)).map { _ in rng.uniform(-2, 2) }
                        let tr = (0..<(K * K)).map { _ in rng.uniform(-2, 2) }
                        let st = (0..<K).map { _ in rng.uniform(-1, 1) }, en = (0..<K).map { _ in rng.uniform(-1, 1) }
                        let want = bruteForce(crf, em: em, tr: tr, st: st, en: en, T: T)
                        let got = crf.viterbi(emissions: em, transitions: tr, start: st, end: en, length: T)
                        XCTAssertEqual(got, want, "\(scheme) labels \(labels) T \(T)")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testSamePathsAsReferenceOnLargeTagSetsWithTies() {
        var rng = SeededRandom(seed: 5)
        // 11, 21 and 159 tags (BIO with 5, 10, 79 labels) and BIOES; quantised scores make ties common.
        for (scheme, labels) in [(TagScheme.bio, 5), (.bio, 10), (.bio, 79), (.bioes, 5), (.bioes, 40)] {
            let crf = LinearChainCRF(scheme: scheme, labels: labels)
            let K = crf.K
            for quantised in [false, true] {
                for T in [1, 2, 9, 60] {
                    func r(_ a: Float) -> Float { let x = rng.uniform(-a, a); return quantised ? x.rounded() : x }
                    let em = (0..<(T * K)).map { _ in r(3) }
                    let tr = (0..<(K * K)).map { _ in r(2) }
                    let st = (0..<K).map { _ in r(1) }, en = (0..<K).map { _ in r(1) }
                    XCTAssertEqual(crf.viterbi(emissions: em, transitions: tr, start: st, end: en, length: T),
                                   crf.viterbiReference(emissions: em, transitions: tr, start: st, end: en, length: T),
                                   "\(scheme) \(K) tags T \(T) quantised \(quantised)")
                }
            }
        }
    }

    func testPlanGroupsTheTagStructure() {
        // BIO: O and every B- share all tags as predecessors (one identity group); each I- has two.
        let bio = LinearChainCRF(scheme: .bio, labels: 79).decodePlan
        XCTAssertEqual(bio.wide.count, 1)
        XCTAssertTrue(bio.wide[0].identity)
        XCTAssertEqual(bio.wide[0].tags.count, 80)
        XCTAssertEqual(bio.narrow.count, 79)
        XCTAssertTrue(bio.narrow.allSatisfy { bio.narrowOffsets[$0 + 1] - bio.narrowOffsets[$0] == 2 })
        // BIOES: O, B- and S- follow the closed tags (O, E-, S-); I- and E- follow B- or I- of their label.
        let bioes = LinearChainCRF(scheme: .bioes, labels: 10).decodePlan
        XCTAssertEqual(bioes.wide.count, 1)
        XCTAssertFalse(bioes.wide[0].identity)
        XCTAssertEqual(bioes.wide[0].preds.count, 21)
        XCTAssertEqual(bioes.wide[0].tags.count, 21)
        XCTAssertEqual(bioes.narrow.count, 20)
    }
}
