import Foundation
import WenshuCore
import WenshuIngest
#if canImport(Glibc)
import Glibc
#endif

/// The one way an input becomes documents: the batch runner, `ingest`, `filter` and the
/// watch's `PipelineInboxProcessor` all read through it.
///
/// Every input (a file, a buffer such as a line of standard input, an inbox file) goes
/// through `IngestService` and yields, in order, a `SourceItem` per document or per
/// failure, each with its journal key and the input's content hash. A failure becomes an
/// `ErrorRecord` naming the input as `IngestSource.name`, its place (line), its SHA-256 and
/// size, so no input is ever dropped silently.
public struct DocumentSource: Sendable {
    public let service: IngestService

    public init(ingest: IngestOptions = IngestOptions()) {
        service = IngestService(options: ingest)
    }

    /// Every file `files` lists, in its order; a path that cannot be listed or is not a
    /// regular file is one failure. `fileRead` is called after each file with its size in
    /// bytes (progress). Rethrows what `body` or `fileRead` throw.
    public func forEach(_ files: InputFiles, _ body: (SourceItem) throws -> Void,
                        fileRead: (Int64) throws -> Void = { _ in }) throws {
        try files.forEach { entry in
            switch entry {
            case let .failure(err):
                let path = err.path ?? ""
                let key = DocumentKey.ofFailure(path: path, sha256: nil, line: nil)
                try body(SourceItem(content: .failure(ErrorRecord(source: .init(path: path), error: err)),
                                    key: key, sha256: nil, shardKey: key))
            case let .success(path):
                let size = Int64(RawPath.statOf(path)?.st_size ?? 0)
                try forEach(.file(path), body)
                try fileRead(size)
            }
        }
    }

    /// The documents of one input, or its failures. `sha256` and `bytes`, when the caller
    /// already knows them (the watch hashes every inbox file), spare hashing the input again
    /// for its error records.
    public func forEach(_ input: IngestSource, sha256 knownSHA: String? = nil, bytes knownBytes: Int? = nil,
                        _ body: (SourceItem) throws -> Void) rethrows {
        let name = input.name
        var identity: (sha256: String?, bytes: Int?)?
        try service.forEachDocument(in: input) { r in
            switch r {
            case let .success(doc):
                try body(SourceItem(content: .document(doc), key: DocumentKey.of(doc), sha256: doc.source.sha256,
                                    shardKey: doc.id))
            case let .failure(err):
                if identity == nil { identity = knownSHA.map { ($0, knownBytes) } ?? DocumentSource.identity(of: input) }
                let sha = identity?.sha256
                let line = err.location?.line
                let rec = ErrorRecord(source: .init(path: name, format: service.options.format, sha256: sha,
                                                    bytes: identity?.bytes, line: line),
                                      error: err.at(path: name))
                try body(SourceItem(content: .failure(rec), key: DocumentKey.ofFailure(path: name, sha256: sha, line: line),
                                    sha256: sha, shardKey: "\(name):\(line ?? 0)"))
            }
        }
    }

    /// SHA-256 and size of an input, for its error records: only a regular file is read
    /// (a FIFO or device is never opened for hashing).
    static func identity(of input: IngestSource) -> (sha256: String?, bytes: Int?) {
        switch input {
        case let .bytes(bytes, _, _):
            return (SHA256Hasher.hex(bytes), bytes.count)
        case let .file(path, _):
            guard let st = RawPath.statOf(path) else { return (nil, nil) }
            guard (st.st_mode & S_IFMT) == S_IFREG, let digest = SHA256Hasher.file(atPath: path) else {
                return (nil, Int(st.st_size))
            }
            return (digest.sha256, digest.bytes)
        }
    }
}
