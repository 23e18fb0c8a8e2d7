"""The settings the app and the ``starcoach`` command share: one JSON file, no Qt.

``<user data folder>/settings.json`` (``STARCOACH_DATA_DIR`` moves it) holds the chosen
speech model (``"model"``: a known name such as ``base.en`` or a model folder; absent means
the built-in model) and the remembered microphone (``"input_device"``). The window's
Settings dialog, its download dialog and ``starcoach models use`` write it; ``starcoach
analyze``, ``record`` and the window read it, so a choice made in one is seen by the other.
Everything else the window remembers (geometry, theme, last question) stays in QSettings.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from starcoach.speech.models import data_dir

FILE_NAME = "settings.json"
MODEL = "model"
INPUT_DEVICE = "input_device"


def settings_path() -> Path:
    """Where the shared settings live."""
    return data_dir() / FILE_NAME


def load() -> dict[str, Any]:
    """Every stored setting; an absent, unreadable, malformed, oversized (over 64 kB) or
    not-a-regular file reads as empty (a damaged file is rewritten on the next change)."""
    from starcoach.rubric.safety import FileProblem, read_bounded

    try:
        value = json.loads(read_bounded(settings_path(), 64 * 1024).decode("utf-8"))
    except (FileProblem, OSError, ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def update(**values: Any) -> None:
    """Set the given keys (``None`` removes one), written atomically next to the file.

    Raises ``OSError`` when the data folder cannot be written.
    """
    current = load()
    for key, value in values.items():
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(current, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a full disk or read-only folder: leave the old file, no .tmp behind
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def chosen_model() -> str | None:
    """The model the person chose (name or folder), or ``None`` for the built-in one."""
    value = load().get(MODEL)
    return str(value) if isinstance(value, str) and value.strip() else None


def choose_model(model: str | Path | None) -> None:
    """Remember ``model`` (a name or folder) for the app and the CLI; ``None``/``""`` goes
    back to the built-in model."""
    update(**{MODEL: str(model) if model else None})


def chosen_device() -> str | None:
    """The remembered microphone's name, or ``None`` for the system default."""
    value = load().get(INPUT_DEVICE)
    return str(value) if isinstance(value, str) and value else None


def choose_device(name: str | None) -> None:
    """Remember the microphone ``name`` (``None``/``""``: the system default)."""
    update(**{INPUT_DEVICE: name or None})
