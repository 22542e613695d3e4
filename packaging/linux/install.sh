#!/usr/bin/env bash
# Installs Hafiza for this user, no administrator rights: the program in
# ~/.local/lib/hafiza, the command `hafiza` in ~/.local/bin, a menu entry and the icon.
#
#     ./install.sh            (from the unpacked hafiza folder)
#     ./install.sh --uninstall
#
# Your progress and settings live elsewhere (~/.local/share/Hafiza, ~/.config/Hafiza):
# installing again or uninstalling never touches them.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
TARGET="$HOME/.local/lib/hafiza"
BIN="$HOME/.local/bin"
DESKTOP="$DATA/applications/hafiza.desktop"
ICONS="$DATA/icons/hicolor"

refresh_menus() {
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$ICONS" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$TARGET"
    rm -f "$BIN/hafiza" "$DESKTOP" "$ICONS/256x256/apps/hafiza.png" "$ICONS/scalable/apps/hafiza.svg"
    refresh_menus
    echo "Hafiza is uninstalled. Your progress is still in $DATA/Hafiza."
    exit 0
fi

[ -x "$HERE/hafiza" ] || { echo "install.sh: run it from the unpacked hafiza folder" >&2; exit 1; }
if [ "$HERE" != "$TARGET" ]; then
    rm -rf "$TARGET.new"
    mkdir -p "$(dirname "$TARGET")"
    cp -a "$HERE" "$TARGET.new"
    rm -rf "$TARGET"
    mv "$TARGET.new" "$TARGET"
fi
mkdir -p "$BIN" "$(dirname "$DESKTOP")" "$ICONS/256x256/apps" "$ICONS/scalable/apps"
ln -sfn "$TARGET/hafiza" "$BIN/hafiza"
cp "$TARGET/_internal/hafiza/icon.png" "$ICONS/256x256/apps/hafiza.png"
cp "$TARGET/_internal/hafiza/icon.svg" "$ICONS/scalable/apps/hafiza.svg"
sed "s|@EXEC@|\"$TARGET/hafiza\"|" "$TARGET/hafiza.desktop" > "$DESKTOP"
chmod 644 "$DESKTOP"
refresh_menus
echo "Hafiza is installed: find it in your applications menu, or run: $BIN/hafiza"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "(add $BIN to your PATH to type 'hafiza' in a terminal)";; esac
