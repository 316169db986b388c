import Foundation
import XCTest
import WenshuCore
@testable import WenshuEval

/// The report in a real browser (issue 13, item 12): `scripts/render-report.sh` renders a
/// report of the theft fixture in headless Chromium and finds no overflowing label; the
/// same page with its labels pushed left of the chart is caught. Skipped, saying so, when
/// Debian's `chromium` is not installed (`apt-get install chromium fonts-noto-cjk`).
final class HTMLReportBrowserTests: XCTestCase {
    private func run(_ html: String, in dir: URL) throws -> (status: Int32, output: String) {
        let page = dir.appendingPathComponent("report.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [FixtureSupport.repoRoot.appendingPathComponent("scripts/render-report.sh").path,
                       page.path, dir.appendingPathComponent("shot.png").path, "900", "900"]
        let pipe = Pipe()
        p.standardOutput = pipe; p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testLabelsFitInChromium() throws {
        let browsers = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        guard browsers.contains(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("SKIPPED browser check: chromium is not installed (apt-get install chromium fonts-noto-cjk)")
        }
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("wenshu-render-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let report = try HTMLReportContentTests.theftReport()
        let html = HTMLReport.render(report)
        let good = try run(html, in: dir)
        XCTAssertEqual(good.status, 0, good.output)
        XCTAssertTrue(good.output.contains("OVERFLOW 0"), good.output)
        XCTAssertTrue(good.output.contains("FONTS \"Noto Sans CJK SC\""), good.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("shot.png").path))

        // The old fault: labels right-aligned at a fixed x that is too small for them.
        let re = try NSRegularExpression(pattern: "<text class=\"label\" x=\"[0-9]+\"")
        let bad = re.stringByReplacingMatches(in: html, range: NSRange(location: 0, length: (html as NSString).length),
                                              withTemplate: "<text class=\"label\" x=\"10\"")
        let caught = try run(bad, in: dir)
        XCTAssertEqual(caught.status, 1, caught.output)
        XCTAssertTrue(caught.output.contains("chart chart-arguments"), caught.output)
    }
}
