"""Reads the clause-tagged evidence corpus (``assets/corpus/evidence/*.txt``, FORMAT.md there).

Training and evaluation only: the running app never imports this module. Each answer
becomes timed words (estimated at a speaking rate), a STAR label per word, and for each
clause the evidence tags a careful interviewer would hear in it. The rules an answer
should raise are derived from those tags (``gold_rules``), the same way for every answer,
so the corpus states evidence once and the rule labels cannot drift from it.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from starcoach.rubric.evidence import TAGS
from starcoach.rubric.model import SECTION_LABELS, Word
from starcoach.rubric.rules.ownership import beside
from starcoach.rubric.text import estimate_words

HEADLINE = "headline"
STYLES = ("spoken", "terse", "rambling", "non-native", "present", "published")
_SECTION_TAG = re.compile(r"^\[(\w+)\]\s*$")


class EvidenceCorpusError(ValueError):
    """A file that does not follow ``assets/corpus/evidence/FORMAT.md``."""


@dataclass(slots=True)
class Clause:
    label: str  # section (``headline`` for an opening result)
    tags: frozenset[str]
    text: str


@dataclass(slots=True)
class EvidenceAnswer:
    id: str
    principle: str
    level: str
    style: str
    clauses: list[Clause]
    words: list[Word] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # section per word
    clause_of: list[int] = field(default_factory=list)  # clause index per word
    probe: dict[str, str] = field(default_factory=dict)  # follow-up replies only

    @property
    def heldout(self) -> bool:
        """A stable quarter never used for training (by id, as the older corpus does)."""
        return zlib.crc32(self.id.encode()) % 4 == 0

    def word_tags(self) -> list[frozenset[str]]:
        return [self.clauses[c].tags for c in self.clause_of]


def evidence_dir() -> Path:
    return Path(str(resources.files("starcoach.assets") / "corpus" / "evidence"))


def load_evidence(directory: Path | None = None, *, followups: bool = False
                  ) -> list[EvidenceAnswer]:
    """Every answer in ``directory`` (default: the bundled evidence corpus).

    ``followups`` selects the follow-up reply files (blocks with a ``check:`` header)
    instead of the answer files.
    """
    directory = directory or evidence_dir()
    out: list[EvidenceAnswer] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("*.txt")):
        for ans in parse_evidence(path.read_text(encoding="utf-8"), str(path)):
            if bool(ans.probe) != followups:
                continue
            if ans.id in seen:
                raise EvidenceCorpusError(f"{path}: duplicate id {ans.id!r}")
            seen.add(ans.id)
            out.append(ans)
    return out


def parse_evidence(text: str, source: str = "<evidence>") -> list[EvidenceAnswer]:
    blocks = re.split(r"^=== ", text, flags=re.M)
    return [_parse_block(b, source) for b in blocks[1:] if b.strip()]


def _parse_block(block: str, source: str) -> EvidenceAnswer:
    lines = block.splitlines()
    answer_id = lines[0].strip()
    where = f"{source}: {answer_id}"
    headers: dict[str, str] = {}
    clauses: list[Clause] = []
    current: str | None = None
    sections_seen = 0
    for raw in lines[1:]:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tag = _SECTION_TAG.match(line)
        if tag:
            current = tag.group(1)
            if current not in SECTION_LABELS:
                raise EvidenceCorpusError(f"{where}: unknown section [{current}]")
            if sections_seen == 0 and current == "result":
                current = HEADLINE
            sections_seen += 1
            continue
        if " | " in line or line.startswith("- |") or line.startswith("-|"):
            tags_part, _, body = line.partition("|")
            names = tags_part.split()
            if names == ["-"]:
                names = []
            bad = [n for n in names if n not in TAGS]
            if bad:
                raise EvidenceCorpusError(f"{where}: unknown tag(s) {', '.join(bad)}")
            if current is None:
                # a reply block: its section comes from the header
                current = headers.get("section", "action")
            clauses.append(Clause(current, frozenset(names), body.strip()))
            continue
        if current is None and ":" in line:
            key, _, value = line.partition(":")
            headers[key.strip()] = value.strip()
            continue
        raise EvidenceCorpusError(f"{where}: line is not 'TAGS | text': {line[:60]!r}")
    if not clauses:
        raise EvidenceCorpusError(f"{where}: no clauses")
    # an answer whose only section is a result is not a headline
    if all(c.label == HEADLINE for c in clauses):
        for c in clauses:
            c.label = "result"
    probe = {k: headers[k] for k in ("check", "label", "section", "probe") if k in headers}
    ans = EvidenceAnswer(answer_id, headers.get("principle", "ownership"),
                         headers.get("level", "mid"), headers.get("style", "spoken"),
                         clauses, probe=probe)
    pieces: list[str] = []
    for k, c in enumerate(clauses):
        toks = c.text.split()
        pieces.extend(toks)
        ans.labels.extend([c.label] * len(toks))
        ans.clause_of.extend([k] * len(toks))
    ans.words = estimate_words(" ".join(pieces))
    if len(ans.words) != len(ans.labels):
        raise EvidenceCorpusError(f"{where}: token/label mismatch")
    return ans


_SENIOR = ("senior", "principal")


def gold_rules(ans: EvidenceAnswer) -> set[str]:
    """The content rules the tags say should fire (timing rules are derived elsewhere)."""
    cl = ans.clauses

    def sec(c: Clause) -> str:
        return "result" if c.label == HEADLINE else c.label

    out: set[str] = set()
    body = list(cl)
    for k, c in enumerate(body):
        if "handoff" in c.tags and sec(c) in ("task", "action", "result"):
            near = body[k:k + 3]
            if any("other" in n.tags for n in near):
                out.add("escalation_handoff")
            elif any("wait" in n.tags for n in near):
                out.add("passive_handoff")
    if any("we" in c.tags and sec(c) == "action" for c in cl):
        out.add("we_language")
    if any("directed" in c.tags for c in cl):
        out.add("manager_directed")
    before_result = [c for c in cl if sec(c) in ("situation", "task", "action")]
    if any("vague_reason" in c.tags and not any("reason" in n.tags
                                                for n in beside(before_result, k))
           for k, c in enumerate(before_result)) or (
            before_result and not any("reason" in c.tags for c in before_result)):
        out.add("vague_motivation")
    if ans.principle == "ownership" and not any("scope" in c.tags for c in cl):
        out.add("missing_scope_boundary")
    late = [c for c in cl if sec(c) in ("result", "reflection")]
    result = [c for c in cl if sec(c) == "result"]
    if not any("delta" in c.tags for c in late):
        out.add("no_metric_delta")
    if not any("business" in c.tags for c in result):
        out.add("no_business_impact")
    if not any("second" in c.tags for c in late):
        out.add("no_second_order_effect")
    if any("vague_outcome" in c.tags for c in late):
        out.add("vague_outcome")
    refl = [c for c in cl if sec(c) == "reflection"]
    if any("generic" in c.tags for c in refl) and not any("lesson" in c.tags for c in refl):
        out.add("generic_reflection")
    if ans.level in _SENIOR and refl and not any("systemic" in c.tags for c in refl):
        out.add("no_systemic_insight")
    if any("hedge" in c.tags for c in cl):
        out.add("hedging")
    return out
