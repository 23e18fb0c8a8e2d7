#!/usr/bin/env bash
# Build StarCoach.app on macOS, sign it with the hardened runtime and the audio-input
# entitlement, and wrap it in a DMG (optionally notarized and stapled).
#
#   packaging/macos/build.sh
#
# Environment:
#   PYTHON                 Python 3.11+ to build with (python.org universal2 installer or
#                          Homebrew; default python3). The app runs on the build machine's
#                          architecture (arm64 or x86_64): build once on each.
#   CODESIGN_IDENTITY      "Developer ID Application: NAME (TEAMID)" for distribution;
#                          default "-" (ad-hoc: runs on this Mac only, Gatekeeper rejects it).
#   NOTARY_PROFILE         a `xcrun notarytool store-credentials` profile name: when set, the
#                          DMG is notarized and the ticket stapled.
#   STARCOACH_BUILD_VENV   build venv (default build/venv-macos; reused between builds).
#
# Why the entitlements matter: under the hardened runtime an app without
# com.apple.security.device.audio-input records silence when started from Finder, and
# Info.plist's NSMicrophoneUsageDescription (set in packaging/starcoach.spec) is the text of
# the permission prompt. See entitlements.plist for the other two.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${STARCOACH_BUILD_VENV:-$REPO/build/venv-macos}"
IDENTITY="${CODESIGN_IDENTITY:--}"
ENTITLEMENTS="$HERE/entitlements.plist"
APP="$REPO/dist/StarCoach.app"
DMG="$REPO/dist/StarCoach.dmg"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
[[ "$(uname -s)" == Darwin ]] || { echo "macos/build.sh runs on macOS" >&2; exit 2; }

if [[ ! -x "$VENV/bin/python" ]]; then
    say "creating build venv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
BPY="$VENV/bin/python"
say "installing pyinstaller and StarCoach"
"$BPY" -m pip install --quiet --upgrade "pyinstaller>=6.10"
"$BPY" -m pip install --quiet "$REPO"
"$BPY" -m pip install --quiet --force-reinstall --no-deps "$REPO"

say "making the icon"
ICONSET="$REPO/build/StarCoach.iconset"
rm -rf "$ICONSET"
"$BPY" "$REPO/packaging/render_icons.py" iconset "$ICONSET"
iconutil -c icns "$ICONSET" -o "$REPO/build/StarCoach.icns"

say "running PyInstaller"
rm -rf "$APP" "$DMG"
mkdir -p "$REPO/build"
(cd "$REPO/build" && STARCOACH_ICNS="$REPO/build/StarCoach.icns" \
    "$BPY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$REPO/dist" --workpath "$REPO/build/pyinstaller" \
    "$REPO/packaging/starcoach.spec")
test -d "$APP"
/usr/libexec/PlistBuddy -c "Print :NSMicrophoneUsageDescription" "$APP/Contents/Info.plist"

say "signing with $IDENTITY (hardened runtime)"
# Inside out: every Mach-O file first (no entitlements), then the main executable and the
# bundle with the entitlements. --deep is not used: it signs in no defined order and applies
# the entitlements to every nested binary.
timestamp=(--timestamp)  # (the odd expansions below keep macOS's bash 3.2 happy with set -u)
[[ "$IDENTITY" == "-" ]] && timestamp=()
while IFS= read -r -d '' f; do
    if file -b "$f" | grep -q 'Mach-O'; then
        codesign --force --options runtime ${timestamp[@]+"${timestamp[@]}"} --sign "$IDENTITY" "$f"
    fi
done < <(find "$APP/Contents/Frameworks" "$APP/Contents/Resources" -type f -print0)
codesign --force --options runtime ${timestamp[@]+"${timestamp[@]}"} --entitlements "$ENTITLEMENTS" \
    --sign "$IDENTITY" "$APP/Contents/MacOS/starcoach"
codesign --force --options runtime ${timestamp[@]+"${timestamp[@]}"} --entitlements "$ENTITLEMENTS" \
    --sign "$IDENTITY" "$APP"
codesign --verify --deep --strict --verbose=2 "$APP"
codesign -d --entitlements - "$APP" | grep -q 'com.apple.security.device.audio-input'

say "smoke test"
SAMPLE="$REPO/build/sample-answer.txt"
echo "I fixed the nightly import failure myself. Failures dropped from five a week to zero." \
    > "$SAMPLE"
env -i HOME="$HOME" PATH=/usr/bin:/bin "$APP/Contents/MacOS/starcoach" analyze "$SAMPLE" --json \
    | grep -q '"schema": 1'
rm -f "$SAMPLE"

say "making $DMG"
STAGE="$REPO/build/dmg"
rm -rf "$STAGE" && mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname StarCoach -srcfolder "$STAGE" -ov -format UDZO "$DMG"
if [[ "$IDENTITY" != "-" ]]; then
    codesign --force --timestamp --sign "$IDENTITY" "$DMG"
fi

if [[ -n "${NOTARY_PROFILE:-}" ]]; then
    [[ "$IDENTITY" != "-" ]] || { echo "notarization needs a Developer ID identity" >&2; exit 2; }
    say "notarizing (profile $NOTARY_PROFILE)"
    xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
    xcrun stapler staple "$APP"
    spctl --assess --type execute --verbose=2 "$APP"
fi

say "done: $APP ($(du -sh "$APP" | cut -f1)), $DMG"
