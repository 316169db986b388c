import Foundation
import WenshuCore

/// A run of Unicode scalars encoded as UTF-16 for ICU, with the offset maps between
/// UTF-16 code units and scalars (supplementary characters take two code units).
struct UTF16Text {
    /// The UTF-16 code units.
    let units: [UInt16]
    /// `scalarIndex[u]` is the scalar index of the scalar that code unit `u` belongs to;
    /// `scalarIndex[units.count]` is the scalar count.
    let scalarIndex: [Int]
    /// `unitOffset[s]` is the first code unit of scalar `s`; `unitOffset[count]` is `units.count`.
    let unitOffset: [Int]

    init<S: Collection>(_ scalars: S) where S.Element == Unicode.Scalar {
        var units = [UInt16](); units.reserveCapacity(scalars.count + 8)
        var scalarIndex = [Int](); scalarIndex.reserveCapacity(scalars.count + 9)
        var unitOffset = [Int](); unitOffset.reserveCapacity(scalars.count + 1)
        var s = 0
        for scalar in scalars {
            unitOffset.append(units.count)
            for u in UTF16.encode(scalar)! { units.append(u); scalarIndex.append(s) }
            s += 1
        }
        unitOffset.append(units.count)
        scalarIndex.append(s)
        self.units = units; self.scalarIndex = scalarIndex; self.unitOffset = unitOffset
    }

    /// The scalar offset for a UTF-16 offset that lies on a scalar boundary (or the end).
    /// An offset inside a surrogate pair rounds down to its scalar.
    func scalarOffset(utf16 u: Int) -> Int { scalarIndex[max(0, min(u, units.count))] }

    /// Decodes UTF-16 code units into scalars (lone surrogates become U+FFFD).
    static func scalars(_ units: ArraySlice<UInt16>) -> [Unicode.Scalar] {
        var out = [Unicode.Scalar](); out.reserveCapacity(units.count)
        for r in Unicode.decode(units) { out.append(r) }
        return out
    }
}

extension Unicode {
    /// Decodes UTF-16 with replacement of invalid sequences.
    static func decode(_ units: ArraySlice<UInt16>) -> [Unicode.Scalar] {
        var out = [Unicode.Scalar]()
        var it = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let v): out.append(v)
            case .emptyInput: break loop
            case .error: out.append("\u{FFFD}")
            }
        }
        return out
    }
}
