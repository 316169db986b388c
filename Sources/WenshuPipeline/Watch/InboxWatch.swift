import Foundation
import WenshuCore

/// Builds an `InboxWatcher` for a pipeline file: the one place that chooses the
/// processor (so the command line stays thin).
public enum InboxWatch {
    /// A watcher over `options` (already resolved) whose processor comes from the pipeline file.
    public static func make(options: WatchOptions, pipelineFile: String,
                            log: @escaping (String) -> Void = { _ in }) throws -> InboxWatcher {
        let processor = try processor(pipelineFile: pipelineFile)
        return InboxWatcher(options: options, processor: processor, log: log)
    }

    /// The processor for a pipeline file.
    public static func processor(pipelineFile: String) throws -> InboxFileProcessor {
        PlainTextInboxProcessor()
    }
}
