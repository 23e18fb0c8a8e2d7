"""Each fact has one source: section names and order from the rubric, targets from the packs."""

from __future__ import annotations

import dataclasses

from starcoach.desktop import wording
from starcoach.desktop.history.progress import section_name
from starcoach.desktop.practice.cue import current_cue, targets_for
from starcoach.rubric.live import LiveState
from starcoach.rubric.model import SECTION_LABELS, SECTION_NAMES
from starcoach.rubric.packs import default_catalogue


def test_section_names_come_from_the_rubric():
    assert list(SECTION_NAMES) == list(SECTION_LABELS)
    for label in SECTION_LABELS:
        assert wording.section_name(label) == section_name(label) == SECTION_NAMES[label]
    assert section_name("answer") == wording.section_name(None) == "Whole answer"


def test_the_cue_takes_its_targets_from_the_resolved_pack():
    cat = default_catalogue()
    q = cat.questions["ownership-failure"]
    assert targets_for(q.id, q.principle, "mid", None) == q.targets
    tight = dataclasses.replace(cat, targets={**cat.targets, "situation": 30.0})
    assert targets_for(None, "no-such-principle", "mid", None, tight)["situation"] == 30.0
    cue = current_cue(LiveState("situation", 0.0, 0.99), 31.0, [],
                      targets_for(None, "no-such-principle", "mid", None, tight))
    assert cue.alert and cue.text() == "Situation 0:31 / 0:30 — move on"
