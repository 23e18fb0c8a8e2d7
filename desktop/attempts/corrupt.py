"""Recognising an unusable history database and setting it aside, never deleting it."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

from starcoach.desktop.attempts.records import HistoryError

CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
CANTOPEN = 14
BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED


class UnusableDatabase(sqlite3.DatabaseError):
    """A database SQLite can open but StarCoach cannot use (empty file, a schema version it
    never wrote, missing tables or columns): set aside like a corrupt one."""


def error_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def unusable(path: Path, exc: sqlite3.DatabaseError) -> bool:
    """The file is damaged, not a database, or unreadable (not merely locked)."""
    if isinstance(exc, UnusableDatabase):
        return True
    code = error_code(exc)
    if code in CORRUPT_CODES:
        return True
    text = str(exc).lower()
    if "malformed" in text or "not a database" in text:
        return True
    return code == CANTOPEN and path.exists() and not os.access(path, os.R_OK)


def set_aside(path: Path, exc: sqlite3.DatabaseError, db: sqlite3.Connection | None,
              audio_dir: Path) -> tuple[Path | None, str]:
    """Rename the unusable file (and its WAL) to ``*.corrupt-<timestamp>``, keeping every
    byte; returns where it went (``None`` if another process moved it first) and a
    sentence for the person.

    SQLite removes a WAL it cannot use when the connection closes, so the side files are
    copied aside before ``db`` is closed.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    sides = [(path.with_name(path.name + suffix), target.with_name(target.name + suffix))
             for suffix in ("-wal", "-shm", "-journal")]
    try:
        for side, aside in sides:
            if side.exists():
                shutil.copy2(side, aside)
    except OSError:
        pass  # best effort; the renames below still run
    if db is not None:
        db.close()
    try:
        os.replace(path, target)
    except FileNotFoundError:  # another StarCoach set it aside first
        return None, ("The attempt history database was unreadable and another StarCoach "
                      "window set it aside; a new history was started.")
    except OSError as err:
        raise HistoryError(f"the history database {path} is unreadable ({exc}) and cannot be "
                           f"moved aside: {err.strerror or err}") from None
    for side, aside in sides:  # a stale WAL must never meet the new database
        with contextlib.suppress(FileNotFoundError):
            os.replace(side, aside)
    what = "could not be used" if isinstance(exc, UnusableDatabase) else "was unreadable"
    return target, (f"The attempt history database {what} ({exc}). It was kept as "
                    f"{target} and a new, empty history was started; your recordings are "
                    f"still in {audio_dir}.")
