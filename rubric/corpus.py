"""Reads the labelled answer corpus (``assets/corpus/batch-*.txt``, format in FORMAT.md).

The corpus trains the segmenter and measures segmentation accuracy and rule F1; it is
the only place gold labels come from.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from starcoach.rubric.model import SECTION_LABELS, Word
from starcoach.rubric.text import estimate_words

HEADLINE = "headline"  # a leading one-sentence result; scored as ``result``
_MARK = re.compile(r"\{([a-z_]+):\s*([^{}]*)\}")
_SECTION_TAG = re.compile(r"^\[(\w+)\]\s*$")


class CorpusError(ValueError):
    """A corpus file that does not follow FORMAT.md."""


@dataclass(slots=True)
class CorpusAnswer:
    id: str
    principle: str
    level: str
    industry: str
    question: str
    expect: set[str]
    words: list[Word] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # per word; "headline" for the opener
    marks: list[tuple[str, int, int]] = field(default_factory=list)  # rule, first, last

    @property
    def heldout(self) -> bool:
        """A stable quarter of the corpus never used for training."""
        return is_heldout(self.id)

    def expected_content_rules(self) -> set[str]:
        return set(self.expect) | {rule for rule, _, _ in self.marks}

    def gold_sections(self) -> list[tuple[str, int, int]]:
        """Runs of equal labels as (label, first word, last word); headline → result."""
        runs: list[tuple[str, int, int]] = []
        for i, lab in enumerate(self.labels):
            lab = "result" if lab == HEADLINE else lab
            if runs and runs[-1][0] == lab:
                runs[-1] = (lab, runs[-1][1], i)
            else:
                runs.append((lab, i, i))
        return runs


def is_heldout(answer_id: str) -> bool:
    return zlib.crc32(answer_id.encode()) % 4 == 0


def corpus_dir() -> Path:
    return Path(str(resources.files("starcoach.assets") / "corpus"))


def load_corpus(directory: Path | None = None) -> list[CorpusAnswer]:
    """Every answer of every ``batch-*.txt`` in ``directory`` (default: the bundled corpus)."""
    directory = directory or corpus_dir()
    answers: list[CorpusAnswer] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("batch-*.txt")):
        for ans in parse_corpus(path.read_text(encoding="utf-8"), str(path)):
            if ans.id in seen:
                raise CorpusError(f"{path}: duplicate answer id {ans.id!r}")
            seen.add(ans.id)
            answers.append(ans)
    return answers


def parse_corpus(text: str, source: str = "<corpus>") -> list[CorpusAnswer]:
    blocks = re.split(r"^=== ", text, flags=re.M)
    out = []
    for block in blocks[1:]:
        out.append(_parse_answer(block, source))
    return out


def _parse_answer(block: str, source: str) -> CorpusAnswer:
    lines = block.splitlines()
    answer_id = lines[0].strip()
    headers: dict[str, str] = {}
    body: list[tuple[str, str]] = []
    current: str | None = None
    chunks: list[str] = []
    for line in lines[1:]:
        tag = _SECTION_TAG.match(line.strip())
        if tag:
            if current is not None:
                body.append((current, " ".join(chunks)))
            current, chunks = tag.group(1), []
            if current not in SECTION_LABELS:
                raise CorpusError(f"{source}: {answer_id}: unknown section [{current}]")
        elif current is None:
            if ":" in line:
                key, _, value = line.partition(":")
                headers[key.strip()] = value.strip()
        elif line.strip():
            chunks.append(line.strip())
    if current is not None:
        body.append((current, " ".join(chunks)))
    for key in ("principle", "level", "question"):
        if key not in headers:
            raise CorpusError(f"{source}: {answer_id}: missing header {key!r}")
    ans = CorpusAnswer(
        id=answer_id,
        principle=headers["principle"],
        level=headers["level"],
        industry=headers.get("industry", ""),
        question=headers["question"],
        expect={r.strip() for r in headers.get("expect", "").split(",") if r.strip()},
    )
    pieces: list[str] = []
    for n, (label, text) in enumerate(body):
        is_headline = n == 0 and label == "result" and len(body) > 1
        label = HEADLINE if is_headline else label
        pos = 0
        for m in _MARK.finditer(text):
            before = text[pos:m.start()].split()
            pieces.extend(before)
            ans.labels.extend([label] * len(before))
            inner = m.group(2).split()
            first = len(pieces)
            pieces.extend(inner)
            ans.labels.extend([label] * len(inner))
            if inner:
                ans.marks.append((m.group(1), first, len(pieces) - 1))
            pos = m.end()
        rest = text[pos:]
        if "{" in rest or "}" in rest:
            raise CorpusError(f"{source}: {answer_id}: unbalanced mark in [{label}]")
        tail = rest.split()
        pieces.extend(tail)
        ans.labels.extend([label] * len(tail))
    ans.words = estimate_words(" ".join(pieces))
    if len(ans.words) != len(ans.labels):
        raise CorpusError(f"{source}: {answer_id}: token/label mismatch")
    return ans


@dataclass(frozen=True, slots=True)
class FollowUpReply:
    """One labelled reply to an interviewer probe (``assets/corpus/followups-eval.txt``)."""

    id: str
    check: str
    weak: bool
    section: str
    text: str

    @property
    def development(self) -> bool:
        """Odd-numbered replies were used to develop detectors; even ones never were."""
        return int(self.id.rsplit("-", 1)[1]) % 2 == 1


def load_followup_replies(path: Path | None = None) -> list[FollowUpReply]:
    """The blind follow-up set, written without sight of the detectors."""
    path = path or corpus_dir() / "followups-eval.txt"
    replies = []
    for block in re.split(r"^=== ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        lines = block.strip().splitlines()
        head: dict[str, str] = {}
        body: list[str] = []
        for line in lines[1:]:
            key, sep, value = line.partition(":")
            if sep and not body and key in ("check", "label", "section"):
                head[key] = value.strip()
            else:
                body.append(line.strip())
        if set(head) != {"check", "label", "section"} or head["label"] not in ("weak", "strong"):
            raise CorpusError(f"{path}: {lines[0].strip()}: needs check, label and section")
        replies.append(FollowUpReply(lines[0].strip(), head["check"], head["label"] == "weak",
                                     head["section"], " ".join(body)))
    return replies
