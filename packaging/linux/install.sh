#!/bin/sh
# Installs qvupload for this user only (no root): the program under ~/.local/opt/qvupload, the
# command in ~/.local/bin, a menu entry and its icon. Run it from the unpacked tarball:
#   ./install.sh            install (or update)
#   ./install.sh --remove   uninstall (your profiles, queue and ledger stay in ~/.config and ~/.local/share)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
opt=$HOME/.local/opt/qvupload
bin=$HOME/.local/bin
if [ "${1:-}" = "--remove" ]; then
  rm -rf "$opt" "$bin/qvupload" "$data/applications/qvupload.desktop" \
    "$data/icons/hicolor/scalable/apps/qvupload.svg" "$data/metainfo/io.github.qvupload.qvupload.metainfo.xml"
  echo "qvupload is removed."
  exit 0
fi
mkdir -p "$opt" "$bin" "$data/applications" "$data/icons/hicolor/scalable/apps" "$data/metainfo"
rm -rf "$opt" && cp -a "$here/qvupload" "$opt"
ln -sf "$opt/qvupload" "$bin/qvupload"
sed "s|^Exec=qvupload|Exec=$opt/qvupload|" "$here/qvupload.desktop" > "$data/applications/qvupload.desktop"
cp "$here/qvupload.svg" "$data/icons/hicolor/scalable/apps/qvupload.svg"
cp "$here/io.github.qvupload.qvupload.metainfo.xml" "$data/metainfo/"
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" 2>/dev/null || true
echo "qvupload is installed: start it from the applications menu, or run $bin/qvupload"
