"""Reading attempt rows back: each column checked and decoded, and a damaged one named.

A history file can be damaged by hand, by a disk, or by another program: a byte that is
not UTF-8, text where a number belongs, JSON that does not parse. Every reader here turns
such a value into ``AttemptDamaged`` naming the attempt and the column (or, for columns
that are only ever extras, into an empty value), so one damaged row never hides the rest.
No Qt here.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from starcoach.desktop.attempts.records import (
    Attempt,
    AttemptDamaged,
    AttemptSummary,
    _marks_from_json,
)
from starcoach.desktop.attempts.schema import STATUSES
from starcoach.rubric.serial import words_from_json

SUMMARY_COLUMNS = (
    "id, question, pack, principle, level, lens, started_at, duration_s, model, status, "
    "verdict, finding_count, overall, rubric_version, notes"
)


def lenient_text(data: bytes) -> str:
    """Text columns as stored, with bytes that are not UTF-8 shown as U+FFFD."""
    return data.decode("utf-8", "replace")


def list_json(text: object) -> list[Any]:
    """A tolerant JSON list column (follow-ups): anything unreadable is an empty list."""
    try:
        value = json.loads(text or "[]") if isinstance(text, str | bytes) else []
    except (ValueError, RecursionError):
        return []
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


MAX_JSON_COLUMN = 64 * 1024 * 1024  # one stored JSON column


def json_column(row: sqlite3.Row, column: str, default: Any) -> Any:
    """A JSON column's value (``default`` when NULL or empty); ``ValueError`` naming the
    column when it is not JSON text."""
    text = row[column]
    if text is None or text == "":
        return default
    if not isinstance(text, str):
        raise ValueError(f"{column} holds {kind_of(text)}, not JSON text")
    if len(text) > MAX_JSON_COLUMN:
        raise ValueError(f"{column} is {len(text):,} characters (limit {MAX_JSON_COLUMN:,})")
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(f"{column} is nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"{column} is not valid JSON ({str(exc)[:80]})") from None


def kind_of(value: object) -> str:
    """How a damaged value is described: ``'abc'``, ``a blob of 4 bytes``, ``NULL``."""
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return f"a blob of {len(value)} bytes"
    return repr(value)[:40]


def summary_of(row: sqlite3.Row) -> AttemptSummary:
    """The row as a summary; ``AttemptDamaged`` naming the column a value does not fit."""
    def text(column: str, required: bool = False) -> str | None:
        value = row[column]
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise AttemptDamaged(f"attempt {row['id']}: {column} holds "
                                 f"{kind_of(value)}, not text")
        return value

    def whole(column: str) -> int | None:
        value = row[column]
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**53:
            raise AttemptDamaged(f"attempt {row['id']}: {column} holds {kind_of(value)}, "
                                 "not a whole number")
        return value

    duration = row["duration_s"]
    if duration is None:
        duration = 0.0
    if (isinstance(duration, bool) or not isinstance(duration, int | float)
            or not math.isfinite(duration) or not 0 <= duration <= 10**7):
        raise AttemptDamaged(f"attempt {row['id']}: duration_s holds {kind_of(duration)}, "
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


def attempt_of(row: sqlite3.Row, audio_path: Callable[[object], Path | None]) -> Attempt:
    """A whole attempt row (summary columns plus audio, words, marks, report, follow-ups);
    ``audio_path`` turns the stored file name into a path."""
    summary = summary_of(row)
    audio = row["audio_path"]
    if audio is not None and (not isinstance(audio, str) or "\0" in audio):
        raise AttemptDamaged(f"attempt {summary.id}: audio_path holds {kind_of(audio)}, "
                             "not a file name")
    try:
        words = words_from_json(json_column(row, "words_json", None), "words_json")
        marks = _marks_from_json(json_column(row, "marks_json", []))
        report = json_column(row, "report_json", None)
        if report is not None and not isinstance(report, dict):
            raise ValueError("report_json is not a JSON object")
    except ValueError as exc:
        raise AttemptDamaged(f"attempt {summary.id}: {exc}") from None
    return Attempt(
        summary=summary, audio_path=audio_path(audio), words=words, marks=marks,
        report=report or None, followups=list_json(row["followups_json"]))
