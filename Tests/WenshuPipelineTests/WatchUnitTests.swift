import Foundation
import XCTest
@testable import WenshuPipeline
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// The parts of the watch on their own: inotify events, settling, names, daily streams.
final class WatchUnitTests: XCTestCase {
    typealias S = WatchTestSupport

    private func drain(_ w: InotifyWatcher, until: ([InboxEvent]) -> Bool) throws -> [InboxEvent] {
        var all: [InboxEvent] = []
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline && !until(all) { all += try w.next(timeoutMs: 100) }
        return all
    }

    /// A plain write gives IN_CLOSE_WRITE, a rename in gives IN_MOVED_TO, a new folder is
    /// watched at once (a file written inside it is reported), and the names are decoded
    /// from after the fixed header, Chinese and spaces included.
    func testInotifyReportsClosesMovesAndNewFoldersRecursively() throws {
        let dir = try S.tempFolder("inotify")
        let w = try InotifyWatcher(root: dir)
        let text = Array(try S.excerpts()[0].utf8)
        S.write(text, to: dir + "/判决 一.txt")
        S.write(text, to: dir + "/b.tmp")
        XCTAssertEqual(rename(dir + "/b.tmp", dir + "/判决 二.txt"), 0)
        mkdir(dir + "/新 目录", 0o755)
        var events = try drain(w) { $0.contains(.folderAppeared(dir + "/新 目录")) }
        S.write(text, to: dir + "/新 目录/三.txt")
        events += try drain(w) { $0.contains(.closedAfterWrite(dir + "/新 目录/三.txt")) }
        XCTAssertTrue(events.contains(.closedAfterWrite(dir + "/判决 一.txt")), "\(events)")
        XCTAssertTrue(events.contains(.closedAfterWrite(dir + "/b.tmp")))
        XCTAssertTrue(events.contains(.movedIn(dir + "/判决 二.txt")))
        XCTAssertTrue(events.contains(.closedAfterWrite(dir + "/新 目录/三.txt")))
        XCTAssertTrue(w.watchedFolders.contains(dir + "/新 目录"))
    }

    /// More events than the kernel queue holds give IN_Q_OVERFLOW (the watch then rescans).
    func testQueueOverflowIsReported() throws {
        let limitText = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8)) ?? ""
        guard let limit = Int(limitText.trimmingCharacters(in: .whitespacesAndNewlines)), limit <= 20_000 else {
            throw XCTSkip("max_queued_events is \(limitText); overflowing it would take too long here")
        }
        let dir = try S.tempFolder("overflow")
        let w = try InotifyWatcher(root: dir)
        // Each file gives IN_CREATE and IN_CLOSE_WRITE: limit/2 + 100 files overflow the queue.
        for i in 0..<(limit / 2 + 100) {
            let fd = open(dir + "/f\(i)", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            close(fd)
        }
        let events = try w.next(timeoutMs: 1000)
        XCTAssertTrue(events.contains(.overflow), "no overflow among \(events.count) events")
        XCTAssertEqual(events.last, .overflow)
    }

    /// Excluded folders (done/, failed/) are never watched.
    func testInotifySkipsExcludedFolders() throws {
        let dir = try S.tempFolder("inotify-ex")
        mkdir(dir + "/done", 0o755)
        let w = try InotifyWatcher(root: dir, excluded: [dir + "/done"])
        XCTAssertEqual(w.watchedFolders, [dir])
        S.write(Array("x".utf8), to: dir + "/done/a.txt")
        S.write(Array("y".utf8), to: dir + "/b.txt")
        let events = try drain(w) { $0.contains(.closedAfterWrite(dir + "/b.txt")) }
        XCTAssertFalse(events.contains(.closedAfterWrite(dir + "/done/a.txt")))
    }

    /// A close-after-write and a moved-in event for the same name are one candidate; a file
    /// that keeps growing is not ready until it stops for the settle time.
    func testSettleTrackerMergesEventsAndWaitsForQuiet() throws {
        let dir = try S.tempFolder("settle")
        let p = dir + "/a.txt"
        S.write(Array("第一段".utf8), to: p)
        var t = SettleTracker(settleMs: 200)
        XCTAssertTrue(t.note(p, now: 0, closed: true))
        XCTAssertFalse(t.note(p, now: 0.01, closed: true), "the second event for the same name is merged")
        XCTAssertEqual(t.count, 1)
        XCTAssertTrue(t.ready(now: 0.1, limit: 10).isEmpty)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: p))
        h.seekToEndOfFile(); h.write(Data("第二段".utf8)); h.closeFile()
        XCTAssertTrue(t.ready(now: 0.25, limit: 10).isEmpty, "changed since noted: the wait starts again")
        let r = t.ready(now: 0.5, limit: 10)
        XCTAssertEqual(r.map(\.path), [p])
        XCTAssertEqual(r.first?.stamp.size, "第一段第二段".utf8.count)
        unlink(p)
        XCTAssertTrue(t.ready(now: 5, limit: 10).isEmpty)
        XCTAssertEqual(t.count, 0, "vanished files are dropped")
    }

    func testNameFilter() {
        let f = InboxNameFilter(extraSuffixes: [".uploading"])
        for n in ["a.part", "a.TMP", "~a.txt", ".a.txt", "a.txt~", "x.uploading", "a.crdownload"] {
            XCTAssertTrue(f.ignores(name: n), n)
        }
        for n in ["判决书.txt", "a.json", "a.part.txt", "a b.xml"] { XCTAssertFalse(f.ignores(name: n), n) }
        XCTAssertTrue(f.ignores(relativePath: ".staging/a.txt"))
        XCTAssertFalse(f.ignores(relativePath: "子目录/a.txt"))
    }

    /// Whole lines, a new part past the size limit, old parts pruned, a torn tail cut.
    func testDailyFileRotatesBySizeTrimsTornTailAndPrunes() throws {
        let dir = try S.tempFolder("daily")
        let line = Array((try S.excerpts()[1] + "\n").utf8)
        let f = DailyJSONLFile(folder: dir, prefix: "results", rotateBytes: line.count * 3, keepRotated: 1)
        let day = DailyJSONLFile.localDay(Date())
        var paths: [String] = []
        for _ in 0..<7 {
            let (p, off) = try f.prepare(date: Date(), incoming: line.count)
            XCTAssertEqual(off, DailyJSONLFile.fileSize(p))
            try f.append(line)
            paths.append(p)
        }
        XCTAssertEqual(paths[0], dir + "/results-\(day).jsonl")
        XCTAssertEqual(paths[3], dir + "/results-\(day).1.jsonl")
        XCTAssertEqual(paths[6], dir + "/results-\(day).2.jsonl")
        XCTAssertEqual(f.streamFiles(), [dir + "/results-\(day).1.jsonl", dir + "/results-\(day).2.jsonl"],
                       "keep_rotated 1: the current part and one older")
        // A torn tail (a crash mid-line) is cut back to the last newline on reopen.
        let last = paths[6]
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: last))
        h.seekToEndOfFile(); h.write(Data(line.prefix(10))); h.closeFile()
        XCTAssertEqual(try DailyJSONLFile.trimTornTail(last), 10)
        XCTAssertEqual(DailyJSONLFile.fileSize(last), line.count)
        XCTAssertEqual(try DailyJSONLFile.trimTornTail(last), 0)
    }

    /// The local day is the calendar day of local time (midnight rotation).
    func testLocalDayFollowsLocalMidnight() {
        var t = time_t(Date().timeIntervalSince1970)
        var tmv = tm()
        localtime_r(&t, &tmv)
        tmv.tm_hour = 23; tmv.tm_min = 59; tmv.tm_sec = 59
        let before = Date(timeIntervalSince1970: TimeInterval(mktime(&tmv)))
        let after = before.addingTimeInterval(2)
        XCTAssertNotEqual(DailyJSONLFile.localDay(before), DailyJSONLFile.localDay(after))
        XCTAssertEqual(DailyJSONLFile.localDay(before).count, 10)
    }
}
