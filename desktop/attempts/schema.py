"""The history schema and its ordered migrations, tracked in ``PRAGMA user_version``.

Each migration brings the database from version ``i`` to ``i + 1``; ``migrate`` runs the
missing ones in one write transaction, so two processes opening an old database at once
migrate it exactly once. Never edit a released migration: append a new one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

STATUSES = ("recording", "recorded", "recovered", "analysed")


def _v1(db: sqlite3.Connection) -> None:
    """The attempts table: one row per recorded answer."""
    db.execute("""
        CREATE TABLE attempts (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            question       TEXT,
            pack           TEXT,
            principle      TEXT,
            level          TEXT NOT NULL DEFAULT 'mid',
            lens           TEXT,
            started_at     TEXT NOT NULL,          -- ISO 8601, UTC
            duration_s     REAL NOT NULL DEFAULT 0,
            model          TEXT,
            audio_path     TEXT,                   -- relative to the history folder
            words_json     TEXT,                   -- [{"text", "start", "end"[, "kind"]}]
            marks_json     TEXT NOT NULL DEFAULT '[]',  -- [[word_index, section], ...]
            report_json    TEXT,                   -- Report.to_json()
            rubric_version TEXT,
            notes          TEXT NOT NULL DEFAULT '',
            status         TEXT NOT NULL DEFAULT 'recording'
                           CHECK (status IN ('recording', 'recorded', 'recovered',
                                             'analysed')),
            owner          TEXT                    -- "host:pid" of the recording process
        )""")
    db.execute("CREATE INDEX attempts_started ON attempts(started_at)")


def _v2(db: sqlite3.Connection) -> None:
    """Columns the history list shows and searches, so listing never parses report JSON."""
    db.execute("ALTER TABLE attempts ADD COLUMN verdict TEXT")
    db.execute("ALTER TABLE attempts ADD COLUMN finding_count INTEGER")
    db.execute("ALTER TABLE attempts ADD COLUMN overall INTEGER")
    db.execute("ALTER TABLE attempts ADD COLUMN transcript TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX attempts_question ON attempts(question, started_at)")
    db.execute("CREATE INDEX attempts_principle ON attempts(principle, started_at)")
    rows = db.execute(
        "SELECT id, report_json, words_json FROM attempts "
        "WHERE report_json IS NOT NULL OR words_json IS NOT NULL").fetchall()
    for attempt_id, report_json, words_json in rows:
        report = _loads(report_json) or {}
        scores = report.get("scores") or {}
        words = _loads(words_json) or []
        db.execute(
            "UPDATE attempts SET verdict = ?, finding_count = ?, overall = ?, transcript = ? "
            "WHERE id = ?",
            (scores.get("verdict"), len(report["findings"]) if "findings" in report else None,
             scores.get("overall"), transcript_text(words), attempt_id))


def _v3(db: sqlite3.Connection) -> None:
    """Interviewer follow-up drills answered after the main answer (replies, verdicts)."""
    db.execute("ALTER TABLE attempts ADD COLUMN followups_json TEXT NOT NULL DEFAULT '[]'")


def _loads(text: str | None) -> object:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def transcript_text(words: object) -> str:
    """The plain transcript of a JSON word list (for search)."""
    if not isinstance(words, list):
        return ""
    return " ".join(str(w.get("text", "")) for w in words if isinstance(w, dict))


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2, _v3)
SCHEMA_VERSION = len(MIGRATIONS)


COLUMNS = (
    "id", "question", "pack", "principle", "level", "lens", "started_at", "duration_s",
    "model", "audio_path", "words_json", "marks_json", "report_json", "rubric_version",
    "notes", "status", "owner", "verdict", "finding_count", "overall", "transcript",
    "followups_json",
)  # the attempts table at SCHEMA_VERSION


def check_tables(db: sqlite3.Connection) -> str | None:
    """Why the database's tables are not the current schema's (``None`` when they are)."""
    have = {str(r[1]) for r in db.execute("PRAGMA table_info(attempts)").fetchall()}
    if not have:
        return "it has no attempts table"
    missing = [c for c in COLUMNS if c not in have]
    if missing:
        return f"its attempts table lacks the column(s) {', '.join(missing)}"
    return None


class SchemaTooNew(Exception):
    """The database was written by a newer StarCoach."""


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, target: int = SCHEMA_VERSION) -> tuple[int, int]:
    """Run the missing migrations up to ``target``; returns (version before, version after).

    ``db`` must be in autocommit mode (``isolation_level=None``).
    """
    if user_version(db) == target:
        return target, target
    db.execute("BEGIN IMMEDIATE")
    try:
        before = user_version(db)  # re-read under the write lock: another process may have won
        if before > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"the history database is schema version {before}; this StarCoach knows "
                f"up to {SCHEMA_VERSION} — update StarCoach to open it")
        for version in range(before, target):
            MIGRATIONS[version](db)
        if target > before:
            db.execute(f"PRAGMA user_version = {int(target)}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return before, max(before, target)
