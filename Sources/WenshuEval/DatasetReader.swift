import Foundation
import WenshuCore
import WenshuModel

/// The labelled-set formats Wenshu reads (the datasets of ../shared/data and a generic form).
public enum DatasetFormat: String, Codable, Sendable, CaseIterable {
    case generic
}
