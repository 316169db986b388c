import Foundation
import XCTest
@testable import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// `Posix.retrying`, `ErrnoError` and `FileLock`.
final class PosixTests: XCTestCase {
    private func tempFolder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-posix-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// flock locks belong to an open file description: a second lock from this very process fails.
    func testASecondLockOnTheSameFileFailsClearly() throws {
        let path = try tempFolder() + "/watch.lock"
        let first = try FileLock(path: path)
        XCTAssertTrue(first.isLocked)
        XCTAssertThrowsError(try FileLock(path: path)) { e in
            guard let e = e as? ErrnoError else { return XCTFail("not an ErrnoError: \(e)") }
            XCTAssertTrue(e.wouldBlock, "\(e)")
            XCTAssertEqual(e.operation, "flock")
            XCTAssertEqual(e.path, path)
            XCTAssertTrue(e.description.contains(path), e.description)
        }
        first.unlock()
        XCTAssertFalse(first.isLocked)
        let again = try FileLock(path: path) // released: free to take
        XCTAssertTrue(again.isLocked)
    }

    func testALockIsReleasedWhenItsObjectGoes() throws {
        let folder = try tempFolder()
        do { _ = try FileLock(path: folder, folder: true) }
        XCTAssertNoThrow(try FileLock(path: folder, folder: true))
    }

    func testAFolderLockOnAMissingFolderNamesTheFolder() throws {
        let missing = try tempFolder() + "/nowhere"
        XCTAssertThrowsError(try FileLock(path: missing, folder: true)) { e in
            let e = e as? ErrnoError
            XCTAssertEqual(e?.code, ENOENT)
            XCTAssertEqual(e?.operation, "open")
            XCTAssertFalse(e?.wouldBlock ?? true)
        }
    }

    func testAnErrnoErrorNamesThePathAndTheReason() throws {
        let missing = try tempFolder() + "/没有 file.txt"
        XCTAssertThrowsError(try Posix.retrying("open", path: missing) { open(missing, O_RDONLY) }) { e in
            guard let e = e as? ErrnoError else { return XCTFail("not an ErrnoError: \(e)") }
            XCTAssertEqual(e.code, ENOENT)
            XCTAssertEqual(e.reason, String(cString: strerror(ENOENT)))
            XCTAssertEqual(e.description, "open \(missing): \(e.reason)")
            let w = WenshuError(.read.open, "cannot open", stage: .read, errno: e)
            XCTAssertEqual(w.path, missing)
            XCTAssertEqual(w.message, "cannot open: \(e.reason)")
            XCTAssertTrue(w.description.contains(missing) && w.description.contains(e.reason), w.description)
        }
    }

    /// A call interrupted by a signal is made again; the first other result comes back.
    func testRetryingRepeatsOnlyOnEINTR() throws {
        var calls = 0
        let r = try Posix.retrying("fake") { () -> Int32 in
            calls += 1
            if calls < 3 { errno = EINTR; return -1 }
            return 7
        }
        XCTAssertEqual(r, 7)
        XCTAssertEqual(calls, 3)
        calls = 0
        XCTAssertThrowsError(try Posix.retrying("fake") { () -> Int32 in calls += 1; errno = EIO; return -1 }) {
            XCTAssertEqual(($0 as? ErrnoError)?.code, EIO)
        }
        XCTAssertEqual(calls, 1)
    }

    func testLineReaderReportsAMissingFileWithItsReason() throws {
        let missing = try tempFolder() + "/gone.jsonl"
        XCTAssertThrowsError(try LineReader(path: missing)) { e in
            let w = e as? WenshuError
            XCTAssertEqual(w?.code, "read.open")
            XCTAssertEqual(w?.path, missing)
            XCTAssertEqual(w?.message, "cannot open: \(String(cString: strerror(ENOENT)))")
        }
    }
}
