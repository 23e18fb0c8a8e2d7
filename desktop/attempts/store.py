"""The attempt store: SQLite (WAL) with the attempts' audio files beside it.

One row per attempt. A recording is registered *before* it starts (``begin_attempt``,
status ``recording``) so a crash leaves a row pointing at the partial FLAC, which
``recover`` marks ``recovered`` on the next start. Finished attempts hold their timed
words, manual section marks and report, so ``reanalyse`` (:mod:`.rejudge`) can re-judge
them when the rubric changes without transcribing again.

Safe with several processes: WAL, a busy timeout, and every write in ``BEGIN IMMEDIATE``.
A corrupt or unreadable database file is renamed aside (``*.corrupt-<timestamp>``, never
deleted), a fresh store starts, and ``notice`` says so. Audio files are only ever removed by
``delete``. No Qt here.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from starcoach.desktop.attempts.corrupt import (
    BUSY_CODES,
    error_code,
    set_aside,
    unusable,
)
from starcoach.desktop.attempts.liveness import owner_alive, owner_tag
from starcoach.desktop.attempts.opening import (
    connect,
    create,
    file_damage,
    prepare_patiently,
)
from starcoach.desktop.attempts.paths import AUDIO_DIR, default_db_path
from starcoach.desktop.attempts.records import (
    Attempt,
    AttemptDamaged,
    AttemptNotFound,
    AttemptSummary,
    HistoryBusy,
    HistoryError,
    NewAttempt,
    Reanalysed,
    _iso,
    _now,
)
from starcoach.desktop.attempts.rejudge import Rejudging
from starcoach.desktop.attempts.rows import (
    SUMMARY_COLUMNS,
    attempt_of,
    list_json,
    summary_of,
)
from starcoach.desktop.attempts.schema import (
    SchemaTooNew,
    transcript_text,
)
from starcoach.rubric.model import Report, Word
from starcoach.rubric.serial import report_from_json, report_to_json, words_to_json

READONLY = 8  # SQLITE_READONLY


__all__ = ["Attempt", "AttemptNotFound", "AttemptSummary", "HistoryError", "HistoryStore",
           "NewAttempt", "Reanalysed"]


class HistoryStore(Rejudging):
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
        damage = file_damage(self.path)
        if damage is not None:
            self.set_aside, self.notice = set_aside(self.path, damage, None, self.audio_dir)
        if not os.path.lexists(self.path):
            create(self.path, self.busy_timeout_s)
        db: sqlite3.Connection | None = None
        try:
            db = connect(self.path, self.busy_timeout_s)
            prepare_patiently(db, self.busy_timeout_s)
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
        create(self.path, self.busy_timeout_s)
        db = connect(self.path, self.busy_timeout_s)
        prepare_patiently(db, self.busy_timeout_s)
        return db

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
        """Store the words, marks and report of an attempt; its status becomes ``analysed``.

        ``report`` and ``words`` may be given as the JSON :mod:`starcoach.rubric.serial`
        writes (a report read back from elsewhere); such a report is stored as given, and
        the list's columns (verdict, finding count…) come from reading it leniently.
        """
        if isinstance(report, Report):
            data = report_to_json(report)
        else:
            data, report = dict(report), report_from_json(report, lenient=True)
        words_data = words_to_json(words)
        duration = duration_s if duration_s is not None else report.duration_s
        with self._write() as db:
            self._require(db, attempt_id)
            db.execute(
                "UPDATE attempts SET words_json = ?, marks_json = ?, report_json = ?, "
                "rubric_version = ?, verdict = ?, finding_count = ?, overall = ?, "
                "transcript = ?, model = coalesce(?, model), duration_s = ?, "
                "status = 'analysed', owner = NULL WHERE id = ?",
                (json.dumps(words_data, ensure_ascii=False),
                 json.dumps([[int(i), str(s)] for i, s in marks]),
                 json.dumps(data, ensure_ascii=False), report.rubric_version or None,
                 report.scores.get("verdict"), len(report.findings),
                 report.scores.get("overall"), transcript_text(words_data), model, duration,
                 attempt_id))

    def recover(self, duration_of: Callable[[Path], float] | None = None, *,
                busy_timeout_s: float = 1.0) -> list[int]:
        """Mark recordings left ``recording`` by a process that died as ``recovered``.

        Their audio is kept as is and their duration set from what decodes. Recordings whose
        process still runs (another StarCoach window) are left alone. Returns recovered ids.
        Waits at most ``busy_timeout_s`` for another process's write lock, then raises
        :class:`HistoryBusy` (nothing is lost: they are recovered at the next start).
        """
        if duration_of is None:
            from starcoach.desktop.attempts.audio import recorded_seconds as duration_of
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

    def get(self, attempt_id: int) -> Attempt:
        """The whole attempt; raises :class:`AttemptNotFound`, or :class:`AttemptDamaged`
        when a column cannot be read back (the attempt's other columns are untouched)."""
        try:
            rows = self._read(f"SELECT {SUMMARY_COLUMNS}, audio_path, words_json, "
                              "marks_json, report_json, followups_json FROM attempts "
                              "WHERE id = ?", (int(attempt_id),))
        except OverflowError:
            raise AttemptNotFound(attempt_id) from None
        if not rows:
            raise AttemptNotFound(attempt_id)
        return attempt_of(rows[0], self._audio)

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
        sql = f"SELECT {SUMMARY_COLUMNS} FROM attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started_at DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        out, self.skipped = [], []
        for r in self._read(sql, params):
            try:
                out.append(summary_of(r))
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
                  for f in list_json(row["followups_json"])
                  if isinstance(f, dict) and f.get("audio")]
        for path in paths:
            if path is not None and path.resolve().is_relative_to(self.audio_dir.resolve()):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
