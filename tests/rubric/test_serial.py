"""The report and words JSON layout: what is written reads back equal, both ways, and a
damaged document is refused (strict) or counted as less (lenient), never a crash."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starcoach.rubric.analyze import analyze
from starcoach.rubric.model import Finding, Report, Section, Word
from starcoach.rubric.serial import (
    SerialError,
    report_from_json,
    report_to_json,
    words_from_json,
    words_to_json,
)
from starcoach.rubric.text import estimate_words

SETTINGS = settings(max_examples=120, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(max_size=12)
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), TEXT,
                        st.floats(allow_nan=False, allow_infinity=False))
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)), max_leaves=8)


def seconds(places: int) -> st.SearchStrategy[float]:
    """Times as written: rounded to ``places`` decimals, so they survive the trip exactly."""
    return st.integers(0, 4 * 3600 * 10**places).map(lambda n: round(n / 10**places, places))


WORDS = st.builds(Word, TEXT, seconds(3), seconds(3),
                  st.sampled_from(["word", "filler", "unrecognised"]))
LABELS = st.sampled_from(["situation", "task", "action", "result", "reflection"])
SECTIONS = st.builds(Section, LABELS, st.integers(0, 500), st.integers(-1, 500), seconds(2),
                     seconds(2), st.one_of(st.none(), st.sampled_from([20.0, 45.0, 70.5])))
FINDINGS = st.builds(Finding, st.sampled_from(["we_language", "hedging", "my_rule"]),
                     st.sampled_from(["major", "minor", "info"]), st.one_of(st.none(), LABELS),
                     TEXT, TEXT, st.tuples(st.integers(0, 500), st.integers(0, 500)),
                     seconds(2), seconds(2), TEXT)
REPORTS = st.builds(
    Report, st.one_of(st.none(), TEXT), TEXT.filter(bool), st.sampled_from(["junior", "mid"]),
    st.one_of(st.none(), TEXT), st.sampled_from(["audio", "words", "estimated"]), seconds(2),
    st.lists(WORDS, max_size=6), st.lists(SECTIONS, max_size=4), st.lists(FINDINGS, max_size=4),
    st.dictionaries(TEXT, JSON_VALUE, max_size=3), st.dictionaries(TEXT, JSON_VALUE, max_size=3),
    TEXT)


@SETTINGS
@given(st.lists(WORDS, max_size=20))
def test_words_come_back_as_they_were_written(words):
    data = json.loads(json.dumps(words_to_json(words)))
    assert words_from_json(data) == words
    assert words_to_json(words_from_json(data)) == data


@SETTINGS
@given(REPORTS)
def test_reports_come_back_as_they_were_written(report):
    data = json.loads(json.dumps(report_to_json(report)))
    back = report_from_json(data)
    assert back == report
    assert report_to_json(back) == data
    assert report_from_json(data, lenient=True) == report  # lenient reads a good one the same


def test_an_analysed_report_survives_the_trip():
    report = analyze(estimate_words("I led the fix and we shipped it; errors fell from forty "
                                    "to two a day, and I learned to own the outcome."))
    data = json.loads(json.dumps(report_to_json(report)))
    assert report_to_json(report_from_json(data)) == data
    assert report.to_json() == report_to_json(report)  # the model's shorthand is the same


@pytest.mark.parametrize(("damage", "needle"), [
    (lambda d: d.update(words="many"), "'words' must be a list"),
    (lambda d: d["words"].append({"text": "x", "start": "zero", "end": 1}),
     "'start' must be a number of seconds"),
    (lambda d: d["words"].append({"text": "x", "start": 0, "end": 1, "kind": "hum"}), "'kind'"),
    (lambda d: d["sections"].append({"label": "task"}), "sections[1]: 'start_s'"),
    (lambda d: d["findings"].append({"rule": "hedging", "severity": "minor"}), "'word_span'"),
    (lambda d: d.update(scores=[1]), "'scores' must be a JSON object"),
])
def test_a_damaged_report_is_refused_naming_the_field_or_read_leniently(damage, needle):
    good = {"words": [{"text": "I", "start": 0.0, "end": 0.2}],
            "sections": [{"label": "situation", "start_s": 0, "end_s": 0.2, "target_s": 45,
                          "first_word": 0, "last_word": 0}],
            "findings": [], "scores": {"overall": 50}}
    damage(good)
    with pytest.raises(SerialError, match=needle.replace("[", r"\[")):
        report_from_json(good)
    lenient = report_from_json(good, lenient=True)
    assert lenient.sections[0].label == "situation"


@SETTINGS
@given(JSON_VALUE)
def test_any_json_is_a_report_a_refusal_or_a_lenient_reading(data):
    try:
        report_from_json(data)
    except SerialError as exc:
        assert "\n" not in str(exc)
    if isinstance(data, dict):
        assert isinstance(report_from_json(data, lenient=True), Report)
    else:
        with pytest.raises(SerialError):
            report_from_json(data, lenient=True)
