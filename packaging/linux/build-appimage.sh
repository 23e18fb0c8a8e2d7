#!/usr/bin/env bash
# Wrap the Linux bundle (dist/starcoach/, from packaging/build-linux.sh) as an AppImage.
#
#   packaging/linux/build-appimage.sh            # builds the bundle first if it is missing
#
# Always makes the AppDir (build/StarCoach.AppDir: AppRun, starcoach.desktop, icon,
# usr/lib/starcoach/ = the bundle). If appimagetool is found (on PATH or $APPIMAGETOOL)
# it then writes dist/StarCoach-<version>-x86_64.AppImage; otherwise it says where to get
# appimagetool and stops there (the AppDir itself runs: build/StarCoach.AppDir/AppRun).
#
# appimagetool: https://github.com/AppImage/appimagetool/releases (a single AppImage; make it
# executable; where FUSE is missing run it with --appimage-extract-and-run, which this script
# does by setting APPIMAGE_EXTRACT_AND_RUN=1).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BUNDLE="$REPO/dist/starcoach"
APPDIR="$REPO/build/StarCoach.AppDir"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$REPO/pyproject.toml" | head -1)"
ARCH="$(uname -m)"
OUT="$REPO/dist/StarCoach-$VERSION-$ARCH.AppImage"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if [[ ! -x "$BUNDLE/starcoach" ]]; then
    say "no bundle yet: running packaging/build-linux.sh"
    "$REPO/packaging/build-linux.sh"
fi

say "making $APPDIR"
rm -rf "$APPDIR"
mkdir -p "$APPDIR/usr/lib" "$APPDIR/usr/bin" "$APPDIR/usr/share/applications" \
         "$APPDIR/usr/share/icons/hicolor/256x256/apps" "$APPDIR/usr/share/icons/hicolor/scalable/apps"
cp -a "$BUNDLE" "$APPDIR/usr/lib/starcoach"
ln -s ../lib/starcoach/starcoach "$APPDIR/usr/bin/starcoach"
cp "$HERE/starcoach.desktop" "$APPDIR/starcoach.desktop"
cp "$HERE/starcoach.desktop" "$APPDIR/usr/share/applications/starcoach.desktop"
cp "$HERE/starcoach.png" "$APPDIR/starcoach.png"
cp "$HERE/starcoach.png" "$APPDIR/usr/share/icons/hicolor/256x256/apps/starcoach.png"
cp "$HERE/starcoach.svg" "$APPDIR/usr/share/icons/hicolor/scalable/apps/starcoach.svg"
ln -s starcoach.png "$APPDIR/.DirIcon"
cat > "$APPDIR/AppRun" <<'EOF'
#!/bin/sh
# AppImage entry point: `StarCoach.AppImage` opens the app, `StarCoach.AppImage analyze …`
# (and every other subcommand) works like the installed `starcoach` command.
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/usr/lib/starcoach/starcoach" "$@"
EOF
chmod +x "$APPDIR/AppRun"

say "checking the AppDir runs"
SAMPLE="$REPO/build/sample-answer.txt"
echo "I fixed the nightly import failure myself. Failures dropped from five a week to zero." \
    > "$SAMPLE"
env -i HOME="${HOME:-/tmp}" PATH=/usr/bin:/bin LANG=C.UTF-8 "$APPDIR/AppRun" analyze "$SAMPLE" --json \
    | grep -q '"schema": 1'

TOOL="${APPIMAGETOOL:-$(command -v appimagetool || command -v appimagetool-"$ARCH".AppImage || true)}"
if [[ -z "$TOOL" ]]; then
    echo "appimagetool not found: the AppDir is ready at $APPDIR." >&2
    echo "Get appimagetool-$ARCH.AppImage from https://github.com/AppImage/appimagetool/releases," >&2
    echo "then: APPIMAGETOOL=/path/to/appimagetool-$ARCH.AppImage $0" >&2
    exit 0
fi
say "running $TOOL"
rm -f "$OUT"
ARCH="$ARCH" APPIMAGE_EXTRACT_AND_RUN=1 "$TOOL" --no-appstream "$APPDIR" "$OUT"
chmod +x "$OUT"
say "done: $OUT ($(du -h "$OUT" | cut -f1))"
