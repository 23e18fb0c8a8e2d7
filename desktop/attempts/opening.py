"""Opening the history file: what must be refused untouched, what is set aside, how a
fresh database is made, and the schema checks every connection passes. No Qt here."""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import stat
import time
from pathlib import Path

from starcoach.desktop.attempts.corrupt import BUSY_CODES, UnusableDatabase, error_code
from starcoach.desktop.attempts.records import HistoryError
from starcoach.desktop.attempts.rows import lenient_text
from starcoach.desktop.attempts.schema import (
    SCHEMA_VERSION,
    SchemaTooNew,
    check_tables,
    migrate,
    user_version,
)


def connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    """A connection to an existing file (``mode=rw``: SQLite never creates one here, so
    a file that vanished is an error, not a silent new history)."""
    uri = path.absolute().as_uri() + "?mode=rw"
    db = sqlite3.connect(uri, uri=True, timeout=busy_timeout_s, isolation_level=None,
                         check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.text_factory = lenient_text  # a damaged byte must not make a whole row unreadable
    return db


def file_damage(path: Path) -> sqlite3.DatabaseError | None:
    """What is wrong with the file at ``path`` before SQLite sees it: ``HistoryError``
    for what must not be touched (a folder, a dangling link, a device, a read-only
    file), a ``DatabaseError`` to set aside for an empty file, ``None`` when it is fine
    or absent."""
    if not os.path.lexists(path):
        return None
    if path.is_symlink() and not path.exists():
        raise HistoryError(f"the history database {path} is a link to "
                           f"{os.readlink(path)}, which does not exist; restore that "
                           "file or remove the link")
    try:
        info = path.stat()
    except OSError as exc:
        raise HistoryError(f"cannot open the history database {path}: "
                           f"{exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise HistoryError(f"the history database {path} is a folder, not a file; move "
                           "it away and start StarCoach again")
    if not stat.S_ISREG(info.st_mode):
        raise HistoryError(f"the history database {path} is not a regular file")
    if not os.access(path, os.R_OK | os.W_OK):
        raise HistoryError(f"the history database {path} is read-only or unreadable "
                           "(check its permissions)")
    wal = path.with_name(path.name + "-wal")
    if info.st_size == 0 and not (wal.is_file() and wal.stat().st_size > 0):
        return UnusableDatabase("the file is empty (0 bytes)")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise HistoryError(f"cannot read the history database {path}: "
                           f"{exc.strerror or exc}") from None
    if header.startswith(b"SQLite format 3\0") and len(header) == 100 and (
            header[18] not in (1, 2) or header[19] not in (1, 2)):
        # SQLite opens such a file read-only and fails on the first write
        return UnusableDatabase(f"its header names file format {header[18]}/"
                                f"{header[19]}, which SQLite cannot write")
    return None


def create(path: Path, busy_timeout_s: float) -> None:
    """Create an empty, current-schema WAL database at ``path`` atomically: built under
    a temporary name and linked into place, so no other process ever sees a half-made
    (zero-length) file; if another process created one first, theirs is kept."""
    tmp = path.parent / f".{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        sqlite3.connect(tmp).close()  # the file must exist for mode=rw
        db = connect(tmp, busy_timeout_s)
        try:
            prepare(db, busy_timeout_s)
        finally:
            db.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another StarCoach created it meanwhile: use theirs
        except OSError:  # a file system without hard links
            if not os.path.lexists(path):
                os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise HistoryError(f"cannot create the history database {path}: "
                           f"{reason}") from None
    finally:
        for side in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{tmp}{side}")


def prepare_patiently(db: sqlite3.Connection, busy_timeout_s: float) -> None:
    """``prepare``, retried while another process holds a lock SQLite will not wait on.

    (Switching a new file to WAL, or a lock upgrade, can fail with "database is locked"
    at once instead of calling the busy handler.)
    """
    deadline = time.monotonic() + busy_timeout_s
    pause = 0.005
    while True:
        try:
            prepare(db, busy_timeout_s)
            return
        except sqlite3.OperationalError as exc:
            if error_code(exc) not in BUSY_CODES or time.monotonic() > deadline:
                raise
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")  # a failed migration may have left one open
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def prepare(db: sqlite3.Connection, busy_timeout_s: float) -> None:
    """Set the connection up (busy timeout, WAL), check and migrate the schema, and run a
    quick integrity check; raises what ``HistoryStore`` turns into a set-aside or a refusal."""
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
    version = user_version(db)  # reads the header: "not a database" shows here
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the history database is schema version {version}; this StarCoach knows "
            f"up to {SCHEMA_VERSION}: update StarCoach to open it")
    if version < 0:
        raise UnusableDatabase(f"schema version {version} is not one StarCoach writes")
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise HistoryError(f"the history database cannot use WAL mode ({mode})")
    db.execute("PRAGMA synchronous = NORMAL")  # WAL: durable up to the last checkpoint
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        migrate(db)
    except sqlite3.OperationalError as exc:
        if error_code(exc) in BUSY_CODES:
            raise
        # e.g. "duplicate column": the tables do not match the version in the header
        raise UnusableDatabase(f"its tables do not match schema version {version} "
                               f"({exc})") from None
    missing = check_tables(db)
    if missing:
        raise UnusableDatabase(missing)
    # Reads every page of the attempts table's index and list columns: catches a damaged
    # file at open rather than on the first scroll. Cost: see benchmarks/history_open.py.
    row = db.execute("PRAGMA quick_check(1)").fetchone()
    if row is None or row[0] != "ok":
        detail = row[0] if row else "?"
        raise sqlite3.DatabaseError(f"database disk image is malformed ({detail})")
