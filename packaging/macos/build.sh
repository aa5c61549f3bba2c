#!/usr/bin/env bash
# Builds qvupload.app and a DMG on macOS. From the repository root:
#   python3 -m venv .venv && .venv/bin/pip install -e '.[build]' && packaging/macos/build.sh
# Signs and notarizes only when asked: QVUPLOAD_SIGN_IDENTITY ("Developer ID Application: ..."),
# and for notarization QVUPLOAD_NOTARY_PROFILE (a profile saved with `xcrun notarytool store-credentials`).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
version=$("$PY" -c "import qvupload; print(qvupload.__version__)")

rm -rf build/icons && "$PY" packaging/render_icons.py --iconset build/icons/qvupload.iconset
iconutil -c icns build/icons/qvupload.iconset -o build/icons/qvupload.icns
"$PY" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/pyinstaller/qvupload.spec
app=dist/qvupload.app
plutil -lint "$app/Contents/Info.plist"

if [ -n "${QVUPLOAD_SIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$QVUPLOAD_SIGN_IDENTITY" "$app"
  codesign --verify --strict --verbose=2 "$app"
fi

dmg=dist/qvupload-$version-macos-$(uname -m).dmg
stage=build/dmg && rm -rf "$stage" && mkdir -p "$stage"
cp -R "$app" "$stage/" && ln -s /Applications "$stage/Applications"  # drag qvupload onto Applications
rm -f "$dmg"
hdiutil create -volname "qvupload $version" -srcfolder "$stage" -fs HFS+ -format UDZO "$dmg"
if [ -n "${QVUPLOAD_SIGN_IDENTITY:-}" ]; then
  codesign --sign "$QVUPLOAD_SIGN_IDENTITY" --timestamp "$dmg"
  if [ -n "${QVUPLOAD_NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$QVUPLOAD_NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
  fi
fi
echo "== app: $app; disk image: $dmg"
