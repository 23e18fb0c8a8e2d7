"""Speech the recogniser could not read ("…", kind "unrecognised") is never a filler or pace."""

from __future__ import annotations

import json

from starcoach.rubric.analyze import analyze
from starcoach.rubric.inputs import parse_words_json
from starcoach.rubric.model import Word
from starcoach.rubric.text import estimate_words


def _with(kind: str, n: int) -> list[Word]:
    words = estimate_words("I found the failing job and fixed the retry logic myself. " * 6)
    out: list[Word] = []
    for i, w in enumerate(words):
        out.append(w)
        if i % 10 == 5 and len([x for x in out if x.kind == kind]) < n:
            out.append(Word("…" if kind == "unrecognised" else "um", w.end, w.end, kind))
    return out


def test_unrecognised_spans_count_as_neither_fillers_nor_words():
    plain = analyze(_with("word", 0)).metrics
    unknown = analyze(_with("unrecognised", 5)).metrics
    assert unknown["filler_count"] == 0
    assert unknown["words"] == plain["words"]
    assert unknown["wpm"] == plain["wpm"]
    fillers = analyze(_with("filler", 5)).metrics
    assert fillers["filler_count"] == 5 and fillers["words"] == plain["words"]


def test_timed_words_json_takes_the_unrecognised_kind():
    text = json.dumps([
        {"text": "I", "start": 0.0, "end": 0.2},
        {"text": "…", "start": 0.3, "end": 1.1, "kind": "unrecognised"},
        {"text": "fixed", "start": 1.2, "end": 1.6},
    ])
    words = parse_words_json(text)
    assert [w.kind for w in words] == ["word", "unrecognised", "word"]
