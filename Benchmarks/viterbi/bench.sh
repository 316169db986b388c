#!/usr/bin/env bash
# Viterbi decode time per 1,000 characters, before (scalar predecessor lists) and after
# (vectorised over the tag structure), for 11, 21, 159 (and 41 BIOES) tags.
# Compiles the library's LinearChainCRF.swift and TagScheme.swift with main.swift (-O), without
# building the package: the one WenshuTensor function the CRF file uses is given by shim.swift.
set -euo pipefail
cd "$(dirname "$0")"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for f in LinearChainCRF TagScheme; do
  grep -v '^import WenshuTensor' "../../Sources/WenshuModel/Heads/$f.swift" > "$TMP/$f.swift"
done
cat > "$TMP/shim.swift" <<'SWIFT'
import Foundation
func logSumExp(_ x: [Double]) -> Double {
    let m = x.max() ?? -Double.infinity
    if m == -Double.infinity { return m }
    return m + log(x.reduce(0) { $0 + exp($1 - m) })
}
SWIFT
swiftc -O -module-name ViterbiBench "$TMP/LinearChainCRF.swift" "$TMP/TagScheme.swift" "$TMP/shim.swift" main.swift -o "$TMP/bench"
"$TMP/bench"
