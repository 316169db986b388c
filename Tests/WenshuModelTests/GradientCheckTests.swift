import XCTest
import WenshuCore
import WenshuTensor
@testable import WenshuModel

/// Analytic gradients against central finite differences.
final class GradientCheckTests: XCTestCase {
    func testCRFNegLogLikelihoodGradient() {
        for scheme in [TagScheme.bio, .bioes] {
            let crf = LinearChainCRF(scheme: scheme, labels: 2)
            let K = crf.K, T = 6
            var rng = SeededRandom(seed: 9)
            let em = (0..<(T * K)).map { _ in rng.uniform(-1, 1) }
            let tr = (0..<(K * K)).map { _ in rng.uniform(-1, 1) }
            let st = (0..<K).map { _ in rng.uniform(-1, 1) }
            let en = (0..<K).map { _ in rng.uniform(-1, 1) }
            let gold = scheme.encode([(0, 0, 2), (1, 3, 4)], length: T)
            let (_, g) = crf.negLogLikelihood(emissions: em, transitions: tr, start: st, end: en, gold: gold)
            func loss() -> Double { crf.negLogLikelihood(emissions: em, transitions: tr, start: st, end: en, gold: gold).0 }
            let h: Float = 1e-2
            // which: 0 emissions, 1 transitions, 2 start, 3 end.
            func fd(_ which: Int, _ i: Int) -> Double {
                var x = [em, tr, st, en]
                func l() -> Double { crf.negLogLikelihood(emissions: x[0], transitions: x[1], start: x[2], end: x[3], gold: gold).0 }
                let old = x[which][i]
                x[which][i] = old + h; let a = l()
                x[which][i] = old - h; let b = l()
                return (a - b) / Double(2 * h)
            }
            for i in 0..<(T * K) { XCTAssertEqual(Double(g.emissions[i]), fd(0, i), accuracy: 1e-3, "emission \(i)") }
            for i in 0..<(K * K) where crf.allowed[i] { XCTAssertEqual(g.transitions[i], fd(1, i), accuracy: 1e-3, "transition \(i)") }
            for i in 0..<K where crf.allowedStart[i] { XCTAssertEqual(g.start[i], fd(2, i), accuracy: 1e-3, "start \(i)") }
            for i in 0..<K where crf.allowedEnd[i] { XCTAssertEqual(g.end[i], fd(3, i), accuracy: 1e-3, "end \(i)") }
            // The NLL of an allowed gold path is positive; Viterbi path is allowed.
            XCTAssertGreaterThan(loss(), 0)
            let path = crf.viterbi(emissions: em, transitions: tr, start: st, end: en, length: T)
            XCTAssertTrue(crf.allowedStart[path[0]] && crf.allowedEnd[path[T - 1]])
            for t in 1..<T { XCTAssertTrue(crf.allowed[path[t - 1] * K + path[t]]) }
        }
    }

    func testViterbiMatchesBruteForce() {
        let crf = LinearChainCRF(scheme: .bio, labels: 1)
        let K = crf.K, T = 4
        var rng = SeededRandom(seed: 4)
        let em = (0..<(T * K)).map { _ in rng.uniform(-2, 2) }
        let tr = (0..<(K * K)).map { _ in rng.uniform(-2, 2) }
        let st = (0..<K).map { _ in rng.uniform(-1, 1) }, en = (0..<K).map { _ in rng.uniform(-1, 1) }
        var best = -Float.infinity, bestPath: [Int] = []
        var logZ: [Double] = []
        for code in 0..<Int(pow(Double(K), Double(T))) {
            var p: [Int] = [], c = code
            for _ in 0..<T { p.append(c % K); c /= K }
            guard crf.allowedStart[p[0]], crf.allowedEnd[p[T - 1]], (1..<T).allSatisfy({ crf.allowed[p[$0 - 1] * K + p[$0]] }) else { continue }
            var s = st[p[0]] + en[p[T - 1]]
            for t in 0..<T { s += em[t * K + p[t]] }
            for t in 1..<T { s += tr[p[t - 1] * K + p[t]] }
            if s > best { best = s; bestPath = p }
            logZ.append(Double(s))
        }
        XCTAssertEqual(crf.viterbi(emissions: em, transitions: tr, start: st, end: en, length: T), bestPath)
        // NLL(gold) = logZ - score(gold), with logZ over allowed paths only.
        let (nll, _) = crf.negLogLikelihood(emissions: em, transitions: tr, start: st, end: en, gold: bestPath)
        XCTAssertEqual(nll, logSumExp(logZ) - Double(best), accuracy: 1e-4)
    }

    func testClassifierLossGradients() {
        var rng = SeededRandom(seed: 2)
        for multi in [false, true] {
            var z = (0..<5).map { _ in rng.uniform(-2, 2) }
            let y = multi ? [1, 3] : [2]
            let (_, g) = ClassifierHead.lossGradient(logits: z, targets: y, multi: multi)
            for i in 0..<5 {
                let old = z[i], h: Float = 1e-2
                z[i] = old + h; let a = ClassifierHead.lossGradient(logits: z, targets: y, multi: multi).0
                z[i] = old - h; let b = ClassifierHead.lossGradient(logits: z, targets: y, multi: multi).0
                z[i] = old
                XCTAssertEqual(Double(g[i]), (a - b) / Double(2 * h), accuracy: 1e-3, "multi=\(multi) logit \(i)")
            }
        }
    }

    /// End to end: encoder (embedding rows, context layer) + tagger and classifier heads.
    func testEncoderBackpropMatchesFiniteDifferences() throws {
        let ex = try FixtureData.theft()[0]
        let charges = try FixtureData.charges()[0]
        let bundle = ModelBundle.create(name: "g", encoder: EncoderConfig(dim: 6, buckets: 512, hidden: 5, context: 1))
        let enc = try XCTUnwrap(bundle.encoder as? HashedNgramEncoder)
        let tagDesc = HeadDescription(name: "t", kind: .spanTagger, labels: Array(Set(ex.spans.map(\.label))).sorted(),
                                      encoderFingerprint: "", settings: HeadSettings(tagScheme: .bioes))
        let tagger = try SpanTaggerHead(description: tagDesc, inputDim: 5, tensors: nil, path: "", seed: 3)
        let clsDesc = HeadDescription(name: "c", kind: .multiLabel, labels: charges.labels + ["x"], encoderFingerprint: "")
        let cls = try ClassifierHead(description: clsDesc, inputDim: 10, tensors: nil, path: "", seed: 4)
        for (head, example) in [(tagger as TrainableHead, ex), (cls as TrainableHead, charges)] {
            let text = Array(example.text.unicodeScalars)
            let target = head.target(for: example)!
            func loss() -> Double {
                let e = enc.encode(text, wordStarts: nil, training: true)
                return head.lossAndGradients(e, target: target, into: Gradients([])).loss
            }
            let g = Gradients(enc.parameters)
            let e = enc.encode(text, wordStarts: nil, training: true)
            let r = head.lossAndGradients(e, target: target, into: g)
            enc.backward(e, dVectors: r.dVectors, dDocument: r.dDocument, into: g)
            let W = enc.contextWeight!
            let h: Float = 1e-2
            for i in stride(from: 0, to: W.count, by: 7) {
                let old = W.value[i]
                W.value[i] = old + h; let a = loss()
                W.value[i] = old - h; let b = loss()
                W.value[i] = old
                XCTAssertEqual(Double(g.dense[ObjectIdentifier(W)]![i]), (a - b) / Double(2 * h), accuracy: 2e-3 + 0.03 * abs((a - b) / Double(2 * h)), "context.weight[\(i)]")
            }
            let rows = g.sparse[ObjectIdentifier(enc.embedding)]!
            XCTAssertFalse(rows.rows.isEmpty)
            for (k, row) in rows.rows.prefix(6).enumerated() {
                let i = Int(row) * enc.config.dim + k % enc.config.dim
                let old = enc.embedding.value[i]
                enc.embedding.value[i] = old + h; let a = loss()
                enc.embedding.value[i] = old - h; let b = loss()
                enc.embedding.value[i] = old
                let fdv = (a - b) / Double(2 * h)
                XCTAssertEqual(Double(rows.data[k * enc.config.dim + k % enc.config.dim]), fdv, accuracy: 2e-3 + 0.03 * abs(fdv), "embedding row \(row)")
            }
        }
    }
}
