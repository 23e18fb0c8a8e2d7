"""The live cue's segmenter: positions against the answer's expected length, a section
named only when the belief is strong, never the Result or Reflection a few seconds in."""

from __future__ import annotations

from starcoach.rubric.live import live_state

from .conftest import timed
from .test_rules import ACTION, RESULT, SIT, STRONG, TASK


def _heard_until(words, t):
    return [w for w in words if w.end <= t]


def test_early_in_an_answer_it_is_never_the_result_or_reflection():
    words = timed(STRONG)
    action_starts = timed(SIT + TASK + ACTION)[len((SIT + TASK).split())].start
    assert action_starts > 20
    for t in range(4, int(action_starts) + 1, 2):
        state = live_state(_heard_until(words, t), float(t))
        assert state.label in (None, "situation", "task"), (t, state)


def test_the_situation_is_named_with_confidence_and_its_start():
    words = timed(SIT + "And it had been going on for weeks. ")
    state = live_state(words, words[-1].end + 1.0)
    assert state.label == "situation" and state.start_s == 0.0
    assert state.confidence >= 0.9


def test_deep_in_the_action_the_cue_follows():
    words = timed(SIT + TASK + ACTION)
    state = live_state(words, words[-1].end + 1.0)
    assert state.label in ("action", None)
    assert state.label != "situation"


def test_once_the_result_is_told_it_is_named():
    words = timed(SIT + TASK + ACTION + RESULT)
    state = live_state(words, words[-1].end + 1.0)
    assert state.label in ("result", None)
    assert state.start_s > timed(SIT + TASK)[-1].end


def test_unsure_means_no_section():
    state = live_state(timed("So, um, well."), 3.0)
    assert state.label is None or state.label == "situation"
    assert live_state([], 5.0).label is None


def test_past_the_target_an_action_still_being_told_is_not_the_end_of_the_answer():
    # A long Action running past the answer's target: the latest clause heard is not the
    # last the answer will have, so it must not read as the Result or Reflection.
    more = ACTION.replace("I pulled", "Then I pulled again")
    words = timed(SIT + TASK + ACTION + more + more.replace("Then", "After that"))
    assert words[-1].end > 135
    for t in range(125, int(words[-1].end) + 1, 5):
        state = live_state(_heard_until(words, t), float(t), answer_target_s=120.0)
        assert state.label in (None, "action"), (t, state)
