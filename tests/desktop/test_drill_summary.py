"""The follow-up drill's summary counts skipped probes as skipped, not as held up."""

from __future__ import annotations

from starcoach.desktop.drill.progress import DrillProgress
from starcoach.rubric.analyze import analyze
from starcoach.rubric.packs import builtin_catalogue
from starcoach.rubric.text import estimate_words as timed

from .conftest import WEAK_ANSWER


def _progress() -> DrillProgress:
    cat = builtin_catalogue()
    question = cat.questions["ownership-failure"]
    main = analyze(timed(WEAK_ANSWER), question="ownership-failure", level="senior")
    return DrillProgress(main, "ownership-failure", question.followups, level="senior")


def test_one_strong_reply_and_three_skipped_is_not_every_reply_held_up():
    drill = _progress()
    first = drill.current
    assert first is not None
    result = drill.judge(first.followup, timed(first.followup.strong))
    assert not result.weak
    drill.record(first, timed(first.followup.strong), 9.0, True, result)
    drill.advance()
    drill.finish()
    line = drill.rating_change()
    assert "every reply held up" not in line
    assert f"3 skipped of {drill.count}" in line and "1 reply you gave held up" in line


def test_every_probe_answered_strongly_holds_up():
    drill = _progress()
    while drill.current is not None:
        o = drill.current
        words = timed(o.followup.strong)
        drill.record(o, words, 9.0, True, drill.judge(o.followup, words))
        drill.advance()
    assert "every reply held up" in drill.rating_change()
