import Foundation
import XCTest
import WenshuCore
@testable import WenshuPipeline

/// The journal on a real SQLite file, the part store, the shard hash and the batch engine.
final class JournalEngineTests: XCTestCase {
    func testJournalCommitLookupAndAssembly() throws {
        let dir = try scratch("journal")
        let path = dir.appendingPathComponent("j.sqlite").path
        let j = try Journal(path: path, fingerprint: "f1", modelVersion: "m1")
        let store = try PartStore(folder: path + ".parts")
        let run = try j.beginRun()
        let part = PartStore.name(runId: run, seq: 0)
        try store.write(part: part, results: [Array("{\"a\":1}".utf8), Array("{\"a\":2}".utf8)], errors: [Array("{\"e\":1}".utf8)])
        try j.commit(part: part, runId: run, seq: 0, results: 2, errors: 1, marks: [
            .init(key: "k1", id: "1", path: "p", status: .done, attempts: 1, partLine: 0),
            .init(key: "k2", id: "2", path: "p", status: .done, attempts: 1, partLine: 1),
            .init(key: "k3", id: "3", path: "p", status: .failed, attempts: 1, partLine: 0, code: "x.y"),
        ], seen: [])
        XCTAssertEqual(try j.entry(key: "k2")?.status, .done)
        XCTAssertEqual(try j.entry(key: "k3")?.status, .failed)
        XCTAssertNil(try j.entry(key: "k4"))
        // An uncommitted part (a crash before the transaction) is discarded.
        try store.write(part: "r99999999-b00000000", results: [Array("{\"ghost\":1}".utf8)], errors: [])
        XCTAssertEqual(store.discardUncommitted(committed: try j.committedParts()), 1)
        let out = dir.appendingPathComponent("results.jsonl").path
        let n = try store.assemble(into: out, errorsSide: false) { emit in try j.forEachSeen(runId: run, status: .done, emit) }
        XCTAssertEqual(n, 2)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "{\"a\":1}\n{\"a\":2}\n")
        // Another model version sees nothing done.
        let j2 = try Journal(path: path, fingerprint: "f1", modelVersion: "m2")
        XCTAssertNil(try j2.entry(key: "k1"))
        // A reprocessed document moves to its new part; the old part is pruned when unreferenced.
        let run2 = try j.beginRun()
        let part2 = PartStore.name(runId: run2, seq: 0)
        try store.write(part: part2, results: [Array("{\"a\":1}".utf8), Array("{\"a\":2}".utf8), Array("{\"a\":3}".utf8)], errors: [])
        try j.commit(part: part2, runId: run2, seq: 0, results: 3, errors: 0, marks: [
            .init(key: "k1", id: "1", path: "p", status: .done, attempts: 1, partLine: 0),
            .init(key: "k2", id: "2", path: "p", status: .done, attempts: 1, partLine: 1),
            .init(key: "k3", id: "3", path: "p", status: .done, attempts: 2, partLine: 2),
        ], seen: [])
        XCTAssertEqual(try j.dropUnreferencedParts(), [part])
    }

    func testShardHashIsStableAndSplitsEvenly() throws {
        XCTAssertEqual(Shard.fnv1a64(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(Shard.fnv1a64("a"), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(Shard.fnv1a64("foobar"), 0x8594_4171_f739_67e8)
        let shards = try (0..<4).map { try Shard(index: $0, count: 4) }
        var counts = [0, 0, 0, 0]
        for i in 0..<4000 {
            let owners = shards.filter { $0.contains("doc-\(i)") }
            XCTAssertEqual(owners.count, 1)
            counts[owners[0].index] += 1
        }
        XCTAssertTrue(counts.allSatisfy { $0 > 850 && $0 < 1150 }, "\(counts)")
        XCTAssertEqual(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"]),
                       try Shard(index: 2, count: 4))
        XCTAssertEqual(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "0", "JOB_COMPLETIONS": "2"]), try Shard(index: 0, count: 2))
        XCTAssertNil(try Shard.fromEnvironment([:]))
        XCTAssertThrowsError(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "0"]))
        XCTAssertThrowsError(try Shard(parsing: "2/2"))
    }

    /// Batches come out in order, every input once, and no more than `capacity` batches
    /// are ever alive at once even when workers finish out of order.
    func testEngineKeepsOrderAndBoundsBatchesInFlight() throws {
        let engine = BatchEngine<Int, Int>(workers: 3, capacity: 4)
        let lock = NSLock()
        var alive = 0, maxAlive = 0
        var seen = [Int]()
        try engine.run(produce: { submit in
            for b in 0..<50 {
                lock.lock(); alive += 1; maxAlive = max(maxAlive, alive); lock.unlock()
                try submit(Array((b * 10)..<(b * 10 + 10)))
            }
        }, work: { batch in
            if batch[0] % 30 == 0 { usleep(3000) }
            return batch.map { $0 * 2 }
        }, consume: { out in
            seen += out
            lock.lock(); alive -= 1; lock.unlock()
        })
        XCTAssertEqual(seen, (0..<500).map { $0 * 2 })
        XCTAssertLessThanOrEqual(maxAlive, 4 + 1)
    }

    func testEngineStopsWhenTheConsumerFails() {
        struct Boom: Error {}
        let engine = BatchEngine<Int, Int>(workers: 2, capacity: 3)
        var produced = 0
        XCTAssertThrowsError(try engine.run(produce: { submit in
            for b in 0..<10_000 { produced = b; try submit([b]) }
        }, work: { $0 }, consume: { out in if out[0] == 5 { throw Boom() } })) { XCTAssertTrue($0 is Boom) }
        XCTAssertLessThan(produced, 100, "the producer stops soon after the failure")
    }
}
