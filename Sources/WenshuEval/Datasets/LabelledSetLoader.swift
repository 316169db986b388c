import Foundation
import WenshuCore

/// A labelled set read from a file: the examples, the format used, and the errors of the
/// lines that could not be read (the loader continues past them).
public struct LabelledSet: Sendable {
    public var path: String
    public var format: DatasetFormat
    public var examples: [LabelledExample]
    /// One error per malformed line, each naming the file and line.
    public var errors: [WenshuError]
    /// Lines read (non-blank).
    public var records: Int
}

/// Reads a JSONL labelled set with the reader of its format, detecting the format from the
/// first record when none is given. Blank lines are skipped; a malformed line becomes a
/// `WenshuError` in `errors` (reading continues); a file where no line can be read throws.
public enum LabelledSetLoader {
    /// Loads `path`. `format` nil means detect from the first non-blank record.
    public static func load(path: String, format: DatasetFormat? = nil,
                            options: ReaderOptions = ReaderOptions()) throws -> LabelledSet {
        let lines = try LineReader(path: path)
        var fmt = format
        var reader: DatasetReader? = fmt.map { $0.reader(options: options) }
        var examples: [LabelledExample] = []
        var errors: [WenshuError] = []
        var records = 0
        while let raw = try lines.nextLine() {
            var bytes = raw
            if lines.lineNumber == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            records += 1
            let n = lines.lineNumber
            if reader == nil {
                guard let obj = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                    throw WenshuError(.dataset.undetected, "cannot detect the format: the first record is not a JSON object",
                                      stage: .read, path: path, location: SourceLocation(line: n))
                }
                guard let d = DatasetFormat.detect(keys: Set(obj.keys)) else {
                    throw WenshuError(.dataset.undetected,
                                      "cannot detect the format from fields \(obj.keys.sorted()); pass --format",
                                      stage: .read, path: path, location: SourceLocation(line: n))
                }
                fmt = d
                reader = d.reader(options: options)
            }
            do {
                examples += try reader!.examples(from: bytes, line: n, path: path)
            } catch let e as WenshuError {
                errors.append(e)
            } catch {
                errors.append(ReaderSupport.malformed("\(error)", path: path, line: n))
            }
        }
        guard let f = fmt else {
            throw WenshuError(.dataset.empty, "the file holds no records", stage: .read, path: path)
        }
        if examples.isEmpty && !errors.isEmpty {
            var first = errors[0]
            first.message = "no record could be read (\(errors.count) malformed); first: \(first.message)"
            throw first
        }
        return LabelledSet(path: path, format: f, examples: examples, errors: errors, records: records)
    }
}
