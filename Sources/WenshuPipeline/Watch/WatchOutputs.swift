import Foundation
import WenshuCore

/// What a running `InboxWatcher` writes to, opened together once its folders exist and its
/// locks are held: the watch journal, the daily results, errors and duplicates streams, and
/// the in-flight markers that tell a restart which files the last process died on.
final class WatchOutputs {
    let journal: WatchJournal
    let results: DailyJSONLFile
    let errors: DailyJSONLFile
    let duplicates: DailyJSONLFile
    let inflight: InFlightMarkers

    init(_ o: WatchConfiguration, journalPath: String) throws {
        journal = try WatchJournal(path: journalPath)
        results = DailyJSONLFile(folder: o.outputDir, prefix: o.resultsPrefix, rotateBytes: o.rotateBytes,
                                 keepRotated: o.keepRotated)
        errors = DailyJSONLFile(folder: o.errorsDir, prefix: o.errorsPrefix, rotateBytes: o.rotateBytes,
                                keepRotated: o.keepRotated)
        duplicates = DailyJSONLFile(folder: o.outputDir, prefix: "duplicates", rotateBytes: o.rotateBytes,
                                    keepRotated: o.keepRotated)
        inflight = try InFlightMarkers(journalPath: journalPath)
    }
}
