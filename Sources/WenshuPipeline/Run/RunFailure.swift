import Foundation
import WenshuCore

/// A run that failed as a whole, with the summary of what it did before.
public struct RunFailure: Error, CustomStringConvertible, LocalizedError {
    public var error: WenshuError
    public var summary: RunSummary?
    public var description: String { error.description }
    public var errorDescription: String? { error.description }
}
