import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads files of every supported format and yields documents or errors.
///
/// The format is sniffed from the content (`FormatSniffer`, extension as a hint) unless
/// `IngestOptions.format` forces one. JSONL is streamed line by line; every other format is
/// read whole, within `IngestOptions.maxFileBytes` (`file.too_large` beyond it).
public struct IngestService: Sendable {
    public let options: IngestOptions
    public init(options: IngestOptions = IngestOptions()) { self.options = options }

    /// Prepares the native parsers for use from many threads (calls libxml2's `xmlInitParser`).
    /// Call once before starting workers; ingesting also calls it on first use.
    public static func prepareForConcurrency() { LibXML.initialize() }

    /// The ingester for a format.
    public static func ingester(for format: DocumentFormat) -> any Ingester {
        switch format {
        case .text: return PlainTextIngester()
        case .xml: return XMLIngester()
        case .html: return HTMLIngester()
        case .json: return JSONRecordIngester(lines: false)
        case .jsonl: return JSONRecordIngester(lines: true)
        case .webRecord: return WebRecordIngester()
        case .docx: return DocxIngester()
        }
    }

    /// Reads the file at `path` and calls `body` once for each document it holds, or once
    /// for each error (a bad file is one error; a bad JSONL line is one error for that line).
    public func forEachDocument(atPath path: String, _ body: (Result<Document, WenshuError>) throws -> Void) rethrows {
        try forEachDocument(in: .file(path), body)
    }

    /// Reads one input, a file or a buffer in memory, and calls `body` once for each document
    /// it holds, or once for each error. Both kinds are read alike: the format sniffed from
    /// the content (the name's extension as a hint) unless forced, the same size and
    /// character limits, the same ingesters. Documents and errors carry `source.name` as their
    /// path, and their place (line, byte offset) within it. A buffer never touches the file system.
    public func forEachDocument(in source: IngestSource, _ body: (Result<Document, WenshuError>) throws -> Void) rethrows {
        // Refuse documents above the character limit before they reach normalization.
        let limit = options.maxDocumentChars
        try read(source) { r in
            if case let .success(doc) = r, limit > 0 {
                var n = 0
                for _ in doc.text.unicodeScalars { n += 1; if n > limit { break } }
                if n > limit {
                    try body(.failure(.ingest(.document.tooLarge,
                                              "the document has more than \(limit) characters (limits.max_document_chars); split it or raise the limit",
                                              path: doc.source.path, location: doc.source.line.map { SourceLocation(line: $0) })))
                    return
                }
            }
            try body(r)
        }
    }

    private func read(_ source: IngestSource, _ body: (Result<Document, WenshuError>) throws -> Void) rethrows {
        switch source {
        case let .file(path, name):
            try readFile(atPath: path, name: name ?? path, body)
        case let .bytes(bytes, name, nil):
            try readBuffer(bytes, name: name, body)
        case let .bytes(bytes, name, .some(line)):
            try readBuffer(bytes, name: name) { try body(IngestService.placed($0, at: line)) }
        }
    }

    /// A result of a buffer that begins at line `origin` of its stream: lines counted from
    /// there, an error without a line placed at `origin`, and no record index (the line is
    /// the record's place in the stream).
    static func placed(_ r: Result<Document, WenshuError>, at origin: Int) -> Result<Document, WenshuError> {
        switch r {
        case var .success(d):
            if let l = d.source.line { d.source.line = l + origin - 1; d.source.record = nil }
            return .success(d)
        case var .failure(e):
            var loc = e.location ?? SourceLocation()
            loc.line = loc.line.map { $0 + origin - 1 } ?? origin
            e.location = loc
            return .failure(e)
        }
    }

    private func readBuffer(_ bytes: [UInt8], name: String, _ body: (Result<Document, WenshuError>) throws -> Void) rethrows {
        if bytes.isEmpty {
            try body(.failure(.ingest(.file.empty, "the input is empty", path: name)))
            return
        }
        guard let format = try format(head: Array(bytes.prefix(1 << 16)), name: name, body) else { return }
        let sha = SHA256Hasher.hex(bytes)
        if format == .jsonl {
            try JSONRecordIngester.stream(.bytes(bytes, name: name), options: options, sha256: sha, bytes: bytes.count, emit: body)
            return
        }
        guard try withinLimits(size: bytes.count, format: format, name: name, body) else { return }
        try IngestService.ingester(for: format).ingest(IngestInput(path: name, bytes: bytes, sha256: sha), options: options, emit: body)
    }

    private func readFile(atPath path: String, name: String, _ body: (Result<Document, WenshuError>) throws -> Void) rethrows {
        // O_NONBLOCK: a FIFO or device named here must not block the run (regular files ignore it).
        let fd = RawPath.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT {
                try body(.failure(WenshuError(.read.vanished, "the file disappeared before it could be read", stage: .read, path: name)))
            } else {
                try body(.failure(WenshuError(.read.open, "cannot open", stage: .read, errno: ErrnoError("open", path: name))))
            }
            return
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            try body(.failure(WenshuError(.read.stat, "cannot stat", stage: .read, errno: ErrnoError("fstat", path: name))))
            return
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            try body(.failure(WenshuError(.read.directory, "is a directory", stage: .read, path: name)))
            return
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            try body(.failure(WenshuError(.read.notRegular, "\(RawPath.kind(st.st_mode)), not a regular file: not read",
                                          stage: .read, path: name)))
            return
        }
        let size = Int(st.st_size)
        if size == 0 {
            try body(.failure(.ingest(.file.empty, "the file is empty", path: name)))
            return
        }
        let head: [UInt8]
        switch IngestService.read(fd, max: min(size, 1 << 16), path: name) {
        case .failure(let e): try body(.failure(e)); return
        case .success(let h): head = h
        }
        guard let format = try format(head: head, name: name, body) else { return }
        if format == .jsonl {
            guard let (sha, _) = SHA256Hasher.file(descriptor: fd) else {
                try body(.failure(WenshuError(.read.io, "read failed", stage: .read, errno: ErrnoError("read", path: name))))
                return
            }
            try JSONRecordIngester.stream(.file(path, name: name), options: options, sha256: sha, bytes: size, emit: body)
            return
        }
        guard try withinLimits(size: size, format: format, name: name, body) else { return }
        lseek(fd, 0, SEEK_SET)
        let bytes: [UInt8]
        switch IngestService.read(fd, max: size, path: name) {
        case .failure(let e): try body(.failure(e)); return
        case .success(let b): bytes = b
        }
        let input = IngestInput(path: name, bytes: bytes)
        try IngestService.ingester(for: format).ingest(input, options: options, emit: body)
    }

    /// The forced format, or the one sniffed from `head`; nil after emitting
    /// `format.unsupported` for content no ingester reads.
    private func format(head: [UInt8], name: String, _ body: (Result<Document, WenshuError>) throws -> Void) rethrows -> DocumentFormat? {
        if options.format == nil, let e = FormatSniffer.unsupported(head: head, path: name) { try body(.failure(e)); return nil }
        return options.format ?? FormatSniffer.sniff(head: head, path: name)
    }

    /// Whether an input read whole is within the limits; false after emitting the error.
    private func withinLimits(size: Int, format: DocumentFormat, name: String,
                              _ body: (Result<Document, WenshuError>) throws -> Void) rethrows -> Bool {
        if size > options.maxFileBytes {
            try body(.failure(.ingest(.file.tooLarge,
                                      "the file has \(size) bytes, over max_file_bytes \(options.maxFileBytes)", path: name)))
            return false
        }
        // A plain text file holds at least one character per 4 bytes: refuse one that must be
        // over the character limit before reading it whole.
        if format == .text, options.maxDocumentChars > 0, size / 4 > options.maxDocumentChars {
            try body(.failure(.ingest(.document.tooLarge,
                                      "the file has \(size) bytes, so more than \(options.maxDocumentChars) characters (limits.max_document_chars); split it or raise the limit",
                                      path: name)))
            return false
        }
        return true
    }

    /// All documents and errors of one input.
    public func documents(in source: IngestSource) -> [Result<Document, WenshuError>] {
        var out: [Result<Document, WenshuError>] = []
        forEachDocument(in: source) { out.append($0) }
        return out
    }

    /// All documents and errors of one file.
    public func documents(atPath path: String) -> [Result<Document, WenshuError>] {
        var out: [Result<Document, WenshuError>] = []
        forEachDocument(atPath: path) { out.append($0) }
        return out
    }

    /// Every regular file under `paths` (files as given, directories recursively), sorted,
    /// skipping names that start with a dot. Throws `read.missing` for a path that does not exist.
    public static func files(under paths: [String]) throws -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
                throw WenshuError(.read.missing, "no such file or directory", stage: .read, path: p)
            }
            if !isDir.boolValue { out.append(p); continue }
            var found: [String] = []
            func walk(_ dir: String) throws {
                let names: [String]
                do { names = try fm.contentsOfDirectory(atPath: dir) } catch {
                    throw WenshuError(.read.directory, "cannot list: \(error.localizedDescription)", stage: .read, path: dir)
                }
                for n in names where !n.hasPrefix(".") {
                    let full = dir.hasSuffix("/") ? dir + n : dir + "/" + n
                    var d: ObjCBool = false
                    guard fm.fileExists(atPath: full, isDirectory: &d) else { continue }
                    if d.boolValue { try walk(full) } else { found.append(full) }
                }
            }
            try walk(p)
            out += found.sorted()
        }
        return out
    }

    // MARK: - file reading

    static func read(_ fd: Int32, max: Int, path: String) -> Result<[UInt8], WenshuError> {
        var buf = [UInt8](repeating: 0, count: max)
        var got = 0
        while got < max {
            let n: Int
            do {
                n = try Posix.retrying("read", path: path) { buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, max - got) } }
            } catch let e as ErrnoError {
                return .failure(WenshuError(.read.io, "read failed", stage: .read, errno: e))
            } catch {
                return .failure(WenshuError(.read.io, "read failed: \(error)", stage: .read, path: path))
            }
            if n == 0 { break }
            got += n
        }
        if got < max { buf.removeSubrange(got...) }
        return .success(buf)
    }
}
