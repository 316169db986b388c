import Foundation
import WenshuCore
import WenshuIngest
import WenshuText
import WenshuModel
import WenshuEval

/// The version of the Wenshu tool, written into journals and summaries.
public enum WenshuVersion {
    public static let string = "0.1.0"
}
