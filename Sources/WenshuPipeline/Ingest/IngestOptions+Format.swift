import WenshuCore
import WenshuIngest

extension IngestOptions {
    /// Makes every file read as `format` instead of sniffing it.
    public mutating func forceFormat(_ format: DocumentFormat) {
        self.format = format
    }
}
