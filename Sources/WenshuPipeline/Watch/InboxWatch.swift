import Foundation
import WenshuCore

/// Builds an `InboxWatcher` for a pipeline file: the one place that chooses the
/// processor (so the command line stays thin).
public enum InboxWatch {
    /// A watcher over `options` (already resolved) whose processor runs `spec`
    /// (ingest, text layer, model heads when the spec names a bundle).
    public static func make(options: WatchConfiguration, spec: PipelineSpec,
                            log: @escaping (String) -> Void = { _ in }) throws -> InboxWatcher {
        let processor = try PipelineInboxProcessor(spec: spec)
        return InboxWatcher(options: options, processor: processor, log: log)
    }
}
