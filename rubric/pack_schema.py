"""The shape of question packs: the ids and limits they may use, and the records a loaded
pack becomes (rules, lenses, follow-ups, questions, the merged :class:`Catalogue`).
Plain data: reading and validating TOML is :mod:`.pack_reader`'s job."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starcoach.rubric.model import SECTION_LABELS

SEVERITIES = ("major", "minor", "info", "off")
LEVELS = ("junior", "mid", "senior", "principal")
CATEGORIES = ("structure", "ownership", "impact", "reflection", "delivery")
PRINCIPLES = (
    "ownership", "customer-obsession", "dive-deep", "deliver-results", "earn-trust",
    "have-backbone", "bias-for-action", "invent-and-simplify",
    "insist-on-the-highest-standards", "frugality", "learn-and-be-curious",
    "hire-and-develop-the-best", "think-big", "are-right-a-lot",
    "strive-to-be-earths-best-employer", "success-and-scale-bring-broad-responsibility",
)
TEMPLATE_FIELDS = frozenset(
    {"heard", "section", "duration", "target", "count", "share", "per_min", "level",
     "principle", "lens", "over"}
)
TARGET_KEYS = (*SECTION_LABELS, "answer", "answer_limit")
MAX_PACK_BYTES = 512 * 1024  # the bundled packs are under 50 kB
MAX_PACK_BRACKETS = 10_000  # "{" and "[" in a pack (the bundled ones have under 250)
MAX_PACK_DEPTH = 12  # the bundled packs nest 6 deep
MAX_QUESTIONS = 1_000  # per pack
MAX_TEXT_CHARS = 8_000  # any string in a pack
MAX_QUESTION_CHARS = 1_000  # a question's text
MAX_PACK_NUMBER = 10**12  # any integer in a pack
MAX_FIELD_CHARS = 200  # one value filled into a message template
MAX_MESSAGE_CHARS = 2_000  # a filled message


class PackError(ValueError):
    """A pack file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    category: str
    severity: str
    title: str
    message: str
    why: str
    suggestion: str
    applies_to: tuple[str, ...] = ()  # principles; empty = every principle
    params: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Lens:
    id: str
    name: str
    summary: str
    emphasise: tuple[str, ...]
    leave_out: tuple[str, ...]
    rules: dict[str, str]


@dataclass(frozen=True, slots=True)
class FollowUp:
    id: str
    probe: str
    check: str
    weak: str
    why_weak: str
    strong: str
    section: str | None = None


@dataclass(frozen=True, slots=True)
class PackQuestion:
    """One question as a pack defines it (``desktop.state.choice.Question`` is what an
    attempt answers: an id with the chosen level and lens)."""

    id: str
    principle: str
    text: str
    pack: str
    lenses: tuple[str, ...]
    targets: dict[str, float]
    expected_sections: tuple[str, ...]
    suggestions: dict[str, str]
    rules: dict[str, str]
    followups: tuple[FollowUp, ...]
    notes: dict[str, Any]


@dataclass(slots=True)
class Catalogue:
    """Everything the packs say, merged: what ``analyze`` configures itself from."""

    rules: dict[str, RuleSpec]
    targets: dict[str, float]
    expected_sections: tuple[str, ...]
    levels: dict[str, dict[str, str]]
    principles: dict[str, dict[str, Any]]
    lenses: dict[str, Lens]
    questions: dict[str, PackQuestion]
    rubric_version: str
    packs: dict[str, str] = field(default_factory=dict)  # pack id → the file it came from
