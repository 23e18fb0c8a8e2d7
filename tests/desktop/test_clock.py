"""One duration format everywhere: ``m:ss``, whole seconds rounded halves up, never negative."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starcoach.rubric.clock import clock, whole_seconds
from starcoach.rubric.model import Finding, Report, Section, Word
from starcoach.rubric.render import render_text


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0:00"), (0.49, "0:00"), (0.5, "0:01"), (2.5, "0:03"), (47.4, "0:47"), (47.5, "0:48"),
    (59.6, "1:00"), (83.4, "1:23"), (600, "10:00"), (3725.2, "62:05"), (-3, "0:00"),
])
def test_the_rule(seconds, text):
    assert clock(seconds) == text


def test_none_is_what_the_caller_says():
    assert clock(None) == "0:00" and clock(None, "—") == "—"


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(st.floats(0, 10_000, allow_nan=False))
def test_the_live_cue_and_the_review_show_the_same_second(seconds):
    from starcoach.desktop.practice.cue import Cue

    cue = Cue(None, seconds, None).text()  # the answer's clock while speaking
    report = Report(None, "ownership", "mid", None, "words", seconds, [Word("I", 0, seconds)],
                    [Section("situation", 0, 0, 0.0, seconds, None)],
                    [Finding("hedging", "info", "situation", "m", "s", (0, 0), seconds,
                             seconds)],
                    scores=dict.fromkeys(("structure", "ownership", "impact", "reflection",
                                          "delivery", "overall"), 50))
    text = render_text(report)  # the text report of the same answer
    assert cue == clock(seconds)
    assert f"Length {cue}," in text and f"[{cue} situation]" in text
    assert abs(whole_seconds(seconds) - seconds) <= 0.5
