import Foundation
import WenshuCore

/// JSON (one record or an array of records) and JSONL (one record per line).
///
/// Each record becomes one document through `IngestOptions.json`: the first present text
/// field (`text`, `fact`, `context`, `sentText`, `qw`, `content`, `body` by default; an array
/// of strings is joined with newlines), the first present id field, a title field and copied
/// metadata fields. A record without an id of its own gets `contentID(text:)`: the same in
/// `run`, `ingest`, `filter` and `watch`, whichever file, line, partition or shard it arrives in. Records of the national judgments website (a `source` string holding
/// `Html` or `s1`...`s51`) are handed to `WebRecordIngester`.
///
/// JSONL is streamed line by line (`stream`), so a file of any size is read in bounded memory;
/// a bad line is an error for that line only (`json.malformed`, `json.no_text_field`,
/// `encoding.invalid`), with its line number. Files in GB18030 or Big5 are decoded line by line
/// with the charset detected from the head of the file.
public struct JSONRecordIngester: Ingester {
    public let format: DocumentFormat

    /// `lines`: read as JSONL (one record per line) instead of one JSON value.
    public init(lines: Bool = false) { format = lines ? .jsonl : .json }

    public func ingest(_ input: IngestInput, options: IngestOptions,
                       emit: (Result<Document, WenshuError>) throws -> Void) rethrows {
        let path = input.path
        let decoded = input.bytes.withUnsafeBufferPointer { EncodingDetector.decode($0, path: path, forced: options.encoding) }
        let d: DecodedText
        switch decoded {
        case .failure(let e): try emit(.failure(e)); return
        case .success(let v): d = v
        }
        if format == .jsonl {
            var lineNo = 0
            var record = 0
            for line in d.text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNo += 1
                if line.allSatisfy({ $0.isWhitespace }) { continue }
                let src = input.source(.jsonl, encoding: d.encoding, line: lineNo, record: record)
                try emit(JSONRecordIngester.parseLine(Data(line.utf8), source: src, mapping: options.json))
                record += 1
            }
            return
        }
        let data = Data(d.text.utf8)
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            try emit(.failure(JSONRecordIngester.malformed(error, data: data, path: path, line: nil)))
            return
        }
        let src = input.source(.json, encoding: d.encoding)
        if let array = value as? [Any] {
            if array.isEmpty { try emit(.failure(.ingest(.json.noRecords, "the JSON array is empty", path: path))) }
            for (i, item) in array.enumerated() {
                var s = src
                s.record = i
                try emit(JSONRecordIngester.document(from: item, source: s, mapping: options.json,
                                                     fallbackID: "\(path)#\(i)", within: "[\(i)]"))
            }
        } else {
            try emit(JSONRecordIngester.document(from: value, source: src, mapping: options.json, fallbackID: path, within: nil))
        }
    }

    /// Streams a JSONL file line by line with bounded memory. `sha256` and `bytes` describe the
    /// whole file. A line longer than `options.maxFileBytes` is an error for that line.
    public static func stream(path: String, options: IngestOptions, sha256: String, bytes: Int,
                              emit: (Result<Document, WenshuError>) throws -> Void) rethrows {
        try stream(.file(path), options: options, sha256: sha256, bytes: bytes, emit: emit)
    }

    /// Streams the lines of a file or of a buffer (see `stream(path:options:sha256:bytes:emit:)`);
    /// documents and errors are named by `source.name`. A buffer's lines count from 1.
    static func stream(_ source: IngestSource, options: IngestOptions, sha256: String, bytes: Int,
                       emit: (Result<Document, WenshuError>) throws -> Void) rethrows {
        let path = source.name
        let reader: LineReader
        switch source {
        case let .file(file, _):
            do { reader = try LineReader(path: file) } catch let e as WenshuError {
                var e = e
                e.path = path
                try emit(.failure(e)); return
            } catch {
                try emit(.failure(WenshuError(.read.open, "\(error)", stage: .read, path: path))); return
            }
        case let .bytes(buffer, name, _):
            reader = LineReader(bytes: buffer, name: name)
        }
        // Charset from the head of the file (never split inside a line).
        var head: [UInt8] = []
        var headLines: [[UInt8]] = []
        var exhausted = false
        do {
            while head.count < (1 << 16) {
                guard let l = try reader.nextLine() else { exhausted = true; break }
                headLines.append(l)
                head += l
                head.append(0x0A)
            }
        } catch let e as WenshuError {
            var e = e
            e.path = path
            try emit(.failure(e)); return
        } catch {
            try emit(.failure(WenshuError(.read.io, "\(error)", stage: .read, path: path))); return
        }
        if head.isEmpty || (exhausted && headLines.allSatisfy { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }) {
            try emit(.failure(.ingest(.file.empty, "the file is empty", path: path)))
            return
        }
        let detected = head.withUnsafeBufferPointer { EncodingDetector.detect($0, path: path, forced: options.encoding) }
        guard case .success(let (encoding, bom)) = detected else {
            if case .failure(let e) = detected { try emit(.failure(e)) }
            return
        }
        if encoding.uppercased().hasPrefix("UTF-16") {
            // Not line-splittable as bytes: read whole (within the size limit).
            if bytes > options.maxFileBytes {
                try emit(.failure(.ingest(.file.tooLarge, "UTF-16 JSONL of \(bytes) bytes exceeds max_file_bytes \(options.maxFileBytes)", path: path)))
                return
            }
            let all: [UInt8]
            switch source {
            case let .file(file, _):
                guard let data = FileManager.default.contents(atPath: file) else {
                    try emit(.failure(WenshuError(.read.io, "cannot read the file", stage: .read, path: path))); return
                }
                all = [UInt8](data)
            case let .bytes(buffer, _, _):
                all = buffer
            }
            try JSONRecordIngester(lines: true).ingest(IngestInput(path: path, bytes: all, sha256: sha256),
                                                       options: options, emit: emit)
            return
        }
        var record = 0
        var lineNo = 0
        var offset = 0
        func handle(_ raw: [UInt8]) -> Result<Document, WenshuError>? {
            lineNo += 1
            defer { offset += raw.count + 1 }
            var line = raw
            if lineNo == 1 && bom > 0 && line.count >= bom { line.removeFirst(bom) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
            let src = SourceInfo(path: path, format: .jsonl, encoding: encoding, bytes: bytes, sha256: sha256,
                                 line: lineNo, record: record)
            record += 1
            if line.count > options.maxFileBytes {
                return .failure(.ingest(.file.tooLarge, "line of \(line.count) bytes exceeds max_file_bytes",
                                        path: path, location: SourceLocation(line: lineNo, byteOffset: offset)))
            }
            var lineEncoding = encoding
            var decoded = line.withUnsafeBufferPointer { EncodingDetector.decode($0, as: encoding, path: path) }
            if case .failure = decoded, encoding == "UTF-8", options.encoding == nil {
                // A file that began as ASCII/UTF-8 may hold legacy-encoded lines further down.
                let again = line.withUnsafeBufferPointer { buf -> (String, Result<String, WenshuError>)? in
                    guard case .success(let (enc, _)) = EncodingDetector.detect(buf, path: path), enc != "UTF-8" else { return nil }
                    return (enc, EncodingDetector.decode(buf, as: enc, path: path))
                }
                if let (enc, r) = again, case .success = r { lineEncoding = enc; decoded = r }
            }
            switch decoded {
            case .failure(var e):
                if let b = e.location?.byteOffset { e.location?.byteOffset = b + offset }
                return .failure(e.at(SourceLocation(line: lineNo)))
            case .success(let s):
                var src = src
                src.encoding = lineEncoding
                return parseLine(Data(s.utf8), source: src, mapping: options.json)
            }
        }
        for l in headLines {
            if let r = handle(l) { try emit(r) }
        }
        headLines = []
        while true {
            let next: [UInt8]?
            do { next = try reader.nextLine() } catch {
                    var e = (error as? WenshuError) ?? WenshuError(.read.io, "\(error)", stage: .read, path: path)
                e.path = path
                try emit(.failure(e.at(SourceLocation(line: lineNo + 1))))
                break
            }
            guard let l = next else { break }
            if let r = handle(l) { try emit(r) }
        }
    }

    /// One JSONL line to a document or an error carrying the line number.
    static func parseLine(_ data: Data, source: SourceInfo, mapping: IngestOptions.JSONMapping) -> Result<Document, WenshuError> {
        let line = source.line ?? 0
        do {
            let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return document(from: value, source: source, mapping: mapping, fallbackID: "\(source.path)#L\(line)", within: nil)
        } catch {
            return .failure(malformed(error, data: data, path: source.path, line: line))
        }
    }

    /// Maps one parsed JSON record to a document.
    static func document(from value: Any, source: SourceInfo, mapping: IngestOptions.JSONMapping,
                         fallbackID: String, within: String?) -> Result<Document, WenshuError> {
        let loc = SourceLocation(line: source.line, within: within)
        guard let dict = value as? [String: Any] else {
            return .failure(.ingest(.json.notObject, "a record must be a JSON object, found \(kind(of: value))",
                                    path: source.path, location: loc))
        }
        if let web = WebRecordIngester.innerSource(of: dict) {
            return WebRecordIngester.document(outer: dict, inner: web, source: source, fallbackID: fallbackID)
                .map { d in
                    var d = d
                    if d.id == fallbackID { d.id = contentID(text: d.text) }
                    return d
                }
                .mapError { $0.at(loc) }
        }
        var text: String?
        for f in mapping.textFields {
            if let s = lookup(dict, f) as? String, !s.isEmpty { text = s; break }
            if let a = lookup(dict, f) as? [Any], !a.isEmpty, a.allSatisfy({ $0 is String }) {
                text = (a as! [String]).joined(separator: "\n"); break
            }
        }
        guard var body = text else {
            let keys = dict.keys.sorted().prefix(12).joined(separator: ", ")
            var e = WenshuError.ingest(.json.noTextField,
                                       "none of the text fields [\(mapping.textFields.joined(separator: ", "))] holds a non-empty string; the record has [\(keys)] (choose one with `wenshu ingest --json-text-field NAME` or inputs.ingest.json.text_fields)",
                                       path: source.path, location: loc)
            e.recordID = ownID(dict, mapping: mapping)
            return .failure(e)
        }
        if body.contains("\r") {
            body = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        let id = ownID(dict, mapping: mapping)
        var title: String?
        for f in mapping.titleFields {
            if let s = lookup(dict, f) as? String, !s.isEmpty { title = s; break }
        }
        var meta: [String: String] = [:]
        for f in mapping.metadataFields {
            if let v = lookup(dict, f), let s = metadataString(v) { meta[f] = s }
        }
        return .success(Document(id: id ?? contentID(text: body), source: source, text: body, title: title, metadata: meta))
    }

    /// The id of a record without an id of its own: `sha256:` and the first 16 hex digits of
    /// the SHA-256 of its extracted text (UTF-8, line ends as `\n`). It depends on the text
    /// only, not on the file, line, encoding, key order or partition the record came in, so
    /// a plain run, `wenshu filter` under Spark or Hadoop, and a watched inbox give one record
    /// the same id. Records with the same text share an id; give them an `id` field to tell
    /// them apart.
    public static func contentID(text: String) -> String {
        "sha256:" + SHA256Hasher.hex(Array(text.utf8)).prefix(16)
    }

    /// The record's own id: the first id field holding a non-empty string or number.
    static func ownID(_ dict: [String: Any], mapping: IngestOptions.JSONMapping) -> String? {
        for f in mapping.idFields {
            if let v = lookup(dict, f), let s = scalarString(v), !s.isEmpty { return s }
        }
        return nil
    }

    /// A field by dotted path (`meta.accusation`).
    static func lookup(_ dict: [String: Any], _ path: String) -> Any? {
        if let v = dict[path] { return v }
        var cur: Any? = dict
        for part in path.split(separator: ".") {
            guard let d = cur as? [String: Any] else { return nil }
            cur = d[String(part)]
        }
        return cur
    }

    static func scalarString(_ v: Any) -> String? {
        if let s = v as? String { return s }
        if let n = v as? NSNumber { return n.stringValue }
        return nil
    }

    static func metadataString(_ v: Any) -> String? {
        if v is NSNull { return nil }
        if let s = scalarString(v) { return s }
        if let a = v as? [Any], a.allSatisfy({ scalarString($0) != nil }) {
            return a.compactMap { scalarString($0) }.joined(separator: "、")
        }
        if JSONSerialization.isValidJSONObject(v), let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys]) {
            return String(decoding: d, as: UTF8.self)
        }
        return nil
    }

    private static func kind(of v: Any) -> String {
        if v is [Any] { return "an array" }
        if v is String { return "a string" }
        if v is NSNumber { return "a number" }
        if v is NSNull { return "null" }
        return "\(type(of: v))"
    }

    static func malformed(_ error: Error, data: Data, path: String, line: Int?) -> WenshuError {
        let ns = error as NSError
        var loc = SourceLocation(line: line)
        var detail = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
        if let idx = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int, line == nil {
            let prefix = data.prefix(idx)
            loc.line = prefix.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            loc.byteOffset = idx
        }
        if detail.isEmpty { detail = "invalid JSON" }
        return .ingest(.json.malformed, "malformed JSON: \(detail)", path: path, location: loc)
    }
}
