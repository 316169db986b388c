import Foundation
import WenshuCore

/// The processor used when no pipeline processor is wired in: strict UTF-8 plain text,
/// one document per file, with the first non-empty line as the title. Empty files and
/// bytes that are not UTF-8 become errors naming the file and byte offset.
public struct PlainTextInboxProcessor: InboxFileProcessor {
    public init() {}

    public func process(_ file: InboxFile) -> FileOutcome {
        let src = ErrorRecord.ErrorSource(path: file.relativePath, format: .text, sha256: file.sha256, bytes: file.bytes)
        let data: [UInt8]
        do { data = try file.readBytes() } catch let e as WenshuError {
            return FileOutcome(errors: [ErrorRecord(id: file.relativePath, source: src, error: e)])
        } catch {
            return FileOutcome(errors: [ErrorRecord(id: file.relativePath, source: src,
                error: WenshuError(.read.failed, "\(error)", stage: .read, path: file.relativePath))])
        }
        if data.isEmpty {
            return FileOutcome(errors: [ErrorRecord(id: file.relativePath, source: src,
                error: WenshuError(.ingest.empty, "the file is empty", stage: .ingest, path: file.relativePath))])
        }
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let bad = PlainTextInboxProcessor.firstInvalidUTF8(bytes) {
            return FileOutcome(errors: [ErrorRecord(id: file.relativePath, source: src,
                error: WenshuError(.encoding.invalidUtf8, "bytes are not valid UTF-8",
                                   stage: .ingest, path: file.relativePath,
                                   location: SourceLocation(byteOffset: bad)))])
        }
        let text = String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: "\r\n", with: "\n")
        let title = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        let info = SourceInfo(path: file.relativePath, format: .text, encoding: "UTF-8", bytes: file.bytes, sha256: file.sha256)
        let rec = ResultRecord(id: file.relativePath, source: info, document: DocumentStructure(title: title))
        return FileOutcome(results: [rec])
    }

    /// Byte offset of the first invalid UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        let base = bytes.startIndex
        var i = base
        while i < bytes.endIndex {
            let b = bytes[i]
            let len: Int
            if b < 0x80 { i += 1; continue }
            if b & 0xE0 == 0xC0 { len = 2 } else if b & 0xF0 == 0xE0 { len = 3 }
            else if b & 0xF8 == 0xF0 { len = 4 } else { return i - base }
            if i + len > bytes.endIndex { return i - base }
            var sit = bytes[i..<(i + len)].makeIterator()
            var d = UTF8()
            guard case .scalarValue = d.decode(&sit) else { return i - base }
            i += len
        }
        return nil
    }
}
