"""What every detector sees (``Context``) and returns (``Hit``), and the detector registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from starcoach.rubric import lexicon as lx
from starcoach.rubric.evidence import Evidence
from starcoach.rubric.model import Section, Word
from starcoach.rubric.text import Token


@dataclass(slots=True)
class Hit:
    """A detector's evidence: an inclusive word span and the template fields it fills."""

    first: int
    last: int
    fields: dict[str, object] = field(default_factory=dict)
    section: str | None = None


_LEAD_INS = frozenset("yes yeah yep no nope so and but well okay ok right um uh er erm "
                      "honestly basically then".split())


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
    tags: Evidence | None = None  # evidence-layer tag probabilities per unit
    norms: list[str] = field(init=False, repr=False)  # normalised words, computed once
    unit_labels: list[str] = field(init=False, repr=False)  # section of each evidence unit

    def __post_init__(self) -> None:
        self.norms = [t.norm for t in self.tokens]
        self.unit_labels = []
        if self.tags is not None:
            self.attach(self.tags)

    def attach(self, tags: Evidence) -> None:
        """Give the detectors the evidence layer's tags (and each unit's section)."""
        self.tags = tags
        self.unit_labels = []
        for u in tags.units:
            labs = self.labels[u.first:u.last + 1]
            self.unit_labels.append(max(set(labs), key=labs.count) if labs else "")

    # -- evidence --------------------------------------------------------------------------
    def units_in(self, *labels: str) -> list[int]:
        """Evidence units whose (majority) section is one of ``labels``."""
        return [k for k, lab in enumerate(self.unit_labels) if lab in labels]

    def p(self, unit: int, tag: str) -> float:
        assert self.tags is not None
        return self.tags.p(unit, tag)

    def best(self, units: list[int], tag: str) -> tuple[int | None, float]:
        """The unit among ``units`` most likely to carry ``tag``, and that probability."""
        if not units or self.tags is None:
            return None, 0.0
        k = max(units, key=lambda u: self.p(u, tag))
        return k, self.p(k, tag)

    def threshold(self, name: str, default: float = 0.5) -> float:
        """A decision threshold chosen in training (``evidence.npz``), or a pack override."""
        if name in self.params:
            return float(self.params[name])
        if self.tags is not None:
            return self.tags.thresholds.get(name, default)
        return default

    def unit_hit(self, first_unit: int, last_unit: int | None = None,
                 **fields: object) -> Hit:
        """A hit over evidence units ``[first_unit, last_unit]`` quoting their words."""
        assert self.tags is not None
        a = self.tags.units[first_unit].first
        b = self.tags.units[first_unit if last_unit is None else last_unit].last
        # A unit may open with the last word of the sentence before ("… it never made it
        # onto the roadmap first. My manager asked me …"): when that word is in another
        # section than the unit's, the finding starts where the unit's own section does.
        own = self.unit_labels[first_unit] if self.unit_labels else None
        while a < b and own is not None and self.labels[a] != own:
            a += 1
        # Quote the words that cost them, not the "Yes." or "so, um" that led into them.
        while a < b and (self.norms[a] in _LEAD_INS or self.tokens[a].is_filler_gap
                         or self.tokens[a].is_unrecognised):
            a += 1
        return self.clause_hit(a, b, at=a, **fields)

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
