import XCTest
import WenshuCore
import WenshuTensor
@testable import WenshuModel

/// spaCy's overfitting test, per head kind, on real examples from the fixtures: train until
/// the loss is near zero, score F1 = 1 on the same examples, save, reload, predict the same.
final class OverfitTests: XCTestCase {
    static let config = TrainingConfig(epochs: 40, learningRate: 0.05, seed: 3, patience: 0, batchSize: 4, threads: 2,
                                       trainEncoder: true, maxTrainLength: nil, stopLoss: 0.01, dropout: 0, lrDecay: 1)

    func overfit(kind: HeadKind, examples: [LabelledExample], metric: String, scheme: TagScheme = .bio, epochs: Int = 40,
                 emissionBuckets: Int? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        var config = OverfitTests.config
        config.tagScheme = scheme
        config.epochs = epochs
        config.emissionBuckets = emissionBuckets
        let bundle = ModelBundle.create(name: "overfit", encoder: .tiny)
        let report = try Trainer.train(bundle: bundle, head: "task", kind: kind, train: examples, dev: examples, config: config)
        XCTAssertLessThan(report.finalLoss, 0.05 * max(1, Double(examples.count)), "final loss \(report.finalLoss)", file: file, line: line)
        let predicted = try bundle.annotate(examples.map(\.text))
        let m = try HeadKinds.builtIn.definition(kind).devScore(head: "task", gold: examples, predicted: predicted)
        XCTAssertEqual(m[metric] ?? 0, 1, accuracy: 1e-9, "\(m)", file: file, line: line)
        XCTAssertEqual(report.metrics["task"]?[metric] ?? 0, 1, accuracy: 1e-9, file: file, line: line)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-overfit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try bundle.save(to: dir)
        let loaded = try ModelBundle.load(at: dir)
        XCTAssertEqual(loaded.fingerprint, bundle.fingerprint, file: file, line: line)
        XCTAssertEqual(loaded.info, bundle.info, file: file, line: line)
        XCTAssertEqual(try loaded.annotate(examples.map(\.text)), predicted, file: file, line: line)
        XCTAssertEqual(loaded.heads, bundle.heads, file: file, line: line)
        XCTAssertEqual(loaded.heads[0].settings.emissionBuckets, emissionBuckets, file: file, line: line)
    }

    func testMultiLabelClassifierOverfitsCharges() throws {
        try overfit(kind: .multiLabel, examples: FixtureData.charges(), metric: "micro_f1")
    }

    func testSingleLabelClassifierOverfitsCharges() throws {
        let ex = try FixtureData.charges().map { e -> LabelledExample in var x = e; x.labels = [e.labels[0]]; return x }
        try overfit(kind: .singleLabel, examples: ex, metric: "accuracy")
    }

    func testSpanTaggerOverfitsTheftArguments() throws {
        try overfit(kind: .spanTagger, examples: FixtureData.theft(), metric: "f1", scheme: .bioes)
    }

    func testSpanTaggerOverfitsNestedTheftSpansWithLayers() throws {
        let ex = try FixtureData.theft("theft-nested")
        let labels = Array(Set(ex.flatMap { $0.spans.map(\.label) })).sorted()
        let groups = TaggerCore.groups(ex.map { $0.spans.map { ($0.label, $0.start, $0.end) } }, labels: labels)
        XCTAssertGreaterThan(groups.count, 1, "nested labels need separate layers")
        XCTAssertEqual(groups.flatMap { $0 }.sorted(), labels)
        try overfit(kind: .spanTagger, examples: ex, metric: "f1")
    }

    func testSpanTaggerOverfitsDrugEntities() throws {
        try overfit(kind: .spanTagger, examples: FixtureData.drugs(), metric: "f1")
    }

    func testSpanTaggerOverfitsTheftArgumentsWithSparseEmissions() throws {
        try overfit(kind: .spanTagger, examples: FixtureData.theft(), metric: "f1", scheme: .bioes, emissionBuckets: 4096)
    }

    func testEventExtractorOverfitsDrugRelationsWithSparseEmissions() throws {
        try overfit(kind: .eventExtractor, examples: FixtureData.drugs(), metric: "event_f1", epochs: 100, emissionBuckets: 4096)
    }

    func testEventExtractorOverfitsTheftEvents() throws {
        let ex = try FixtureData.theft()
        XCTAssertEqual(EventHead.inferMode(ex), .single)
        try overfit(kind: .eventExtractor, examples: ex, metric: "event_f1")
    }

    func testEventExtractorOverfitsDrugRelations() throws {
        let ex = try FixtureData.drugs()
        XCTAssertEqual(EventHead.inferMode(ex), .relation)
        let roles = EventHead.pairRoles(ex)
        XCTAssertEqual(Set(roles["traffic_in"] ?? []), ["seller", "drug"], "pair roles found whatever the argument order")
        XCTAssertTrue(ex.contains { $0.events.contains { $0.arguments.count > 2 } }, "context arguments present")
        try overfit(kind: .eventExtractor, examples: ex, metric: "event_f1", epochs: 100)
    }

    func testEventExtractorOverfitsLevenTriggers() throws {
        let ex = try FixtureData.levenTriggers()
        XCTAssertEqual(EventHead.inferMode(ex), .trigger)
        try overfit(kind: .eventExtractor, examples: ex, metric: "event_f1")
    }
}
