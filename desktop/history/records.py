"""What the history store hands out: attempt records, and the errors it raises.

Plain data (no SQLite, no Qt), so the CLI, exports and GUI can share them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starcoach.rubric.model import Word


class HistoryError(Exception):
    """The history store cannot be used (one line for the person)."""


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
            "words": [w.to_json() for w in self.words],
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


def _words_json(words: Sequence[Word | dict[str, Any]]) -> list[dict[str, Any]]:
    return [w.to_json() if isinstance(w, Word) else dict(w) for w in words]


def _words_from_json(data: Any) -> list[Word]:
    if not isinstance(data, list):
        return []
    return [Word(str(w["text"]), float(w["start"]), float(w["end"]), str(w.get("kind", "word")))
            for w in data]
