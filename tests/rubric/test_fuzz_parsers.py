"""Fuzzing the answer readers (rubric/inputs.py) with hypothesis: whatever the bytes, the
result is valid words or one ``InputError`` line, never another exception, and the words
that get through analyse and render to terminal-safe text.

Bounded and deterministic (``derandomize``): a few seconds in all.
"""

from __future__ import annotations

import json
import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starcoach.rubric.analyze import analyze
from starcoach.rubric.inputs import (
    MAX_TIME_S,
    MAX_WORD_CHARS,
    InputError,
    parse_transcript,
    parse_words_json,
    read_answer,
)
from starcoach.rubric.render import render_text

FUZZ = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")

ANY_CHAR = st.characters(codec=None, categories=None)  # surrogates and controls included
HOSTILE_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=30),
    st.sampled_from(["\x1b[2J", "\x9b31m", "\u202e", "\ud800", "\x00", "I", "we", "um",
                     "so,", "x" * 101, " ", "\n", "", "{heard}", "%s"]),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=200),
    st.sampled_from([0, -0.0, 1e-320, 1e308, MAX_TIME_S, MAX_TIME_S + 1, 2**63]),
)
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, HOSTILE_TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(HOSTILE_TEXT, inner, max_size=4)),
    max_leaves=12,
)
WORD = st.fixed_dictionaries(
    {"text": HOSTILE_TEXT, "start": NUMBERS, "end": NUMBERS},
    optional={"kind": st.one_of(st.sampled_from(["word", "filler", "noise"]), JSON_VALUE),
              "extra": JSON_VALUE},
)
ORDERED_WORD_LISTS = st.lists(
    st.tuples(st.text(st.characters(codec="utf-8"), min_size=1, max_size=12),
              st.floats(0, 3), st.floats(0, 2)),
    min_size=1, max_size=40,
).map(lambda items: _ordered(items))


def _ordered(items: list[tuple[str, float, float]]) -> list[dict]:
    t, out = 0.0, []
    for text, gap, length in items:
        out.append({"text": text, "start": t + gap, "end": t + gap + length})
        t += gap + length
    return out


def check_words(words) -> None:
    """The invariants every accepted word list keeps."""
    assert words
    for w in words:
        assert isinstance(w.text, str) and 0 < len(w.text) <= MAX_WORD_CHARS
        assert not UNSAFE.search(w.text) and w.text == w.text.strip()
        assert math.isfinite(w.start) and math.isfinite(w.end)
        assert 0 <= w.start <= w.end <= MAX_TIME_S
        assert w.kind in ("word", "filler")


def parse_or_refuse(text: str):
    try:
        words = parse_words_json(text, "fuzz.json")
    except InputError as exc:
        message = str(exc)
        assert message.startswith("fuzz.json: ") and "\n" not in message
        return None
    check_words(words)
    return words


@FUZZ
@given(st.text(ANY_CHAR, max_size=200))
def test_any_text_as_json_is_words_or_one_line(text):
    parse_or_refuse(text)


@FUZZ
@given(JSON_VALUE)
def test_any_json_document_is_words_or_one_line(value):
    parse_or_refuse(json.dumps(value))
    parse_or_refuse(json.dumps({"words": value}))


@FUZZ
@given(st.lists(WORD, max_size=8), st.booleans())
def test_hostile_word_lists_are_words_or_one_line(words, wrapped):
    parse_or_refuse(json.dumps({"words": words} if wrapped else words))


@settings(FUZZ, max_examples=40)
@given(ORDERED_WORD_LISTS)
def test_accepted_words_analyse_and_render_safely(words):
    parsed = parse_or_refuse(json.dumps(words))
    if parsed is None:
        return
    report = analyze(parsed, timing="words")
    text = render_text(report)
    assert not UNSAFE.search(text.replace("\n", ""))
    json.dumps(report.to_json(), ensure_ascii=False).encode("utf-8")  # no lone surrogates


@FUZZ
@given(st.text(ANY_CHAR, max_size=300))
def test_any_transcript_text_is_words_or_one_line(text):
    try:
        words = parse_transcript(text, "fuzz.txt")
    except InputError as exc:
        assert str(exc).startswith("fuzz.txt: ")
        return
    check_words(words)


@FUZZ
@given(st.binary(max_size=300), st.sampled_from([".txt", ".json", ".TXT", ".md"]),
       st.booleans())
def test_any_bytes_on_disk_are_words_or_one_line(tmp_path, data, suffix, bom):
    path = tmp_path / f"answer{suffix}"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    try:
        words, timing = read_answer(path)
    except InputError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return
    check_words(words)
    assert timing in ("words", "estimated")
