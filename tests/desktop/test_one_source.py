"""Each fact has one source: section names and order from the rubric, targets from the packs."""

from __future__ import annotations

import dataclasses

from starcoach.desktop import wording
from starcoach.desktop.attempts.progress import section_name
from starcoach.desktop.practice.cue import current_cue, targets_for
from starcoach.rubric.live import LiveState
from starcoach.rubric.model import SECTION_LABELS, SECTION_NAMES
from starcoach.rubric.packs import builtin_catalogue


def test_section_names_come_from_the_rubric():
    assert list(SECTION_NAMES) == list(SECTION_LABELS)
    for label in SECTION_LABELS:
        assert wording.section_name(label) == section_name(label) == SECTION_NAMES[label]
    assert section_name("answer") == wording.section_name(None) == "Whole answer"


def test_the_cue_takes_its_targets_from_the_resolved_pack():
    cat = builtin_catalogue()
    q = cat.questions["ownership-failure"]
    assert targets_for(q.id, q.principle, "mid", None) == q.targets
    tight = dataclasses.replace(cat, targets={**cat.targets, "situation": 30.0})
    assert targets_for(None, "no-such-principle", "mid", None, tight)["situation"] == 30.0
    cue = current_cue(LiveState("situation", 0.0, 0.99), 31.0, [],
                      targets_for(None, "no-such-principle", "mid", None, tight))
    assert cue.alert and cue.text() == "Situation 0:31 / 0:30 — move on"


def test_one_text_layout_worded_by_ids_or_by_the_desktop():
    from starcoach.desktop.wording import REPORT_NAMES
    from starcoach.rubric.analyze import analyze
    from starcoach.rubric.render import render_text
    from starcoach.rubric.text import estimate_words

    report = analyze(estimate_words(
        "Last year our nightly export kept failing. We looked at the logs, we rewrote the job "
        "and we fixed it. Things got better. I guess communication is important."),
        question="ownership-failure")
    plain, worded = render_text(report), render_text(report, names=REPORT_NAMES)
    assert plain.startswith("StarCoach report — ownership-failure, mid level\n")
    assert worded.startswith("StarCoach report: Describe a time you took ownership")
    assert "we_language" in plain and "we_language" not in worded
    assert "Your actions told as “we”" in worded
    assert len(plain.splitlines()) == len(worded.splitlines())
    for a, b in zip(plain.splitlines(), worded.splitlines(), strict=True):
        if a.startswith("  situation"):  # the same clocks in the same columns
            assert a[11:] == b[11:]
