"""The data model shared by speech, rubric and desktop: timed words, sections, findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SECTION_LABELS: tuple[str, ...] = ("situation", "task", "action", "result", "reflection")
"""The STAR sections in spoken order (a ``result`` headline may open an answer)."""
SECTION_NAMES: dict[str, str] = {
    "situation": "Situation", "task": "Task", "action": "Action", "result": "Result",
    "reflection": "Reflection",
}
"""What a person reads for each section label."""
Severity = Literal["major", "minor", "info"]
Timing = Literal["audio", "words", "estimated"]


@dataclass(frozen=True, slots=True)
class Word:
    """One spoken word with its start and end in seconds from the start of the answer.

    ``kind`` is ``"word"`` for recognised words, ``"filler"`` for a filled pause found in
    the audio (counted as a filler) and ``"unrecognised"`` for speech that no word could
    be recovered for (shown, but never a filler and never counted towards pace).
    """

    text: str
    start: float
    end: float
    kind: str = "word"

    def to_json(self) -> dict[str, Any]:
        """Shorthand for :func:`starcoach.rubric.serial.word_to_json`."""
        from starcoach.rubric.serial import word_to_json

        return word_to_json(self)


@dataclass(frozen=True, slots=True)
class Section:
    """A contiguous run of words with one STAR label, timed against its target."""

    label: str
    first_word: int
    last_word: int
    start_s: float
    end_s: float
    target_s: float | None

    @property
    def duration_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)

    @property
    def over_target(self) -> bool:
        return self.target_s is not None and self.duration_s > self.target_s


@dataclass(frozen=True, slots=True)
class Finding:
    """One rubric finding anchored to an inclusive span of words."""

    rule: str
    severity: Severity
    section: str | None
    message: str
    suggestion: str
    word_span: tuple[int, int]
    start_s: float
    end_s: float
    heard: str = ""


@dataclass(slots=True)
class Report:
    """Everything ``analyze`` says about one answer; :mod:`.serial` writes and reads it."""

    question: str | None
    principle: str
    level: str
    lens: str | None
    timing: Timing
    duration_s: float
    words: list[Word]
    sections: list[Section]
    findings: list[Finding]
    metrics: dict[str, Any] = field(default_factory=dict)
    scores: dict[str, Any] = field(default_factory=dict)
    rubric_version: str = ""

    def section_of_word(self, index: int) -> str | None:
        for section in self.sections:
            if section.first_word <= index <= section.last_word:
                return section.label
        return None

    def to_json(self) -> dict[str, Any]:
        """Shorthand for :func:`starcoach.rubric.serial.report_to_json`."""
        from starcoach.rubric.serial import report_to_json

        return report_to_json(self)
