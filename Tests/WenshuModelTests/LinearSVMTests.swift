import XCTest
import WenshuCore
import WenshuTensor
@testable import WenshuModel

/// The one-vs-rest SVM path of classifiers: the dual solver reaches the primal optimum, idf
/// and 1-3-gram features, and a head fitted on a frozen encoder that saves and reloads.
final class LinearSVMTests: XCTestCase {
    var dirs: [URL] = []
    override func tearDown() { for d in dirs { try? FileManager.default.removeItem(at: d) } }

    /// The primal gradient of 1/2|w|^2 + sum_i C_i max(0, 1 - y_i (w.x_i + b))^2 (bias
    /// regularised) vanishes at the dual solution.
    func testDualSolutionIsPrimalOptimal() {
        var rng = SeededRandom(seed: 11)
        let n = 60, S = 20, D = 3
        var svm = LinearSVM(rowStart: [0], cols: [], vals: [], sparseWidth: S, dense: [], denseWidth: D)
        var labels: [Bool] = []
        for i in 0..<n {
            var cols = Set<Int32>()
            for _ in 0..<4 { cols.insert(Int32(rng.uniform(0, Float(S) - 0.001))) }
            for c in cols.sorted() { svm.cols.append(c); svm.vals.append(rng.uniform(0, 1)) }
            svm.rowStart.append(svm.cols.count)
            svm.dense += (0..<D).map { _ in rng.uniform(-1, 1) }
            labels.append(cols.contains(3) || (i % 7 == 0))
        }
        for balanced in [false, true] {
            let C = 0.7
            let w = svm.fit(positive: { labels[$0] }, C: C, balanced: balanced, epsilon: 1e-5, maxIterations: 5000, seed: 1)
            let nPos = Double(labels.filter { $0 }.count)
            var gs = w.sparse.map(Double.init), gd = w.dense.map(Double.init), gb = Double(w.bias)
            for i in 0..<n {
                let y: Double = labels[i] ? 1 : -1
                var m = Double(w.bias)
                for k in svm.rowStart[i]..<svm.rowStart[i + 1] { m += Double(w.sparse[Int(svm.cols[k])] * svm.vals[k]) }
                for d in 0..<D { m += Double(w.dense[d] * svm.dense[i * D + d]) }
                let Ci = balanced ? C * Double(n) / (2 * (y > 0 ? nPos : Double(n) - nPos)) : C
                let slack = 1 - y * m
                if slack > 0 {
                    let f = -2 * Ci * slack * y
                    for k in svm.rowStart[i]..<svm.rowStart[i + 1] { gs[Int(svm.cols[k])] += f * Double(svm.vals[k]) }
                    for d in 0..<D { gd[d] += f * Double(svm.dense[i * D + d]) }
                    gb += f
                }
            }
            for g in gs + gd + [gb] { XCTAssertEqual(g, 0, accuracy: 2e-3, "balanced \(balanced)") }
            XCTAssertTrue(w.sparse[3] > 0, "the feature that marks positives gets a positive weight")
        }
    }

    func testTrigramsAndIdfInFeatures() {
        let text = Array("盗窃盗窃罪".unicodeScalars)
        let two = ClassifierHead.sparseFeatures(text, buckets: 1 << 16, ngramMax: 2)
        let three = ClassifierHead.sparseFeatures(text, buckets: 1 << 16, ngramMax: 3)
        // 1-grams 盗 窃 罪, 2-grams 盗窃 窃盗 窃罪, 3-grams 盗窃盗 窃盗窃 盗窃罪.
        XCTAssertEqual(two.count, 6)
        XCTAssertEqual(three.count, 9)
        // A zero idf drops the row; others are scaled before the norm.
        var idf = [Float](repeating: 1, count: 1 << 16)
        idf[Int(three[0].row)] = 0
        idf[Int(three[1].row)] = 3
        let weighted = ClassifierHead.sparseFeatures(text, buckets: 1 << 16, ngramMax: 3, idf: idf)
        XCTAssertEqual(weighted.count, 8)
        XCTAssertFalse(weighted.contains { $0.row == three[0].row })
        XCTAssertEqual(weighted.reduce(0) { $0 + $1.value * $1.value }, 1, accuracy: 1e-5)
        let big = weighted.first { $0.row == three[1].row }!.value
        XCTAssertTrue(weighted.allSatisfy { $0.value <= big })
    }

    func testFittedOnFrozenEncoderSavesAndReloads() throws {
        // Three charges told apart by their words; multi-label with one text carrying two.
        let words = ["盗窃财物", "贩卖毒品", "故意伤害他人"], names = ["盗窃", "毒品", "伤害"]
        var ex: [LabelledExample] = []
        for i in 0..<30 {
            let two = i % 10 == 0
            var text = "经审理查明，被告人某某" + words[i % 3]
            if two { text += "，并" + words[(i + 1) % 3] }
            text += "，价值\(i)元。"
            var labels = [names[i % 3]]
            if two { labels.append(names[(i + 1) % 3]) }
            ex.append(LabelledExample(id: "e\(i)", text: text, labels: labels))
        }
        let b = ModelBundle.create(name: "s", encoder: .tiny)
        let fp = b.fingerprint
        var cfg = TrainingConfig(epochs: 5, seed: 3, threads: 2, trainEncoder: false, sparseBuckets: 4096)
        cfg.linearSVM = true; cfg.ngramMax = 3; cfg.balancedClasses = true
        let r = try Trainer.train(bundle: b, head: "c", kind: .multiLabel, train: ex, dev: ex, config: cfg)
        XCTAssertEqual(r.epochs, 1, "fitted once, no gradient epochs")
        XCTAssertEqual(r.metrics["c"]?["score"], 1)
        XCTAssertEqual(b.fingerprint, fp)
        let s = b.heads[0].settings
        XCTAssertEqual(s.ngramMax, 3)
        XCTAssertEqual(s.sparseIdf, true)
        XCTAssertTrue(s.solver?.hasPrefix("svm-dual-cd") ?? false)
        let head = try XCTUnwrap(b.head(named: "c") as? ClassifierHead)
        XCTAssertTrue(head.idf!.value.contains { $0 == 0 } && head.idf!.value.contains { $0 > 1 })
        let before = try b.annotate(ex.map(\.text))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-svm-\(UUID().uuidString)")
        dirs.append(dir)
        try b.save(to: dir)
        let l = try ModelBundle.load(at: dir)
        XCTAssertEqual(l.manifest, b.manifest)
        let after = try l.annotate(ex.map(\.text))
        XCTAssertEqual(after.map { $0.classifications.map(\.labels) }, before.map { $0.classifications.map(\.labels) })
        XCTAssertEqual(after.map { Set($0.classifications[0].labels.map(\.label)) }, ex.map { Set($0.labels) })
    }

    /// A single-label SVM head over many labels gets its logit scale fitted on dev: the scores
    /// become calibrated (the dev log-likelihood is at least as good as at scale 1, and the top
    /// score is no longer near 1 / labels), the ranking and so the predicted label unchanged.
    func testSingleLabelScoresAreCalibratedOnDev() throws {
        let words = ["盗窃财物", "贩卖毒品", "故意伤害他人", "驾驶机动车", "开设赌场", "非法拘禁他人"]
        var ex: [LabelledExample] = []
        for i in 0..<60 {
            ex.append(LabelledExample(id: "e\(i)", text: "经审理查明，被告人某某\(words[i % 6])，时间\(i)日。", labels: ["L\(i % 6)"]))
        }
        let b = ModelBundle.create(name: "c", encoder: .tiny)
        var cfg = TrainingConfig(epochs: 5, seed: 3, threads: 2, trainEncoder: false, sparseBuckets: 4096)
        cfg.linearSVM = true; cfg.ngramMax = 2
        let r = try Trainer.train(bundle: b, head: "c", kind: .singleLabel, train: ex, dev: ex, config: cfg)
        let head = try XCTUnwrap(b.head(named: "c") as? ClassifierHead)
        let scale = try XCTUnwrap(head.description.settings.logitScale)
        XCTAssertEqual(r.metrics["c"]?["logit_scale"], scale)
        XCTAssertGreaterThan(scale, 1, "SVM margins are small: the fitted scale sharpens them")
        func nll(_ s: Double?) -> Double {
            head.description.settings.logitScale = s
            defer { head.description.settings.logitScale = scale }
            return ex.map { e -> Double in
                let t = Array(e.text.unicodeScalars)
                let p = head.probabilities(b.encoder.encode(AnalyzedText(scalars: t)), text: t)
                return -log(Double(p[head.description.labels.firstIndex(of: e.labels[0])!]))
            }.reduce(0, +)
        }
        XCTAssertLessThan(nll(scale), nll(nil))
        let calibrated = try b.annotate(ex.map(\.text))
        head.description.settings.logitScale = nil
        let raw = try b.annotate(ex.map(\.text))
        head.description.settings.logitScale = scale
        XCTAssertEqual(calibrated.map { $0.classifications[0].labels[0].label }, raw.map { $0.classifications[0].labels[0].label })
        XCTAssertGreaterThan(calibrated[0].classifications[0].labels[0].score, raw[0].classifications[0].labels[0].score)
        // Multi-label heads are left alone.
        _ = try Trainer.train(bundle: b, head: "m", kind: .multiLabel, train: ex, dev: ex, config: cfg)
        XCTAssertNil(b.heads.first { $0.name == "m" }?.settings.logitScale)
    }
}
