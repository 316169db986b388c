import Foundation
import Logging

/// Sends swift-log output to stderr, once per process.
func bootstrapLogging() {
    LoggingSystem.bootstrap { label in
        var h = StreamLogHandler.standardError(label: label)
        h.logLevel = ProcessInfo.processInfo.environment["WENSHU_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        return h
    }
}
