import CLibXML2
import Foundation
import WenshuCore
import ZIPFoundation

/// DOCX: the archive is opened with ZIPFoundation, `word/document.xml` is parsed with libxml2
/// (no network, no entities) and its body walked by `DocxTextWalker`.
///
/// Zip-bomb limits (`IngestOptions.docxMaxUncompressedBytes`, `docxMaxCompressionRatio`) are
/// checked twice: on the sizes the central directory declares for every entry, and on the
/// bytes actually inflated while extracting (declared sizes can lie). The title comes from
/// `docProps/core.xml` (`dc:title`) when present.
/// Errors: `docx.corrupt` (not a readable zip), `docx.missing_part` (no word/document.xml),
/// `docx.zip_bomb`, `xml.malformed` within word/document.xml, `docx.no_text`.
public struct DocxIngester: Ingester {
    public var format: DocumentFormat { .docx }
    public init() {}

    static let mainPart = "word/document.xml"
    /// Ratios are checked only for entries above this size (small parts compress oddly).
    static let ratioFloor: UInt64 = 1 << 20

    public func ingest(_ input: IngestInput, options: IngestOptions,
                       emit: (Result<Document, WenshuError>) throws -> Void) rethrows {
        try emit(DocxIngester.document(input, options: options))
    }

    static func document(_ input: IngestInput, options: IngestOptions) -> Result<Document, WenshuError> {
        let path = input.path
        let archive: Archive
        switch openArchive(input.bytes, path: path) {
        case .failure(let e): return .failure(e)
        case .success(let a): archive = a
        }
        // Central directory check.
        var total: UInt64 = 0
        var entries = 0
        for entry in archive {
            entries += 1
            total &+= entry.uncompressedSize
            if let e = ratioError(entry.path, uncompressed: entry.uncompressedSize, compressed: entry.compressedSize,
                                  options: options, path: path, what: "declares") {
                return .failure(e)
            }
        }
        if entries == 0 {
            return .failure(.ingest(.docx.corrupt, "the ZIP archive has no entries", path: path))
        }
        if total > UInt64(options.docxMaxUncompressedBytes) {
            return .failure(.ingest(.docx.zipBomb,
                                    "the archive declares \(total) uncompressed bytes, over the limit of \(options.docxMaxUncompressedBytes)",
                                    path: path))
        }
        guard let main = archive[mainPart] else {
            return .failure(.ingest(.docx.missingPart, "the archive has no \(mainPart): not a Word document",
                                    path: path, location: SourceLocation(within: mainPart)))
        }
        let xml: [UInt8]
        switch extract(archive, main, options: options, path: path) {
        case .failure(let e): return .failure(e)
        case .success(let b): xml = b
        }
        let doc: xmlDocPtr
        switch LibXML.parseXML(xml, path: path, within: mainPart) {
        case .failure(let e): return .failure(e)
        case .success(let d): doc = d
        }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else {
            return .failure(.ingest(.docx.corrupt, "\(mainPart) has no root element", path: path,
                                    location: SourceLocation(within: mainPart)))
        }
        var walker = DocxTextWalker()
        walker.walk(root)
        let text = walker.builder.finish()
        if text.isEmpty {
            return .failure(.ingest(.docx.noText, "the document body has no text", path: path,
                                    location: SourceLocation(within: mainPart)))
        }
        var title: String?
        if let core = archive["docProps/core.xml"], case .success(let b) = extract(archive, core, options: options, path: path),
           case .success(let cd) = LibXML.parseXML(b, path: path, within: "docProps/core.xml") {
            defer { xmlFreeDoc(cd) }
            if let r = xmlDocGetRootElement(cd) {
                var c = r.pointee.children
                while let n = c {
                    if n.pointee.type == XML_ELEMENT_NODE && LibXML.name(n) == "title", let s = xmlNodeGetContent(n) {
                        let t = String(cString: s).trimmingCharacters(in: .whitespacesAndNewlines)
                        xmlFree(s)
                        if !t.isEmpty { title = t }
                    }
                    c = n.pointee.next
                }
            }
        }
        return .success(Document(id: path, source: input.source(.docx, encoding: nil), text: text, title: title))
    }

    /// Opens the archive from a private temporary file, unlinked at once (the archive keeps
    /// its open handle). Not `Archive(data:)`: ZIPFoundation's in-memory file traps on a read
    /// after a seek past the end, which any damaged central-directory or local-header offset
    /// causes (found by MutationFuzzTests; Fixtures/fuzz/docx-central-offset.docx); a real
    /// file reads short there, which ZIPFoundation reports as an error.
    static func openArchive(_ bytes: [UInt8], path: String) -> Result<Archive, WenshuError> {
        var template = Array((FileManager.default.temporaryDirectory.path + "/wenshu-docx-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 {
            return .failure(WenshuError(.read.io, "cannot create a temporary file for the archive", stage: .read,
                                        errno: ErrnoError("mkstemp"), path: path))
        }
        let tmp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(tmp) }
        do {
            try Posix.writeAll(fd, bytes, path: tmp)
        } catch let e as ErrnoError {
            close(fd)
            return .failure(WenshuError(.read.io, "cannot write a temporary copy of the archive", stage: .read,
                                        errno: e, path: path))
        } catch {
            close(fd)
            return .failure(WenshuError(.read.io, "cannot write a temporary copy of the archive", stage: .read,
                                        path: path).caused(by: error))
        }
        close(fd)
        do {
            return .success(try Archive(url: URL(fileURLWithPath: tmp), accessMode: .read))
        } catch {
            return .failure(.ingest(.docx.corrupt, "not a readable ZIP archive", path: path).caused(by: error))
        }
    }

    private static func ratioError(_ name: String, uncompressed: UInt64, compressed: UInt64, options: IngestOptions,
                                   path: String, what: String) -> WenshuError? {
        guard uncompressed > ratioFloor else { return nil }
        let ratio = Double(uncompressed) / Double(max(compressed, 1))
        guard ratio > options.docxMaxCompressionRatio else { return nil }
        return .ingest(.docx.zipBomb,
                       "\(name) \(what) \(uncompressed) bytes from \(compressed) compressed (ratio \(Int(ratio)), limit \(Int(options.docxMaxCompressionRatio)))",
                       path: path, location: SourceLocation(within: name))
    }

    private struct LimitExceeded: Error { let error: WenshuError }

    /// Inflates one entry, counting real bytes against the limits.
    static func extract(_ archive: Archive, _ entry: Entry, options: IngestOptions, path: String) -> Result<[UInt8], WenshuError> {
        var out = [UInt8]()
        let limit = UInt64(options.docxMaxUncompressedBytes)
        let compressed = entry.compressedSize
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { data in
                out.append(contentsOf: data)
                let n = UInt64(out.count)
                if n > limit {
                    throw LimitExceeded(error: .ingest(.docx.zipBomb,
                                                       "\(entry.path) inflates past the limit of \(limit) bytes",
                                                       path: path, location: SourceLocation(within: entry.path)))
                }
                if let e = ratioError(entry.path, uncompressed: n, compressed: compressed, options: options, path: path,
                                      what: "inflates to") {
                    throw LimitExceeded(error: e)
                }
            }
        } catch let e as LimitExceeded {
            return .failure(e.error)
        } catch {
            return .failure(.ingest(.docx.corrupt, "cannot inflate \(entry.path)", path: path,
                                    location: SourceLocation(within: entry.path)).caused(by: error))
        }
        return .success(out)
    }
}
