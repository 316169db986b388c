import Foundation
import XCTest
import WenshuCore
@testable import WenshuModel

/// Safetensors F16: known binary16 bit patterns, rounding to nearest even, a round trip
/// beside F32 tensors in one file, and the refusal of other dtypes.
final class SafeTensorsF16Tests: XCTestCase {
    func testKnownBitPatterns() {
        // Expected bits as numpy's float16 gives them.
        let cases: [(Float, UInt16)] = [
            (0, 0x0000), (-0.0, 0x8000), (1, 0x3C00), (-2, 0xC000), (0.1, 0x2E66), (1.0 / 3, 0x3555),
            (65504, 0x7BFF), (65519, 0x7BFF), (65520, 0x7C00), (1e6, 0x7C00), (-.infinity, 0xFC00),
            (Float(pow(2.0, -14.0)), 0x0400), (Float(pow(2.0, -24.0)), 0x0001), (Float(pow(2.0, -25.0)), 0x0000),
            (Float(3 * pow(2.0, -26.0)), 0x0001), (Float(3 * pow(2.0, -25.0)), 0x0002),
            (1 + Float(pow(2.0, -11.0)), 0x3C00), (1 + Float(3 * pow(2.0, -11.0)), 0x3C02), (2.877192497, 0x41C1),
        ]
        for (f, bits) in cases {
            XCTAssertEqual(HalfFloat.bits(f), bits, "\(f)")
            if bits & 0x7C00 != 0x7C00 || bits & 0x3FF == 0 {
                XCTAssertEqual(HalfFloat.bits(HalfFloat.float(bits)), bits, "\(f) back")
            }
        }
        XCTAssertEqual(HalfFloat.float(0x3555), Float(0.333251953125))
        XCTAssertEqual(HalfFloat.float(0x0001), Float(pow(2.0, -24.0)))
        XCTAssertTrue(HalfFloat.float(HalfFloat.bits(.nan)).isNaN)
    }

    func testEveryHalfSurvivesTheRoundTrip() {
        for b in 0...UInt16.max where b & 0x7C00 != 0x7C00 || b & 0x3FF == 0 {
            XCTAssertEqual(HalfFloat.bits(HalfFloat.float(b)), b)
        }
    }

    #if !(os(macOS) && arch(x86_64))
    func testRoundingAgreesWithSwiftFloat16() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            let f = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng))
            if f.isNaN { continue }
            XCTAssertEqual(HalfFloat.bits(f), Float16(f).bitPattern, "\(f)")
        }
    }
    #endif

    func testF16AndF32TensorsRoundTripInOneFile() throws {
        let emb = SafeTensor(shape: [3, 4], data: (0..<12).map { Float($0) * 0.37 - 2 })
        let bias = SafeTensor(shape: [4], data: [0.1, -0.2, 1e-3, 70000])
        let data = try SafeTensors.encode(["emb": emb, "bias": bias], metadata: ["k": "v"], dtypes: ["emb": .f16])
        let (back, meta) = try SafeTensors.decode(data, path: "mem")
        XCTAssertEqual(meta, ["k": "v"])
        XCTAssertEqual(back["bias"], bias)                                   // F32 unchanged
        XCTAssertEqual(back["emb"]!.shape, [3, 4])
        XCTAssertEqual(back["emb"]!.data, emb.data.map { HalfFloat.float(HalfFloat.bits($0)) })
        for (a, b) in zip(back["emb"]!.data, emb.data) { XCTAssertEqual(a, b, accuracy: abs(b) / 1024 + 1e-7) }
        // Header says F16 with 2 bytes a value; the whole file is 8-aligned header + 24 + 16 bytes.
        let n = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = String(decoding: data[8..<(8 + n)], as: UTF8.self)
        XCTAssertTrue(header.contains("\"dtype\":\"F16\""), header)
        XCTAssertEqual(data.count, 8 + n + 12 * 2 + 4 * 4)
        // All F16, written to a file and read back.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-f16-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write(["emb": emb, "bias": bias], dtype: .f16, to: url)
        let file = try SafeTensors.read(from: url).tensors
        XCTAssertEqual(file["bias"]!.data[3], .infinity)                     // beyond 65504
        XCTAssertEqual(file["emb"], back["emb"])
    }

    func testOtherDtypesAndShortF16DataAreRefused() throws {
        var data = try SafeTensors.encode(["x": SafeTensor(shape: [2], data: [1, 2])], dtype: .f16)
        let n = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        var header = String(decoding: data[8..<(8 + n)], as: UTF8.self)
        header = header.replacingOccurrences(of: "F16", with: "I8 ")
        data.replaceSubrange(8..<(8 + n), with: Data(header.utf8))
        XCTAssertThrowsError(try SafeTensors.decode(data, path: "x.safetensors")) { e in
            XCTAssertEqual((e as! WenshuError).code, "bundle.bad_tensors")
            XCTAssertTrue((e as! WenshuError).message.contains("I8"))
        }
        // Declared [3] as F16 but only 4 bytes of data.
        var short = try SafeTensors.encode(["x": SafeTensor(shape: [2], data: [1, 2])], dtype: .f16)
        var h2 = String(decoding: short[8..<(8 + n)], as: UTF8.self)
        h2 = h2.replacingOccurrences(of: "[2]", with: "[3]")
        short.replaceSubrange(8..<(8 + n), with: Data(h2.utf8))
        XCTAssertThrowsError(try SafeTensors.decode(short, path: "x.safetensors")) { e in
            XCTAssertTrue((e as! WenshuError).message.contains("needs 6 bytes"), (e as! WenshuError).message)
        }
    }
}
