"""What the history store hands out: attempt records, and the errors it raises.

Plain data (no SQLite, no Qt), so the CLI, exports and GUI can share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starcoach.rubric.model import SECTION_LABELS, Word
from starcoach.rubric.serial import words_to_json


class HistoryError(Exception):
    """The history store cannot be used (one line for the person)."""


class HistoryBusy(HistoryError):
    """Another process holds the history's write lock longer than this call would wait."""


class AttemptDamaged(HistoryError):
    """A stored attempt whose columns cannot be read (text in a number column, bad JSON);
    ``str()`` names the attempt and the column."""


class AttemptNotFound(KeyError):
    """No attempt with that id."""

    def __str__(self) -> str:
        return f"no attempt with id {self.args[0]}"


@dataclass(frozen=True, slots=True)
class AttemptSummary:
    """One row of the history list (no words, no report: cheap to list)."""

    id: int
    question: str | None
    pack: str | None
    principle: str | None
    level: str
    lens: str | None
    started_at: str
    duration_s: float
    model: str | None
    status: str
    verdict: str | None
    finding_count: int | None
    overall: int | None
    rubric_version: str | None
    notes: str

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Attempt:
    """Everything stored about one attempt."""

    summary: AttemptSummary
    audio_path: Path | None
    words: list[Word] = field(default_factory=list)
    marks: list[tuple[int, str]] = field(default_factory=list)
    report: dict[str, Any] | None = None  # Report.to_json() as stored
    followups: list[dict[str, Any]] = field(default_factory=list)  # follow-up drill replies

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def status(self) -> str:
        return self.summary.status

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary.to_json(),
            "audio_path": str(self.audio_path) if self.audio_path else None,
            "words": words_to_json(self.words),
            "marks": [list(m) for m in self.marks],
            "report": self.report,
            "followups": self.followups,
        }


@dataclass(frozen=True, slots=True)
class NewAttempt:
    """A registered recording: record into ``audio_path``."""

    id: int
    audio_path: Path


@dataclass(frozen=True, slots=True)
class Reanalysed:
    """What ``reanalyse`` did to one attempt (``error`` set when it could not)."""

    id: int
    old_version: str | None
    new_version: str | None
    error: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _iso(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(UTC).isoformat(timespec="milliseconds")


def _marks_from_json(data: Any) -> list[tuple[int, str]]:
    """Stored section marks back as ``(word index, label)``; ``ValueError`` when damaged."""
    if not isinstance(data, list):
        raise ValueError("marks_json is not a list")
    out = []
    for m in data:
        if (not isinstance(m, list) or len(m) != 2 or not _whole(m[0])
                or m[1] not in SECTION_LABELS):
            raise ValueError(f"marks_json: {str(m)[:40]} is not [word index, section]")
        out.append((int(m[0]), str(m[1])))
    return out


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53
