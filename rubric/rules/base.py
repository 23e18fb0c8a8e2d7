"""What every detector sees (``Context``) and returns (``Hit``), and the detector registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from starcoach.rubric import lexicon as lx
from starcoach.rubric.model import Section, Word
from starcoach.rubric.text import Token


@dataclass(slots=True)
class Hit:
    """A detector's evidence: an inclusive word span and the template fields it fills."""

    first: int
    last: int
    fields: dict[str, object] = field(default_factory=dict)
    section: str | None = None


@dataclass(slots=True)
class Context:
    words: list[Word]
    tokens: list[Token]
    labels: list[str]  # section label per word ("result" for a headline too)
    headline: list[bool]  # word belongs to an opening result headline
    sections: list[Section]
    principle: str
    level: str
    lens: str | None
    targets: dict[str, float]
    expected_sections: tuple[str, ...]
    params: dict[str, float]
    duration_s: float
    evidence: dict[str, float] = field(default_factory=dict)  # segmenter belief per section
    norms: list[str] = field(init=False, repr=False)  # normalised words, computed once

    def __post_init__(self) -> None:
        self.norms = [t.norm for t in self.tokens]

    def indices(self, *labels: str) -> list[int]:
        return [i for i, lab in enumerate(self.labels) if lab in labels]

    def section(self, label: str) -> Section | None:
        for s in self.sections:
            if s.label == label and not self.headline[s.first_word]:
                return s
        for s in self.sections:
            if s.label == label:
                return s
        return None

    def has(self, label: str) -> bool:
        return any(s.label == label for s in self.sections)

    def span_text(self, first: int, last: int) -> str:
        return " ".join(w.text.strip() for w in self.words[first:last + 1])

    def clause_hit(self, first: int, last: int, at: int | None = None, **fields: object) -> Hit:
        """A ``Hit`` over words ``[first, last]`` that quotes them as what was heard; its
        section is the one of word ``at`` (default ``first``)."""
        at = first if at is None else at
        return Hit(first, last, fields={"heard": self.span_text(first, last), **fields},
                   section=self.labels[at] if self.labels else None)

    def clause_end(self, i: int, limit: int = 12) -> int:
        """Last word of the clause starting at ``i`` (punctuation, a clause opener or limit)."""
        n = len(self.tokens)
        j = i
        while j + 1 < n and j - i < limit:
            if self.tokens[j].sent_end or (self.tokens[j].comma and j - i >= 3):
                break
            nxt = self.tokens[j + 1].norm
            if j - i >= 3 and nxt in ("and", "so", "but", "because", "then", "which"):
                break
            j += 1
        return j

    def clause_start(self, i: int, limit: int = 10) -> int:
        j = i
        while j > 0 and i - j < limit:
            prev = self.tokens[j - 1]
            if prev.sent_end or prev.comma:
                break
            if self.tokens[j].norm in ("and", "so", "but", "because", "then", "which"):
                break
            j -= 1
        return j

    def negated(self, i: int, window: int = 4) -> bool:
        """A negation within ``window`` words before position ``i`` (same clause)."""
        for j in range(i - 1, max(-1, i - window - 1), -1):
            if self.tokens[j].sent_end:
                return False
            if self.tokens[j].norm in lx.NEGATION or self.tokens[j].norm.endswith("n't"):
                return True
        return False

    def sentences(self, first: int = 0, last: int | None = None) -> list[tuple[int, int]]:
        """Clause-ish spans of ``[first, last]`` split at sentence ends."""
        last = len(self.tokens) - 1 if last is None else last
        out, start = [], first
        for i in range(first, last + 1):
            if self.tokens[i].sent_end or i == last or (i - start >= 25 and self.tokens[i].comma):
                out.append((start, i))
                start = i + 1
        return out


Detector = Callable[[Context], list[Hit]]
DETECTORS: dict[str, Detector] = {}


def detector(rule_id: str) -> Callable[[Detector], Detector]:
    def register(fn: Detector) -> Detector:
        DETECTORS[rule_id] = fn
        return fn
    return register


def window_has(norms: list[str], start: int, end: int, vocab: frozenset[str]) -> int | None:
    """Index of the first word in ``norms[start:end]`` that is in ``vocab``."""
    for j in range(max(0, start), min(len(norms), end)):
        if norms[j] in vocab:
            return j
    return None
