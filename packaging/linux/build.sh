#!/usr/bin/env bash
# Builds the Linux one-folder bundle and its tarball (and an AppImage where appimagetool is on PATH).
#
#   packaging/linux/build.sh               dist/qvupload/ and dist/qvupload-VERSION-linux-ARCH.tar.gz
#   packaging/linux/build.sh --reference   also dist/reference-window/ (the empty-window start-up reference)
#   packaging/linux/build.sh --appimage    also dist/qvupload-VERSION-ARCH.AppImage (needs appimagetool)
#
# Python: $PYTHON, else .venv/bin/python, with PyInstaller installed (pip install -e '.[build]').
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
reference=0 appimage=0
for arg in "$@"; do
  case "$arg" in
    --reference) reference=1 ;;
    --appimage) appimage=1 ;;
    *) echo "usage: $0 [--reference] [--appimage]" >&2; exit 2 ;;
  esac
done
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "PyInstaller is not installed for $PY: run  $PY -m pip install -e '.[build]'" >&2
  exit 1
fi
version=$("$PY" -c "import qvupload; print(qvupload.__version__)")
arch=$(uname -m)
work=${PYI_WORKPATH:-build/pyinstaller}

start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath "$work" \
  packaging/pyinstaller/qvupload.spec
echo "== bundle: dist/qvupload ($(du -sh dist/qvupload | cut -f1), built in $(( $(date +%s) - start ))s)"

if [ "$reference" = 1 ]; then
  "$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath "$work" \
    packaging/pyinstaller/reference.spec
  echo "== reference: dist/reference-window ($(du -sh dist/reference-window | cut -f1))"
fi

# tarball: the bundle, the desktop entry, the icon, the AppStream metadata and a per-user installer
stage=build/linux-tarball/qvupload-$version
rm -rf build/linux-tarball && mkdir -p "$stage"
cp -a dist/qvupload "$stage/qvupload"
cp resources/qvupload.desktop resources/qvupload.svg resources/io.github.qvupload.qvupload.metainfo.xml \
  packaging/linux/install.sh "$stage/"
tarball=dist/qvupload-$version-linux-$arch.tar.gz
tar -C build/linux-tarball -czf "$tarball" "qvupload-$version"
echo "== tarball: $tarball ($(du -h "$tarball" | cut -f1))"

if [ "$appimage" = 1 ]; then
  appdir=build/qvupload.AppDir
  rm -rf "$appdir" && mkdir -p "$appdir/usr/share/metainfo"
  cp -a dist/qvupload "$appdir/usr/lib-qvupload"
  cp resources/qvupload.desktop resources/qvupload.svg "$appdir/"
  cp resources/io.github.qvupload.qvupload.metainfo.xml "$appdir/usr/share/metainfo/"
  cp packaging/linux/AppRun "$appdir/AppRun" && chmod +x "$appdir/AppRun"
  if command -v appimagetool >/dev/null; then
    ARCH=$arch appimagetool --no-appstream "$appdir" "dist/qvupload-$version-$arch.AppImage"
    echo "== AppImage: dist/qvupload-$version-$arch.AppImage"
  else
    echo "appimagetool is not on PATH: the AppDir is ready in $appdir (run: appimagetool $appdir)" >&2
    exit 1
  fi
fi
