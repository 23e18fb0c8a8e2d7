"""The one settings store the window and the ``starcoach`` command share; no Qt.

It owns where StarCoach keeps things and what it remembers:

- folders: the config folder (``STARCOACH_CONFIG_DIR`` moves it; the settings file and,
  when moved, the logs), the data folder (``STARCOACH_DATA_DIR`` moves it; history, the
  person's packs and the model store ``models/``) and the log folder, as ``platformdirs``
  places them on each system;
- the settings, one JSON object in ``<config folder>/settings.json``: the speech model
  (a name such as ``base.en`` or a folder; absent: the built-in one), the microphone, CPU
  threads, theme, the last question, level and lens, folders last used, reading follow-ups
  aloud and the window's geometry. :class:`Settings` is their typed view.

Reading never fails: a missing file is the defaults; a malformed one is the defaults too,
with one line logged (``starcoach: ...``, on stderr in the command line) and the file set
aside as ``settings.json.damaged`` when a setting next changes; a value of the wrong type
is its default. Writes are atomic (a temporary file renamed over the old one); keys this
version does not know are kept. The ``settings.json`` of older versions, in the data
folder, is taken over once (:meth:`SettingsStore.migrate`); the window takes over its
QSettings the same way (``starcoach.desktop.settings``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

CONFIG_ENV = "STARCOACH_CONFIG_DIR"
DATA_ENV = "STARCOACH_DATA_DIR"
FILE_NAME = "settings.json"
MAX_BYTES = 64 * 1024
THEMES = ("system", "light", "dark")
MIGRATED = "migrated"  # the sources already taken over, so each is taken over once
OLD_DATA_FILE = "data-folder settings.json"  # the source name of older versions' file

log = logging.getLogger("starcoach.settings")
_REPORTED: set[str] = set()  # problems already logged

# -- folders ------------------------------------------------------------------------------


def _app_name() -> str:
    """``StarCoach`` where folder names are capitalised, ``starcoach`` on Linux (as before)."""
    return "StarCoach" if sys.platform in ("win32", "darwin") else "starcoach"


def _override(env: str) -> Path | None:
    value = os.environ.get(env)
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """The per-user config folder: the settings file lives here."""
    override = _override(CONFIG_ENV)
    if override is not None:
        return override
    return Path(platformdirs.user_config_dir(_app_name(), appauthor=False, roaming=False))


def data_dir() -> Path:
    """The per-user data folder: history, imported packs and the model store."""
    override = _override(DATA_ENV)
    if override is not None:
        return override
    return Path(platformdirs.user_data_dir(_app_name(), appauthor=False, roaming=False))


def models_dir() -> Path:
    """The model store: one sub-folder per downloaded or copied-in speech model."""
    return data_dir() / "models"


def user_packs_dir() -> Path:
    """Where the person's imported question packs live."""
    return data_dir() / "packs"


def log_dir() -> Path:
    """The log folder, created on demand (``<config folder>/logs`` when that is moved)."""
    override = _override(CONFIG_ENV)
    if override is not None:
        path = override / "logs"
    else:
        path = Path(platformdirs.user_log_dir(_app_name(), appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_path() -> Path:
    """Where the settings live."""
    return config_dir() / FILE_NAME


# -- the settings -------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Everything StarCoach remembers, typed; each field's default is what a new person
    gets."""

    model: str | None = None  # speech model name or folder; None: the built-in one
    input_device: str | None = None  # microphone name; None: the system default
    threads: int = 0  # CPU threads for the speech model; 0: automatic
    theme: str = "system"  # one of THEMES
    question: str | None = None  # the question last chosen
    level: str = "mid"
    lens: str | None = None
    answers_dir: str | None = None  # the folder an answer file was last opened from
    export_dir: str | None = None  # the folder history was last exported to
    read_aloud: bool = True  # drills read each follow-up question aloud
    window_geometry: str | None = None  # the main window's saved geometry, base64


FIELDS = {f.name: f for f in dataclasses.fields(Settings)}


def _check(name: str, value: Any) -> Any:
    """``value`` as field ``name`` holds it (``None``, and ``""`` for text, is the default);
    raises ``ValueError`` when it does not fit."""
    default = FIELDS[name].default
    if value is None:
        return default
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
    elif isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    elif name == "theme":
        if value in THEMES:
            return value
    elif isinstance(value, str):
        return value if value.strip() else default
    raise ValueError(f"{name} cannot be {value!r}")


def _typed(raw: Mapping[str, Any]) -> tuple[Settings, list[str]]:
    """The settings in ``raw`` and the names of the fields that did not fit."""
    values, bad = {}, []
    for name in FIELDS:
        if name in raw:
            try:
                values[name] = _check(name, raw[name])
            except ValueError:
                bad.append(name)
    return Settings(**values), bad


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


class SettingsStore:
    """The settings file at ``path`` (default: :func:`settings_path`, read when used, so
    the environment can move it). Every read goes to the file, so what one process writes
    the next read in another sees."""

    def __init__(self, path: Path | str | None = None) -> None:
        self._path = Path(path) if path is not None else None
        self.problem: str | None = None  # the last read's one-line problem, if any
        self._no_old_file: Path | None = None  # an older version's file found absent here

    @property
    def path(self) -> Path:
        return self._path if self._path is not None else settings_path()

    # -- reading ---------------------------------------------------------------------
    @staticmethod
    def _read(path: Path) -> tuple[dict[str, Any], str | None]:
        """The file's object and, when it cannot be used, why (then the object is empty)."""
        from starcoach.rubric.safety import FileProblem, read_bounded

        if not path.exists():
            return {}, None
        try:
            value = json.loads(read_bounded(path, MAX_BYTES).decode("utf-8"))
        except FileProblem as exc:
            return {}, str(exc)
        except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, too deep
            return {}, f"not valid JSON: {exc}"
        if not isinstance(value, dict):
            return {}, "not a JSON object"
        return value, None

    def raw(self) -> dict[str, Any]:
        """The stored object as it is (older versions' file taken over first); ``{}`` when
        the file is missing or unusable, which :attr:`problem` then says."""
        path = self.path
        value, problem = self._read(path)
        self._report(path, problem)
        if problem is None:
            value = self._take_over_old_file(path, value)
        return value

    def load(self) -> Settings:
        """The settings; never raises (see the module's notes)."""
        settings, bad = _typed(self.raw())
        if bad and self.problem is None:
            self._say(f"starcoach: in the settings file {self.path}, {', '.join(bad)} "
                      "did not fit; using the default instead")
        return settings

    def _report(self, path: Path, problem: str | None) -> None:
        self.problem = None
        if problem is not None:
            self._say(f"starcoach: the settings file {path} cannot be used ({problem}); "
                      "using the defaults")

    def _say(self, message: str) -> None:
        self.problem = _one_line(message)
        if self.problem not in _REPORTED:  # once a process: every read meets it again
            _REPORTED.add(self.problem)
            log.warning("%s", self.problem)

    # -- writing ---------------------------------------------------------------------
    def remember(self, **changes: Any) -> bool:
        """:meth:`update` for what the window remembers as it goes (the question shown, a
        folder): a config folder that cannot be written is logged, never raised."""
        try:
            self.update(**changes)
        except OSError as exc:
            self._say(f"starcoach: cannot save the settings in {self.path} "
                      f"({exc.strerror or exc})")
            return False
        return True

    def update(self, **changes: Any) -> Settings:
        """Set the given fields (``None`` or ``""`` puts one back to its default), write
        the file atomically and return the settings now. Raises ``ValueError`` for an
        unknown field or a value that does not fit it, ``OSError`` when the config folder
        cannot be written (the old file then stays as it was)."""
        for name in changes:
            if name not in FIELDS:
                raise ValueError(f"unknown setting {name!r}")
        checked = {name: _check(name, value) for name, value in changes.items()}
        current = self.raw()
        if self.problem is not None:
            self._set_aside(self.path)
        for name, value in checked.items():
            if value == FIELDS[name].default:
                current.pop(name, None)
            else:
                current[name] = value
        self._write(current)
        return _typed(current)[0]

    def migrate(self, source: str, values: Mapping[str, Any]) -> bool:
        """Take over ``values`` (field → value) from an older place, once per ``source``:
        a field already in the file keeps its value, one that does not fit is dropped.
        Returns whether anything was written (``False`` too when it cannot be)."""
        current = self.raw()
        if self.problem is not None or source in self._sources(current):
            return False
        return self._merge(current, source, values)

    def _merge(self, current: dict[str, Any], source: str, values: Mapping[str, Any]) -> bool:
        for name, value in values.items():
            if name in FIELDS and name not in current:
                with contextlib.suppress(ValueError):
                    checked = _check(name, value)
                    if checked != FIELDS[name].default:
                        current[name] = checked
        current[MIGRATED] = [*self._sources(current), source]
        try:
            self._write(current)
        except OSError:
            return False
        return True

    def has_migrated(self, source: str) -> bool:
        """Whether ``source`` was taken over already (or cannot be now: a damaged file)."""
        current = self.raw()
        return self.problem is not None or source in self._sources(current)

    @staticmethod
    def _sources(current: Mapping[str, Any]) -> list[str]:
        done = current.get(MIGRATED)
        return [s for s in done if isinstance(s, str)] if isinstance(done, list) else []

    def _take_over_old_file(self, path: Path, current: dict[str, Any]) -> dict[str, Any]:
        """Older versions kept the model and microphone in ``<data folder>/settings.json``."""
        old = data_dir() / FILE_NAME
        if OLD_DATA_FILE in self._sources(current) or old == self._no_old_file:
            return current
        if not old.is_file():  # looked for once per folder, not on every read
            self._no_old_file = old
            return current
        try:
            if old.resolve() == path.resolve():
                return current
        except OSError:
            return current
        values, problem = self._read(old)
        if problem is None:
            merged = dict(current)
            if self._merge(merged, OLD_DATA_FILE, values):
                return merged
        return current

    def _set_aside(self, path: Path) -> None:
        """Keep a damaged file beside the new one instead of overwriting it."""
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                os.replace(path, path.with_name(path.name + ".damaged"))

    def _write(self, current: Mapping[str, Any]) -> None:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(dict(current), indent=2, sort_keys=True) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError:  # a full disk or read-only folder: the old file stays
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise


# -- shorthands for the speech settings (the CLI and ``speech`` read these) ---------------


def chosen_model(store: SettingsStore | None = None) -> str | None:
    """The model the person chose (name or folder), or ``None`` for the built-in one."""
    return (store or SettingsStore()).load().model


def choose_model(model: str | Path | None, store: SettingsStore | None = None) -> None:
    """Remember ``model`` (a name or folder) for the app and the CLI; ``None``/``""`` goes
    back to the built-in model. Raises ``OSError`` when it cannot be written."""
    (store or SettingsStore()).update(model=str(model) if model else None)


def chosen_device(store: SettingsStore | None = None) -> str | None:
    """The remembered microphone's name, or ``None`` for the system default."""
    return (store or SettingsStore()).load().input_device


def choose_device(name: str | None, store: SettingsStore | None = None) -> None:
    """Remember the microphone ``name`` (``None``/``""``: the system default)."""
    (store or SettingsStore()).update(input_device=name or None)
