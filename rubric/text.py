"""Words as the analyser sees them: normalised tokens, sentence/clause units, estimated timing.

Whisper writes words with leading spaces and attached punctuation ("so,", "it."); the
rubric works on lower-case tokens without punctuation but keeps where punctuation fell,
because sentence ends are the best boundary evidence a transcript has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starcoach.rubric.model import Word

_PUNCT_STRIP = re.compile(r"^[^\w$%']+|[^\w$%']+$")
_SENT_END = re.compile(r"[.?!…]+[\"')\]]*$")
_COMMA_END = re.compile(r"[,;:—–-]+[\"')\]]*$")

# Words a clause can open with that often start a new thought in run-on speech.
# These only propose *candidate* unit boundaries; labels come from the learned model.
_CLAUSE_OPENERS = frozenset(
    "so then and but after because once when which while looking if first second third "
    "finally next later eventually afterwards meanwhile overall honestly basically anyway um "
    "uh".split()
)

SPEAKING_RATE_WPM = 150.0


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised word: ``norm`` is lower-case without surrounding punctuation."""

    index: int
    raw: str
    norm: str
    sent_end: bool
    comma: bool
    is_filler_gap: bool = False  # a filled pause found in the audio (kind "filler")
    is_unrecognised: bool = False  # speech heard but not recognised (kind "unrecognised")


def normalise(text: str) -> str:
    """Lower-case a word and strip surrounding punctuation (keeps $, % and apostrophes)."""
    t = text.strip().lower().replace("’", "'").replace("‘", "'")
    t = _PUNCT_STRIP.sub("", t)
    return t.strip("'")


def tokenize(words: list[Word]) -> list[Token]:
    """Turn timed words into tokens, remembering sentence and comma punctuation."""
    out: list[Token] = []
    for i, w in enumerate(words):
        raw = w.text.strip()
        out.append(
            Token(
                index=i,
                raw=raw,
                norm=normalise(raw),
                sent_end=bool(_SENT_END.search(raw)),
                comma=bool(_COMMA_END.search(raw)),
                is_filler_gap=w.kind == "filler",
                is_unrecognised=w.kind == "unrecognised",
            )
        )
    return out


def estimate_words(text: str, wpm: float = SPEAKING_RATE_WPM) -> list[Word]:
    """Give plain text plausible timings from a speaking rate (marked ``estimated`` upstream).

    Each word gets a share of time proportional to its length (long words take longer),
    normalised so the average rate is ``wpm``; sentence ends and commas add short pauses.
    """
    pieces = text.split()
    if not pieces:
        return []
    per_word = 60.0 / wpm
    weights = [0.55 + 0.45 * min(len(p), 12) / 5.0 for p in pieces]
    scale = len(pieces) / sum(weights)
    words: list[Word] = []
    t = 0.0
    for piece, weight in zip(pieces, weights, strict=True):
        dur = per_word * weight * scale * 0.85
        words.append(Word(piece, round(t, 3), round(t + dur, 3)))
        t += dur
        if _SENT_END.search(piece):
            t += per_word * 0.6
        elif _COMMA_END.search(piece):
            t += per_word * 0.3
        else:
            t += per_word * 0.15
    return words


@dataclass(frozen=True, slots=True)
class Unit:
    """A clause-sized run of tokens ``[first, last]``: the atom the segmenter labels."""

    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def split_units(tokens: list[Token], words: list[Word], max_len: int = 22,
                min_len: int = 4) -> list[Unit]:
    """Cut a transcript into clause-like units.

    Boundaries fall after sentence punctuation, at long pauses, and — inside long
    unpunctuated stretches — before clause openers ("so", "and then", "after") or after
    commas, so that a section change in run-on speech lands on a unit edge.
    """
    n = len(tokens)
    if n == 0:
        return []
    hard = [False] * n  # hard[i]: a boundary after token i
    soft = [0.0] * n
    for i in range(n - 1):
        tok = tokens[i]
        gap = words[i + 1].start - words[i].end
        if tok.sent_end or gap >= 0.9:
            hard[i] = True
            continue
        nxt = tokens[i + 1].norm
        score = 0.0
        if tok.comma:
            score += 1.0
        if nxt in _CLAUSE_OPENERS:
            score += 1.0
            if nxt in ("so", "and") and i + 2 < n and tokens[i + 2].norm in (
                    "then", "i", "so", "after", "that", "we", "the", "what", "now",
                    "yeah", "um", "uh", "looking", "in", "overall", "by"):
                score += 0.5
        if gap >= 0.35:
            score += 1.0
        soft[i] = score
    units: list[Unit] = []
    start = 0
    for i in range(n):
        end_here = i == n - 1 or hard[i]
        if not end_here:
            length = i - start + 1
            if ((length >= min_len and soft[i] >= 1.5) or (length >= 9 and soft[i] >= 1.0)
                    or length >= max_len):
                end_here = True
        if end_here:
            units.append(Unit(start, i))
            start = i + 1
    return _merge_tiny(units, min_len)


def _merge_tiny(units: list[Unit], min_len: int) -> list[Unit]:
    """Fold units shorter than ``min_len`` into a neighbour (the following one, or the last)."""
    merged: list[Unit] = []
    pending: Unit | None = None
    for u in units:
        if pending is not None:
            u = Unit(pending.first, u.last)
            pending = None
        if u.size < min_len:
            pending = u
            continue
        merged.append(u)
    if pending is not None:
        if merged:
            merged[-1] = Unit(merged[-1].first, pending.last)
        else:
            merged.append(pending)
    return merged
