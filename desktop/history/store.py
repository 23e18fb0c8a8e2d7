"""The attempt store: SQLite (WAL) with the attempts' audio files beside it.

One row per attempt. A recording is registered *before* it starts (``begin_attempt``,
status ``recording``) so a crash leaves a row pointing at the partial FLAC, which
``recover`` marks ``recovered`` on the next start. Finished attempts hold their timed
words, manual section marks and report, so ``reanalyse`` can re-judge them when the rubric
changes without transcribing again.

Safe with several processes: WAL, a busy timeout, and every write in ``BEGIN IMMEDIATE``.
A corrupt or unreadable database file is renamed aside (``*.corrupt-<timestamp>``, never
deleted), a fresh store starts, and ``notice`` says so. Audio files are only ever removed by
``delete``. No Qt here.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import secrets
import sqlite3
import stat
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from starcoach.desktop.history.corrupt import (
    BUSY_CODES,
    UnusableDatabase,
    error_code,
    set_aside,
    unusable,
)
from starcoach.desktop.history.liveness import owner_alive, owner_tag
from starcoach.desktop.history.paths import AUDIO_DIR, default_db_path
from starcoach.desktop.history.records import (
    Attempt,
    AttemptDamaged,
    AttemptNotFound,
    AttemptSummary,
    HistoryBusy,
    HistoryError,
    NewAttempt,
    Reanalysed,
    _iso,
    _marks_from_json,
    _now,
    _words_from_json,
    _words_json,
)
from starcoach.desktop.history.schema import (
    SCHEMA_VERSION,
    STATUSES,
    SchemaTooNew,
    check_tables,
    migrate,
    transcript_text,
    user_version,
)
from starcoach.rubric.model import Report, Word

_SUMMARY_COLUMNS = (
    "id, question, pack, principle, level, lens, started_at, duration_s, model, status, "
    "verdict, finding_count, overall, rubric_version, notes"
)


READONLY = 8  # SQLITE_READONLY


def _lenient_text(data: bytes) -> str:
    """Text columns as stored, with bytes that are not UTF-8 shown as U+FFFD."""
    return data.decode("utf-8", "replace")


def _list_json(text: object) -> list[Any]:
    """A tolerant JSON list column (follow-ups): anything unreadable is an empty list."""
    try:
        value = json.loads(text or "[]") if isinstance(text, str | bytes) else []
    except (ValueError, RecursionError):
        return []
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


MAX_JSON_COLUMN = 64 * 1024 * 1024  # one stored JSON column


def _json_column(row: sqlite3.Row, column: str, default: Any) -> Any:
    """A JSON column's value (``default`` when NULL or empty); ``ValueError`` naming the
    column when it is not JSON text."""
    text = row[column]
    if text is None or text == "":
        return default
    if not isinstance(text, str):
        raise ValueError(f"{column} holds {_kind(text)}, not JSON text")
    if len(text) > MAX_JSON_COLUMN:
        raise ValueError(f"{column} is {len(text):,} characters (limit {MAX_JSON_COLUMN:,})")
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(f"{column} is nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"{column} is not valid JSON ({str(exc)[:80]})") from None


def _kind(value: object) -> str:
    """How a damaged value is described: ``'abc'``, ``a blob of 4 bytes``, ``NULL``."""
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return f"a blob of {len(value)} bytes"
    return repr(value)[:40]


__all__ = ["Attempt", "AttemptNotFound", "AttemptSummary", "HistoryError", "HistoryStore",
           "NewAttempt", "Reanalysed"]


class HistoryStore:
    """The attempt history at ``path`` (default ``<data dir>/history/starcoach.sqlite3``).

    After construction, ``set_aside`` is the path a corrupt database was moved to (or
    ``None``) and ``notice`` a sentence to show the person about it. A folder, dangling
    link, read-only file or folder, or a database from a newer StarCoach raises
    ``HistoryError`` and is left untouched. After ``list``, ``skipped`` names the damaged
    attempts it left out.
    """

    def __init__(self, path: str | Path | None = None, *, busy_timeout_s: float = 15.0) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.folder = self.path.parent
        self.audio_dir = self.folder / AUDIO_DIR
        self.busy_timeout_s = busy_timeout_s
        self.set_aside: Path | None = None
        self.notice: str | None = None
        self.skipped: list[str] = []  # damaged attempts the last ``list`` left out, why
        self._lock = threading.RLock()
        self._db = self._open()

    # -- opening ------------------------------------------------------------------------------
    def _connect(self, path: Path | None = None) -> sqlite3.Connection:
        """A connection to an existing file (``mode=rw``: SQLite never creates one here, so
        a file that vanished is an error, not a silent new history)."""
        uri = (path or self.path).absolute().as_uri() + "?mode=rw"
        db = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout_s, isolation_level=None,
                             check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.text_factory = _lenient_text  # a damaged byte must not make a whole row unreadable
        return db

    def _open(self) -> sqlite3.Connection:
        read_only = (f"the history folder {self.folder} is read-only; StarCoach needs to "
                     "write there to keep your attempts")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not os.access(self.folder, os.W_OK | os.X_OK):
                raise HistoryError(read_only)
            self.audio_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise HistoryError(read_only) from None
            raise HistoryError(f"cannot create the history folder {self.folder}: "
                               f"{exc.strerror or exc}") from None
        damage = self._file_damage()
        if damage is not None:
            self.set_aside, self.notice = set_aside(self.path, damage, None, self.audio_dir)
        if not os.path.lexists(self.path):
            self._create()
        db: sqlite3.Connection | None = None
        try:
            db = self._connect()
            self._prepare_patiently(db)
            return db
        except SchemaTooNew as exc:
            if db is not None:
                db.close()
            raise HistoryError(f"{self.path}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            if not unusable(self.path, exc):
                if db is not None:
                    db.close()
                raise HistoryError(f"cannot open the history database {self.path}: "
                                   f"{exc}") from None
            self.set_aside, self.notice = set_aside(self.path, exc, db, self.audio_dir)
        self._create()
        db = self._connect()
        self._prepare_patiently(db)
        return db

    def _file_damage(self) -> sqlite3.DatabaseError | None:
        """What is wrong with the file at ``path`` before SQLite sees it: ``HistoryError``
        for what must not be touched (a folder, a dangling link, a device, a read-only
        file), a ``DatabaseError`` to set aside for an empty file, ``None`` when it is fine
        or absent."""
        path = self.path
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

    def _create(self) -> None:
        """Create an empty, current-schema WAL database at ``path`` atomically: built under
        a temporary name and linked into place, so no other process ever sees a half-made
        (zero-length) file; if another process created one first, theirs is kept."""
        tmp = self.folder / f".{self.path.name}.new-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            sqlite3.connect(tmp).close()  # the file must exist for mode=rw
            db = self._connect(tmp)
            try:
                self._prepare(db)
            finally:
                db.close()
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                pass  # another StarCoach created it meanwhile: use theirs
            except OSError:  # a file system without hard links
                if not os.path.lexists(self.path):
                    os.replace(tmp, self.path)
        except (OSError, sqlite3.Error) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise HistoryError(f"cannot create the history database {self.path}: "
                               f"{reason}") from None
        finally:
            for side in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    os.unlink(f"{tmp}{side}")

    def _prepare_patiently(self, db: sqlite3.Connection) -> None:
        """``_prepare``, retried while another process holds a lock SQLite will not wait on.

        (Switching a new file to WAL, or a lock upgrade, can fail with "database is locked"
        at once instead of calling the busy handler.)
        """
        deadline = time.monotonic() + self.busy_timeout_s
        pause = 0.005
        while True:
            try:
                self._prepare(db)
                return
            except sqlite3.OperationalError as exc:
                if error_code(exc) not in BUSY_CODES or time.monotonic() > deadline:
                    raise
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")  # a failed migration may have left one open
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    def _prepare(self, db: sqlite3.Connection) -> None:
        db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
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

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock up front (no upgrade deadlocks)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if error_code(exc) == READONLY:
                    raise HistoryError(f"the history database {self.path} cannot be written "
                                       f"({exc})") from None
                raise

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # -- recording ----------------------------------------------------------------------------
    def begin_attempt(self, *, question: str | None = None, pack: str | None = None,
                      principle: str | None = None, level: str = "mid",
                      lens: str | None = None, started_at: datetime | str | None = None,
                      model: str | None = None) -> NewAttempt:
        """Register a recording about to start; returns its id and the FLAC path to record to.

        The file name is unique (never reused, even after the database is set aside), and an
        empty file is created so the name is reserved.
        """
        started = _iso(started_at) if started_at is not None else _now()
        while True:
            stamp = started[:19].replace("-", "").replace(":", "").replace("T", "-")
            name = f"{stamp}-{secrets.token_hex(4)}.flac"
            try:
                with open(self.audio_dir / name, "xb"):
                    break
            except FileExistsError:
                continue
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO attempts (question, pack, principle, level, lens, started_at, "
                "model, audio_path, status, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                "'recording', ?)",
                (question, pack, principle, level, lens, started, model, f"{AUDIO_DIR}/{name}",
                 owner_tag()))
            attempt_id = int(cur.lastrowid or 0)
        return NewAttempt(attempt_id, self.audio_dir / name)

    def mark_recorded(self, attempt_id: int, duration_s: float) -> None:
        """The recording finished cleanly; words and report come later."""
        with self._write() as db:
            self._require(db, attempt_id)
            db.execute("UPDATE attempts SET status = 'recorded', duration_s = ?, owner = NULL "
                       "WHERE id = ?", (float(duration_s), attempt_id))

    def finish_attempt(self, attempt_id: int, words: Sequence[Word | dict[str, Any]],
                       report: Report | dict[str, Any], marks: Sequence[tuple[int, str]] = (),
                       model: str | None = None, duration_s: float | None = None) -> None:
        """Store the words, marks and report of an attempt; its status becomes ``analysed``."""
        data = report.to_json() if isinstance(report, Report) else dict(report)
        words_data = _words_json(words)
        duration = duration_s if duration_s is not None else float(data.get("duration_s") or 0)
        scores = data.get("scores") or {}
        with self._write() as db:
            self._require(db, attempt_id)
            db.execute(
                "UPDATE attempts SET words_json = ?, marks_json = ?, report_json = ?, "
                "rubric_version = ?, verdict = ?, finding_count = ?, overall = ?, "
                "transcript = ?, model = coalesce(?, model), duration_s = ?, "
                "status = 'analysed', owner = NULL WHERE id = ?",
                (json.dumps(words_data, ensure_ascii=False),
                 json.dumps([[int(i), str(s)] for i, s in marks]),
                 json.dumps(data, ensure_ascii=False), data.get("rubric_version"),
                 scores.get("verdict"), len(data.get("findings") or []), scores.get("overall"),
                 transcript_text(words_data), model, duration, attempt_id))

    def recover(self, duration_of: Callable[[Path], float] | None = None, *,
                busy_timeout_s: float = 1.0) -> list[int]:
        """Mark recordings left ``recording`` by a process that died as ``recovered``.

        Their audio is kept as is and their duration set from what decodes. Recordings whose
        process still runs (another StarCoach window) are left alone. Returns recovered ids.
        Waits at most ``busy_timeout_s`` for another process's write lock, then raises
        :class:`HistoryBusy` (nothing is lost: they are recovered at the next start).
        """
        if duration_of is None:
            from starcoach.desktop.history.audio import recorded_seconds as duration_of
        rows = self._read("SELECT id, audio_path, owner FROM attempts "
                          "WHERE status = 'recording'")
        recovered = []
        for row in rows:
            owner = row["owner"] if isinstance(row["owner"], str) else None
            if owner_alive(owner):
                continue
            audio = row["audio_path"] if isinstance(row["audio_path"], str) else None
            path = self._audio(audio)
            try:
                seconds = duration_of(path) if path is not None else 0.0
            except Exception:  # an unreadable recording is still recovered, at 0 s
                seconds = 0.0
            try:
                with self._lock, self._patience(busy_timeout_s), self._write() as db:
                    cur = db.execute("UPDATE attempts SET status = 'recovered', "
                                     "duration_s = ?, owner = NULL "
                                     "WHERE id = ? AND status = 'recording'",
                                     (seconds, row["id"]))
                    if cur.rowcount:
                        recovered.append(int(row["id"]))
            except sqlite3.OperationalError as exc:
                if error_code(exc) not in BUSY_CODES:
                    raise
                raise HistoryBusy(f"the history database {self.path} is busy (another "
                                  "StarCoach is writing to it); interrupted recordings are "
                                  "recovered next time") from None
        return recovered

    @contextlib.contextmanager
    def _patience(self, seconds: float) -> Iterator[None]:
        """Wait at most ``seconds`` for another process's write lock inside this block."""
        self._db.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        try:
            yield
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")

    # -- reading ------------------------------------------------------------------------------
    def _audio(self, relative: object) -> Path | None:
        if not relative or not isinstance(relative, str) or "\0" in relative:
            return None
        return self.folder / relative

    @staticmethod
    def _require(db: sqlite3.Connection, attempt_id: int) -> None:
        if db.execute("SELECT 1 FROM attempts WHERE id = ?", (attempt_id,)).fetchone() is None:
            raise AttemptNotFound(attempt_id)

    @staticmethod
    def _summary(row: sqlite3.Row) -> AttemptSummary:
        """The row as a summary; ``AttemptDamaged`` naming the column a value does not fit."""
        def text(column: str, required: bool = False) -> str | None:
            value = row[column]
            if value is None and not required:
                return None
            if not isinstance(value, str):
                raise AttemptDamaged(f"attempt {row['id']}: {column} holds "
                                     f"{_kind(value)}, not text")
            return value

        def whole(column: str) -> int | None:
            value = row[column]
            if value is None:
                return None
            if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**53:
                raise AttemptDamaged(f"attempt {row['id']}: {column} holds {_kind(value)}, "
                                     "not a whole number")
            return value

        duration = row["duration_s"]
        if duration is None:
            duration = 0.0
        if (isinstance(duration, bool) or not isinstance(duration, int | float)
                or not math.isfinite(duration) or not 0 <= duration <= 10**7):
            raise AttemptDamaged(f"attempt {row['id']}: duration_s holds {_kind(duration)}, "
                                 "not a length in seconds")
        started = text("started_at", True) or ""
        try:
            datetime.fromisoformat(started)
        except ValueError:
            raise AttemptDamaged(f"attempt {row['id']}: started_at {started[:40]!r} is not "
                                 "a date") from None
        status = text("status", True)
        if status not in STATUSES:
            raise AttemptDamaged(f"attempt {row['id']}: status {str(status)[:20]!r} is not "
                                 "one StarCoach writes")
        return AttemptSummary(
            id=row["id"], question=text("question"), pack=text("pack"),
            principle=text("principle"), level=text("level", True) or "mid",
            lens=text("lens"), started_at=started, duration_s=float(duration),
            model=text("model"), status=status or "recorded", verdict=text("verdict"),
            finding_count=whole("finding_count"), overall=whole("overall"),
            rubric_version=text("rubric_version"), notes=text("notes") or "")

    def get(self, attempt_id: int) -> Attempt:
        """The whole attempt; raises :class:`AttemptNotFound`, or :class:`AttemptDamaged`
        when a column cannot be read back (the attempt's other columns are untouched)."""
        try:
            rows = self._read(f"SELECT {_SUMMARY_COLUMNS}, audio_path, words_json, "
                              "marks_json, report_json, followups_json FROM attempts "
                              "WHERE id = ?", (int(attempt_id),))
        except OverflowError:
            raise AttemptNotFound(attempt_id) from None
        if not rows:
            raise AttemptNotFound(attempt_id)
        row = rows[0]
        summary = self._summary(row)
        audio = row["audio_path"]
        if audio is not None and (not isinstance(audio, str) or "\0" in audio):
            raise AttemptDamaged(f"attempt {summary.id}: audio_path holds {_kind(audio)}, "
                                 "not a file name")
        try:
            words = _words_from_json(_json_column(row, "words_json", None))
            marks = _marks_from_json(_json_column(row, "marks_json", []))
            report = _json_column(row, "report_json", None)
            if report is not None and not isinstance(report, dict):
                raise ValueError("report_json is not a JSON object")
        except ValueError as exc:
            raise AttemptDamaged(f"attempt {summary.id}: {exc}") from None
        return Attempt(
            summary=summary, audio_path=self._audio(audio), words=words, marks=marks,
            report=report or None, followups=_list_json(row["followups_json"]))

    def rule_failures(self) -> dict[str, Counter]:
        """How often each rule fired, per question, over the analysed attempts."""
        out: dict[str, Counter] = {}
        for row in self._read("SELECT question, report_json FROM attempts "
                              "WHERE question IS NOT NULL AND report_json IS NOT NULL"):
            try:
                report = _json_column(row, "report_json", None)
            except ValueError:
                continue
            findings = report.get("findings") if isinstance(report, dict) else None
            if not isinstance(findings, list) or not isinstance(row["question"], str):
                continue
            counts = out.setdefault(row["question"], Counter())
            for f in findings:
                if isinstance(f, dict) and isinstance(f.get("rule"), str):
                    counts[f["rule"]] += 1
        return out

    def list(self, question: str | None = None, principle: str | None = None,
             since: datetime | str | None = None, text: str | None = None,
             limit: int | None = None) -> list[AttemptSummary]:
        """Attempts, newest first, filtered by question, principle, start time and text.

        ``text`` matches (case-insensitively) the transcript, the notes or the question id.
        """
        where, params = [], []
        if question is not None:
            where.append("question = ?")
            params.append(question)
        if principle is not None:
            where.append("principle = ?")
            params.append(principle)
        if since is not None:
            where.append("started_at >= ?")
            params.append(_iso(since))
        if text:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append("(transcript LIKE ? ESCAPE '\\' OR notes LIKE ? ESCAPE '\\' "
                         "OR question LIKE ? ESCAPE '\\')")
            params += [like, like, like]
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started_at DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        out, self.skipped = [], []
        for r in self._read(sql, params):
            try:
                out.append(self._summary(r))
            except AttemptDamaged as exc:
                self.skipped.append(str(exc))
        return out

    def audio_file(self, attempt_id: int) -> Path | None:
        """The attempt's FLAC, or ``None`` when none (or only an empty one) is on disk."""
        rows = self._read("SELECT audio_path FROM attempts WHERE id = ?", (int(attempt_id),))
        if not rows:
            raise AttemptNotFound(attempt_id)
        path = self._audio(rows[0]["audio_path"])
        if path is None or not path.is_file() or path.stat().st_size == 0:
            return None
        return path

    # -- editing ------------------------------------------------------------------------------
    def set_notes(self, attempt_id: int, notes: str) -> None:
        with self._write() as db:
            self._require(db, attempt_id)
            db.execute("UPDATE attempts SET notes = ? WHERE id = ?", (notes, attempt_id))

    def new_audio_file(self, attempt_id: int, kind: str = "followup") -> Path:
        """Reserve a fresh FLAC path in the audio folder for a recording that belongs to
        ``attempt_id`` (a follow-up reply); store it with :meth:`set_followups`."""
        self.get(attempt_id)  # raises AttemptNotFound
        while True:
            path = self.audio_dir / f"attempt{int(attempt_id)}-{kind}-{secrets.token_hex(4)}.flac"
            try:
                with open(path, "xb"):
                    return path
            except FileExistsError:
                continue

    def set_followups(self, attempt_id: int, followups: Sequence[dict[str, Any]]) -> None:
        """Store the follow-up drill of an attempt: one dict per probe answered (JSON-ready;
        an ``audio`` key holds a reply's file name in the audio folder)."""
        data = json.dumps(list(followups), ensure_ascii=False)
        with self._write() as db:
            self._require(db, attempt_id)
            db.execute("UPDATE attempts SET followups_json = ? WHERE id = ?",
                       (data, attempt_id))

    def delete(self, attempt_id: int) -> None:
        """Remove the attempt, its audio and its follow-up replies' audio (the only place
        audio is ever removed)."""
        with self._write() as db:
            row = db.execute("SELECT audio_path, followups_json FROM attempts WHERE id = ?",
                             (attempt_id,)).fetchone()
            if row is None:
                raise AttemptNotFound(attempt_id)
            db.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
        paths = [self._audio(row["audio_path"])]
        paths += [self.audio_dir / Path(str(f["audio"])).name
                  for f in _list_json(row["followups_json"])
                  if isinstance(f, dict) and f.get("audio")]
        for path in paths:
            if path is not None and path.resolve().is_relative_to(self.audio_dir.resolve()):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()

    def reanalyse(self, attempt_ids: int | Iterable[int] | None = None,
                  analyzer: Callable[..., Report] | None = None) -> list[Reanalysed]:
        """Re-judge attempts from their stored words and marks (``None``: every attempt that
        has words) with the current rubric; nothing is transcribed again."""
        if analyzer is None:
            from starcoach.rubric.analyze import analyze as analyzer
        if attempt_ids is None:
            ids = [int(r["id"]) for r in self._read(
                "SELECT id FROM attempts WHERE words_json IS NOT NULL ORDER BY id")]
        elif isinstance(attempt_ids, int):
            ids = [attempt_ids]
        else:
            ids = [int(i) for i in attempt_ids]
        out = []
        for attempt_id in ids:
            try:
                attempt = self.get(attempt_id)
            except AttemptDamaged as exc:
                out.append(Reanalysed(attempt_id, None, None, f"damaged: {exc}"))
                continue
            s = attempt.summary
            if not attempt.words:
                out.append(Reanalysed(attempt_id, s.rubric_version, None,
                                      "no transcript stored (transcribe it first)"))
                continue
            timing = (attempt.report or {}).get("timing") or "words"
            try:
                report = analyzer(attempt.words, question=s.question, principle=s.principle,
                                  level=s.level, lens=s.lens, timing=timing,
                                  duration_s=s.duration_s or None, marks=attempt.marks)
            except (KeyError, ValueError, IndexError, TypeError) as exc:
                reason = exc.args[0] if exc.args else exc
                out.append(Reanalysed(attempt_id, s.rubric_version, None, str(reason)))
                continue
            self.finish_attempt(attempt_id, attempt.words, report, attempt.marks,
                                duration_s=s.duration_s)
            out.append(Reanalysed(attempt_id, s.rubric_version, report.rubric_version))
        return out
