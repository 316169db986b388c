#!/bin/bash
# libFuzzer over the ingest layer (plain-text decoder, JSON/JSONL, XML, HTML, web records, DOCX).
# Not part of CI. Usage: scripts/fuzz/run.sh [SECONDS] [ingest|text]   (default 120 ingest)
# "text" fuzzes TextAnalyzer (normalization, alignment, sentences, words, structure) instead.
# Builds WenshuCore, CICUShim and WenshuIngest (+ ZIPFoundation) with -sanitize=fuzzer,address
# by hand into .build-fuzz/, seeds a corpus from the ingest fixtures and samples, and runs.
# Crashes are written to .build-fuzz/crash-* (reproduce: .build-fuzz/ingest-fuzzer FILE).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD; OUT=$ROOT/.build-fuzz; SECS=${1:-120}; WHAT=${2:-ingest}
mkdir -p "$OUT/obj" "$OUT/mod" "$OUT/corpus" "$OUT/icu"
ZIP=$(ls -d .build/checkouts/ZIPFoundation/Sources/ZIPFoundation 2>/dev/null || true)
[ -n "$ZIP" ] || { echo "run 'swift package resolve' first (needs ZIPFoundation's checkout)"; exit 1; }
XMLINC=$(pkg-config --cflags libxml-2.0)
SAN="-sanitize=fuzzer,address"
# C shim
cp Sources/CICUShim/include/wenshu_icu.h "$OUT/icu/"
printf 'module CICUShim {\n  header "wenshu_icu.h"\n  link "icui18n"\n  link "icuuc"\n  link "icudata"\n  export *\n}\n' > "$OUT/icu/module.modulemap"
clang -O1 -g -fsanitize=fuzzer-no-link,address -ISources/CICUShim/include -c Sources/CICUShim/wenshu_icu.c -o "$OUT/obj/icu.o"
common=(-g -Onone -swift-version 5 -parse-as-library -I "$OUT/mod" -I "$OUT/icu" -I Sources/CLibXML2 -I "${ZIP%/ZIPFoundation}/CZLib")
for f in $XMLINC; do common+=(-Xcc "$f"); done
build() { # module-name sources... (objects into OUT/obj/<name>.o)
  local name=$1; shift
  swiftc "${common[@]}" $SAN -module-name "$name" -emit-module -emit-module-path "$OUT/mod/$name.swiftmodule" \
    -wmo -c "$@" -o "$OUT/obj/$name.o"
}
build ZIPFoundation -Xcc -D_GNU_SOURCE=1 $ZIP/*.swift
build WenshuCore $(find Sources/WenshuCore -name '*.swift')
if [ "$WHAT" = text ]; then
  build WenshuText $(find Sources/WenshuText -name '*.swift')
  swiftc "${common[@]}" $SAN -module-name TextFuzzer scripts/fuzz/TextFuzzer.swift \
    "$OUT/obj/icu.o" "$OUT/obj/WenshuCore.o" "$OUT/obj/WenshuText.o" -licui18n -licuuc -licudata -o "$OUT/text-fuzzer"
  mkdir -p "$OUT/text-corpus"
  for f in Tests/WenshuTextTests/Fixtures/*.txt Tests/WenshuIngestTests/Fixtures/utf8*.txt samples/documents/criminal-theft-619.txt; do
    [ -f "$f" ] && head -c 8000 "$f" > "$OUT/text-corpus/seed-$(basename "$f")"
  done
  cd "$OUT"
  exec ./text-fuzzer -max_total_time="$SECS" -max_len=8192 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 text-corpus
fi
build WenshuIngest $(find Sources/WenshuIngest -name '*.swift')
swiftc "${common[@]}" $SAN -module-name IngestFuzzer scripts/fuzz/IngestFuzzer.swift \
  "$OUT/obj/icu.o" "$OUT/obj/ZIPFoundation.o" "$OUT/obj/WenshuCore.o" "$OUT/obj/WenshuIngest.o" \
  -lxml2 -licui18n -licuuc -licudata -lz -o "$OUT/ingest-fuzzer"
# Seed corpus: format byte + file (0 text, 1 json, 2 jsonl, 3 xml, 4 html, 5 web record, 6 docx).
i=0
for f in Tests/WenshuIngestTests/Fixtures/*.* Tests/WenshuIngestTests/Fixtures/bad/* samples/documents/*; do
  case "$f" in *.md|*.py) continue;; esac
  case "$f" in *.docx) k=6;; *.jsonl) k=2;; *web*.json|*wenshu-sample*) k=5;; *.json) k=1;; *.xml) k=3;; *.html) k=4;; *) k=0;; esac
  { printf "\\x$(printf %02x $k)"; cat "$f"; } > "$OUT/corpus/seed-$i"; i=$((i+1))
done
cd "$OUT"
# ZIPFoundation's Archive(url:) leaks the 24-byte C path from FileManager.fileSystemRepresentation
# once per archive opened (a known, bounded leak outside Wenshu); everything else is reported.
echo "leak:fileSystemRepresentation" > lsan.supp
LSAN_OPTIONS=suppressions=$OUT/lsan.supp ./ingest-fuzzer -max_total_time="$SECS" -max_len=16384 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 corpus
