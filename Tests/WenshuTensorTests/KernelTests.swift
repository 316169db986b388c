import XCTest
@testable import WenshuTensor

/// Fast kernels against their naive reference versions on seeded random inputs.
final class KernelTests: XCTestCase {
    func randomMatrix(_ r: Int, _ c: Int, _ rng: inout SeededRandom) -> Matrix { Matrix(rows: r, cols: c, uniform: 1, rng: &rng) }

    func assertClose(_ a: [Float], _ b: [Float], tol: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for i in 0..<min(a.count, b.count) {
            XCTAssertEqual(a[i], b[i], accuracy: tol * max(1, abs(b[i])), "index \(i)", file: file, line: line)
        }
    }

    func testMatmulAllTransposesMatchNaive() {
        BLAS.setThreads(1)
        XCTAssertEqual(BLAS.threads, 1)
        var rng = SeededRandom(seed: 7)
        for (m, n, k) in [(1, 1, 1), (3, 5, 7), (17, 9, 33), (64, 48, 130)] {
            for tA in [false, true] {
                for tB in [false, true] {
                    let a = tA ? randomMatrix(k, m, &rng) : randomMatrix(m, k, &rng)
                    let b = tB ? randomMatrix(n, k, &rng) : randomMatrix(k, n, &rng)
                    let fast = matmul(a, b, transA: tA, transB: tB)
                    let slow = matmulNaive(a, b, transA: tA, transB: tB)
                    XCTAssertEqual(fast.rows, m); XCTAssertEqual(fast.cols, n)
                    assertClose(fast.data, slow.data)
                }
            }
        }
    }

    func testMatmulAccumulatesWithBeta() {
        var rng = SeededRandom(seed: 3)
        let a = randomMatrix(4, 6, &rng), b = randomMatrix(6, 5, &rng)
        var c1 = randomMatrix(4, 5, &rng).data
        var c2 = c1
        a.data.withUnsafeBufferPointer { pa in b.data.withUnsafeBufferPointer { pb in
            c1.withUnsafeMutableBufferPointer { matmul(pa.baseAddress!, pb.baseAddress!, $0.baseAddress!, m: 4, n: 5, k: 6, alpha: 0.5, beta: 1) }
            c2.withUnsafeMutableBufferPointer { matmulNaive(pa.baseAddress!, pb.baseAddress!, $0.baseAddress!, m: 4, n: 5, k: 6, alpha: 0.5, beta: 1) }
        } }
        assertClose(c1, c2)
    }

    func testAxpyAndDotMatchNaive() {
        var rng = SeededRandom(seed: 11)
        let x = (0..<37).map { _ in rng.uniform(-2, 2) }
        var y1 = (0..<37).map { _ in rng.uniform(-2, 2) }
        var y2 = y1
        x.withUnsafeBufferPointer { px in
            y1.withUnsafeMutableBufferPointer { axpy(0.3, px.baseAddress!, $0.baseAddress!, n: 37) }
            y2.withUnsafeMutableBufferPointer { axpyNaive(0.3, px.baseAddress!, $0.baseAddress!, n: 37) }
        }
        assertClose(y1, y2)
        let d1 = x.withUnsafeBufferPointer { px in y1.withUnsafeBufferPointer { dot(px.baseAddress!, $0.baseAddress!, n: 37) } }
        let d2 = x.withUnsafeBufferPointer { px in y1.withUnsafeBufferPointer { dotNaive(px.baseAddress!, $0.baseAddress!, n: 37) } }
        XCTAssertEqual(d1, d2, accuracy: 1e-3)
    }

    func testSoftmaxAndLogSumExpMatchNaive() {
        var rng = SeededRandom(seed: 5)
        let x = (0..<12).map { _ in rng.uniform(-5, 5) }
        assertClose(softmax(x), softmaxNaive(x))
        XCTAssertEqual(softmax(x).reduce(0, +), 1, accuracy: 1e-5)
        let lse = x.withUnsafeBufferPointer { logSumExp($0.baseAddress!, n: x.count) }
        XCTAssertEqual(lse, logSumExpNaive(x), accuracy: 1e-4)
        XCTAssertEqual(logSumExp(x.map(Double.init)), Double(lse), accuracy: 1e-4)
        // Stable where the naive form overflows.
        let big: [Float] = [1000, 1000]
        XCTAssertEqual(big.withUnsafeBufferPointer { logSumExp($0.baseAddress!, n: 2) }, 1000 + logf(2), accuracy: 1e-3)
        XCTAssertFalse(softmax(big).contains { $0.isNaN })
    }

    func testSigmoidAndTanhBackward() {
        for v: Float in [-50, -3, -0.5, 0, 0.5, 3, 50] {
            XCTAssertEqual(sigmoid(v), 1 / (1 + expf(-v)), accuracy: 1e-6)
        }
        var y: [Float] = [0.2, -0.7]
        let pre = y
        y.withUnsafeMutableBufferPointer { tanhInPlace($0.baseAddress!, n: 2) }
        var dy: [Float] = [1, 1]
        y.withUnsafeBufferPointer { py in dy.withUnsafeMutableBufferPointer { tanhBackward(py.baseAddress!, $0.baseAddress!, n: 2) } }
        for i in 0..<2 {
            let h: Float = 1e-3
            let fd = (tanhf(pre[i] + h) - tanhf(pre[i] - h)) / (2 * h)
            XCTAssertEqual(dy[i], fd, accuracy: 1e-3)
        }
    }

    func testSeededRandomIsReproducible() {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42)
        XCTAssertEqual((0..<10).map { _ in a.next() }, (0..<10).map { _ in b.next() })
        var c = SeededRandom(seed: 1)
        XCTAssertEqual(c.shuffled(Array(0..<20)).sorted(), Array(0..<20))
    }

    /// The vectorisable tanh stays within 4e-7 (a few ulps near ±1) of the C library's on a dense grid and at the edges.
    func testFastTanhMatchesTanhf() {
        var xs: [Float] = stride(from: Float(-12), through: 12, by: 0.000_37).map { $0 }
        xs += [0, -0, 1e-8, -1e-8, 1e-4, 7.9, 7.91, 20, -20, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        var ys = xs
        ys.withUnsafeMutableBufferPointer { tanhInPlace($0.baseAddress!, n: $0.count) }
        var worst: Float = 0
        for (x, y) in zip(xs, ys) { worst = max(worst, abs(y - tanhf(x))) }
        XCTAssertLessThan(worst, 4e-7)
        XCTAssertEqual(fastTanh(0), 0)
        XCTAssertEqual(fastTanh(-3), -fastTanh(3))
    }
}
