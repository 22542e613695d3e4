#!/usr/bin/env bash
# Wraps dist/Hafiza.app in a compressed disk image with a link to /Applications, the usual
# drag-to-install window. macOS only (hdiutil); packaging/build.py calls it there.
#
#     bash packaging/macos/make_dmg.sh dist/Hafiza.app VERSION
set -euo pipefail
APP="$1"
VERSION="$2"
OUT="$(dirname "$APP")/Hafiza-$VERSION-macos.dmg"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$OUT"
hdiutil create -volname "Hafiza $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$OUT"
echo "wrote $OUT"
