import Foundation
@testable import WenshuPipeline
import WenshuText

extension WatchTestSupport {
    /// The watch's real processor without a model: ingest (any format) and the text layer.
    static func textProcessor() throws -> PipelineInboxProcessor {
        PipelineInboxProcessor(processor: DocumentProcessor(analyzer: try TextAnalyzer(config: TextConfig()), model: nil))
    }
}
