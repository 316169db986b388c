#!/usr/bin/env bash
# Installs Wenshu under a prefix:
#   PREFIX/bin/wenshu                        the release binary
#   PREFIX/share/wenshu/models/default       the default model bundle (found by the binary from any folder)
#   PREFIX/share/wenshu/pipelines, schemas   the example pipelines and the output JSON Schemas
#
# usage: scripts/install.sh PREFIX            e.g. scripts/install.sh /usr/local, or ~/.local
#        scripts/install.sh --debug PREFIX    install the debug build instead (quick, for trying it out)
# The release build takes about 8 minutes on two cores the first time. The binary links the Swift
# runtime of the toolchain that built it; set WENSHU_STATIC_STDLIB=1 to link it in statically
# (a larger binary that runs on machines without Swift; a separate, full rebuild).
# A model is then found in this order: --model DIR, WENSHU_MODEL, PREFIX/share/wenshu/models/default
# beside the binary, ./models/default.
set -euo pipefail
CONFIG=release
if [ "${1:-}" = "--debug" ]; then CONFIG=debug; shift; fi
PREFIX="${1:?usage: scripts/install.sh [--debug] PREFIX}"
cd "$(dirname "$0")/.."
FLAGS=(-c "$CONFIG")
if [ "${WENSHU_STATIC_STDLIB:-}" = 1 ]; then FLAGS+=(--static-swift-stdlib); fi
swift build "${FLAGS[@]}" --product wenshu
BIN="$(swift build "${FLAGS[@]}" --show-bin-path)/wenshu"

mkdir -p "$PREFIX/bin" "$PREFIX/share/wenshu/models"
PREFIX="$(cd "$PREFIX" && pwd)"
install -m 0755 "$BIN" "$PREFIX/bin/wenshu.new" && mv -f "$PREFIX/bin/wenshu.new" "$PREFIX/bin/wenshu"
# Replace the bundle as a whole, never leaving a half-copied one under the final name.
DEST="$PREFIX/share/wenshu/models/default"
rm -rf "$DEST.new" && cp -R models/default "$DEST.new" && rm -rf "$DEST" && mv "$DEST.new" "$DEST"
for d in pipelines schemas; do rm -rf "$PREFIX/share/wenshu/$d" && cp -R "$d" "$PREFIX/share/wenshu/$d"; done
echo "installed $PREFIX/bin/wenshu ($CONFIG) and the default model in $DEST"
case ":$PATH:" in *":$PREFIX/bin:"*) ;; *) echo "add $PREFIX/bin to PATH to run it as 'wenshu'";; esac
(cd / && env -u WENSHU_MODEL "$PREFIX/bin/wenshu" model inspect > /dev/null) && echo "check: from /, wenshu model inspect finds the installed model"
