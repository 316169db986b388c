import Foundation
import WenshuCore

/// One tensor of a safetensors file, held as Float whatever its stored dtype (F32 or F16).
public struct SafeTensor: Sendable, Equatable {
    /// Shape, outermost first.
    public var shape: [Int]
    /// Values, row-major.
    public var data: [Float]
    /// A tensor (data count must equal the shape's product).
    public init(shape: [Int], data: [Float]) { self.shape = shape; self.data = data }
}

/// How a tensor's values are stored in a safetensors file.
public enum SafeTensorDType: String, Sendable, CaseIterable {
    /// IEEE 754 binary32, little-endian (4 bytes a value).
    case f32 = "F32"
    /// IEEE 754 binary16, little-endian (2 bytes a value); written by rounding to nearest even,
    /// read back exactly. Values beyond ±65504 become ±infinity.
    case f16 = "F16"

    /// Bytes per stored value.
    public var size: Int { self == .f32 ? 4 : 2 }
}

/// Reads and writes the safetensors format: an 8-byte little-endian header length, a
/// JSON header `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}`
/// (plus optional `__metadata__` of strings), then the raw little-endian data.
/// F32 and F16 tensors are read (F16 widened to Float); tensors are written as F32 unless
/// the caller asks for F16.
public enum SafeTensors {
    /// Serialises tensors (sorted by name) with optional string metadata; every tensor is stored
    /// as `dtype` unless `dtypes` names another for it (e.g. only an embedding table as F16).
    public static func encode(_ tensors: [String: SafeTensor], metadata: [String: String] = [:],
                              dtype: SafeTensorDType = .f32, dtypes: [String: SafeTensorDType] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for n in names {
            let t = tensors[n]!
            let type = dtypes[n] ?? dtype
            let bytes = t.data.count * type.size
            header[n] = ["dtype": type.rawValue, "shape": t.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        var len = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &len) { out.append(contentsOf: $0) }
        out.append(json)
        for n in names {
            let t = tensors[n]!
            switch dtypes[n] ?? dtype {
            case .f32: t.data.withUnsafeBytes { out.append(contentsOf: $0) }
            case .f16:
                var half = [UInt16](repeating: 0, count: t.data.count)
                for i in 0..<t.data.count { half[i] = HalfFloat.bits(t.data[i]).littleEndian }
                half.withUnsafeBytes { out.append(contentsOf: $0) }
            }
        }
        return out
    }

    /// Writes tensors to a file atomically (dtypes as in `encode`).
    public static func write(_ tensors: [String: SafeTensor], metadata: [String: String] = [:],
                             dtype: SafeTensorDType = .f32, dtypes: [String: SafeTensorDType] = [:], to url: URL) throws {
        do { try encode(tensors, metadata: metadata, dtype: dtype, dtypes: dtypes).write(to: url, options: .atomic) }
        catch let e as WenshuError { throw e }
        catch { throw WenshuError(.bundle.writeFailed, "cannot write tensors: \(error.localizedDescription)", stage: .model, path: url.path) }
    }

    /// Parses a safetensors buffer; every header entry is checked (dtype, offsets, sizes).
    public static func decode(_ data: Data, path: String) throws -> (tensors: [String: SafeTensor], metadata: [String: String]) {
        func bad(_ m: String) -> WenshuError { WenshuError(.bundle.badTensors, m, stage: .model, path: path) }
        guard data.count >= 8 else { throw bad("file too short for a safetensors header (\(data.count) bytes)") }
        let bytes = [UInt8](data)
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else { throw bad("header length \(n) runs past the end of the file (\(bytes.count) bytes)") }
        let headerData = Data(bytes[8..<(8 + Int(n))])
        guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw bad("header is not a JSON object")
        }
        let base = 8 + Int(n)
        let payload = bytes.count - base
        var tensors: [String: SafeTensor] = [:]
        var metadata: [String: String] = [:]
        for (name, v) in header {
            if name == "__metadata__" { metadata = (v as? [String: String]) ?? [:]; continue }
            guard let e = v as? [String: Any], let dtype = e["dtype"] as? String,
                  let shape = e["shape"] as? [Int], let off = e["data_offsets"] as? [Int], off.count == 2 else {
                throw bad("tensor '\(name)': malformed header entry")
            }
            guard let type = SafeTensorDType(rawValue: dtype) else {
                throw bad("tensor '\(name)': dtype \(dtype) is not supported (F32 or F16)")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw bad("tensor '\(name)': negative dimension in \(shape)") }
            let count = shape.reduce(1, *)
            guard off[0] >= 0, off[1] >= off[0], off[1] <= payload else {
                throw bad("tensor '\(name)': data_offsets \(off) outside the data (\(payload) bytes)")
            }
            guard off[1] - off[0] == count * type.size else {
                throw bad("tensor '\(name)': shape \(shape) needs \(count * type.size) bytes, data_offsets give \(off[1] - off[0])")
            }
            var values = [Float](repeating: 0, count: count)
            switch type {
            case .f32:
                values.withUnsafeMutableBytes { dst in
                    bytes.withUnsafeBytes { src in
                        dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(base + off[0])..<(base + off[1])]))
                    }
                }
            case .f16:
                let start = base + off[0]
                for i in 0..<count {
                    values[i] = HalfFloat.float(UInt16(bytes[start + 2 * i]) | UInt16(bytes[start + 2 * i + 1]) << 8)
                }
            }
            tensors[name] = SafeTensor(shape: shape, data: values)
        }
        return (tensors, metadata)
    }

    /// Reads a safetensors file.
    public static func read(from url: URL) throws -> (tensors: [String: SafeTensor], metadata: [String: String]) {
        let data: Data
        do { data = try Data(contentsOf: url) }
        catch { throw WenshuError(.bundle.missingFile, "cannot read tensors: \(error.localizedDescription)", stage: .model, path: url.path) }
        return try decode(data, path: url.path)
    }
}

extension Dictionary where Key == String, Value == SafeTensor {
    /// The tensor `name` as a parameter, refusing a missing tensor or a shape other than `shape`.
    func parameter(_ name: String, shape: [Int], path: String, sparse: Bool = false) throws -> Parameter {
        guard let t = self[name] else {
            throw WenshuError(.bundle.missingTensor, "tensor '\(name)' is missing (expected shape \(shape))", stage: .model, path: path)
        }
        guard t.shape == shape else {
            throw WenshuError(.bundle.shapeMismatch, "tensor '\(name)' has shape \(t.shape) but the configuration requires \(shape)",
                              stage: .model, path: path)
        }
        return Parameter(name: name, shape: shape, value: t.data, sparse: sparse)
    }
}

extension Array where Element == Parameter {
    /// The parameters as safetensors entries.
    var tensors: [String: SafeTensor] {
        var d: [String: SafeTensor] = [:]
        for p in self { d[p.name] = SafeTensor(shape: p.shape, data: p.value) }
        return d
    }
}
