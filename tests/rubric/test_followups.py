"""Follow-up drills: the seed's probes separate weak from strong replies and move the rating."""

from __future__ import annotations

import pytest
from starcoach.rubric.analyze import analyze
from starcoach.rubric.followups import find_followup, judge_followup, rescore
from starcoach.rubric.packs import builtin_catalogue

from .conftest import timed
from .test_rules import STRONG

# Replies written for these tests (not the pack's own examples).
REPLIES = {
    "did-you-escalate": (
        "Sort of, I pinged their lead on Slack with the logs and her team sorted it out "
        "that week.",
        "I let their lead know so nobody was surprised, but I brought the patch with tests, "
        "booked the release slot with her and watched the error graph with them after."),
    "why-did-you-act": (
        "Honestly it just felt like the right thing to do at the time.",
        "Guests were calling support every day and some cancelled bookings, which was "
        "costing us money, and nobody else was working on it."),
    "other-team": (
        "I sent them my patch and then it was really up to them when they merged it.",
        "I walked two of their engineers through the cause, answered their questions about "
        "the retry change with the test results, and agreed the deploy window with them."),
    "how-do-you-know": (
        "The complaints pretty much stopped and the team told me it was fixed.",
        "I watched the delivery dashboard for two weeks: missing confirmations went from two "
        "percent to zero, about three hundred fewer support calls a month."),
}


@pytest.mark.parametrize("probe", sorted(REPLIES))
def test_seed_probes_separate_weak_from_strong(probe):
    weak, strong = REPLIES[probe]
    assert judge_followup("ownership-failure", probe, timed(weak)).weak
    assert not judge_followup("ownership-failure", probe, timed(strong)).weak


def test_weak_escalation_reply_rescores_the_answer_as_no_hire():
    main = analyze(timed(STRONG), question="ownership-failure")
    assert main.scores["verdict"] != "No Hire"
    weak = judge_followup("ownership-failure", "did-you-escalate",
                          timed(REPLIES["did-you-escalate"][0]))
    scores = rescore(main, [weak])
    assert scores["verdict"] == "No Hire"
    assert "re-scored" in scores["followup_effect"]
    strong = judge_followup("ownership-failure", "did-you-escalate",
                            timed(REPLIES["did-you-escalate"][1]))
    assert rescore(main, [strong])["verdict"] == main.scores["verdict"]


def test_other_weak_replies_lower_the_rating_one_band_each():
    main = analyze(timed(STRONG), question="ownership-failure")
    results = [judge_followup("ownership-failure", p, timed(REPLIES[p][0]))
               for p in ("why-did-you-act", "how-do-you-know")]
    scores = rescore(main, results)
    order = ["Strong Hire", "Hire", "Lean Hire", "Lean No Hire", "No Hire"]
    expected = order[min(4, order.index(main.scores["verdict"]) + 2)]
    assert scores["verdict"] == expected


def test_check_applies_whatever_the_pack_says():
    # deliver-results questions mark manager_directed as info; the drill still checks it.
    cat = builtin_catalogue()
    q = next(q for q in cat.questions.values()
             if any(f.check == "manager_directed" for f in q.followups))
    fu = next(f for f in q.followups if f.check == "manager_directed")
    res = judge_followup(q.id, fu.id, timed("My director asked me to take it on after the "
                                            "planning meeting."))
    assert res.weak and res.findings[0].severity == "major"


def test_unknown_probe_is_a_clear_error():
    with pytest.raises(KeyError, match="has no follow-up"):
        find_followup("ownership-failure", "nope")


def test_blind_followup_replies_held_out_half():
    """Replies written without sight of the detectors; the even half was never used to
    develop them (measured on the evidence layer: precision 0.97, recall 0.89, accuracy
    0.93; the phrase detectors it replaced: 0.94 / 0.89 / 0.91)."""
    from collections import Counter

    from starcoach.rubric.corpus import load_followup_replies
    from starcoach.rubric.evaluate import evaluate_followups

    replies = [r for r in load_followup_replies() if not r.development]
    assert len(replies) == 70
    total: Counter = Counter()
    for c in evaluate_followups(replies).values():
        total += c
    precision = total["tp"] / (total["tp"] + total["fp"])
    recall = total["tp"] / (total["tp"] + total["fn"])
    assert precision >= 0.9 and recall >= 0.85


SEED_PROBES = ("did-you-escalate", "why-did-you-act", "other-team", "how-do-you-know")
# Paraphrases of the seed's weak replies, written for these tests.
WEAK_PARAPHRASES = {
    "did-you-escalate": [
        "Yes. I pinged their tech lead on Slack with the logs, and they took it from there. "
        "I did not follow up after that.",
        "I raised a ticket in their queue with everything I had and their on-call fixed it.",
    ],
    "why-did-you-act": [
        "It just seemed like somebody should deal with it, so why not me.",
        "I don't know, it bugged me a bit and I had some spare time.",
    ],
    "other-team": [
        "I emailed my patch over to them and then waited to hear back.",
        "I dropped the fix in their channel and left it with them to merge whenever.",
    ],
    "how-do-you-know": [
        "People stopped complaining and my manager said it looked fixed.",
        "It seemed a lot better afterwards and nobody mentioned it again.",
    ],
}


@pytest.mark.parametrize("probe", SEED_PROBES)
def test_the_seeds_own_examples_are_judged_as_the_seed_says(probe):
    fu = find_followup("ownership-failure", probe)
    assert judge_followup("ownership-failure", probe, timed(fu.weak)).weak, fu.weak
    assert not judge_followup("ownership-failure", probe, timed(fu.strong)).weak, fu.strong


@pytest.mark.parametrize(("probe", "reply"), [(p, r) for p, rs in WEAK_PARAPHRASES.items()
                                              for r in rs])
def test_paraphrased_weak_replies_are_weak(probe, reply):
    assert judge_followup("ownership-failure", probe, timed(reply)).weak, reply


def test_tagged_followup_replies_held_out_quarter():
    """The held-out quarter of the clause-tagged reply set (never trained on)."""
    from collections import Counter

    from starcoach.rubric.evaluate import evaluate_tagged_followups
    from starcoach.rubric.evidence_corpus import load_evidence

    replies = [r for r in load_evidence(followups=True) if r.heldout]
    total: Counter = Counter()
    for c in evaluate_tagged_followups(replies).values():
        total += c
    precision = total["tp"] / (total["tp"] + total["fp"])
    recall = total["tp"] / (total["tp"] + total["fn"])
    assert precision >= TAGGED_PRECISION_FLOOR and recall >= TAGGED_RECALL_FLOOR


TAGGED_PRECISION_FLOOR = 0.95  # measured 0.97 (4 Dec)
TAGGED_RECALL_FLOOR = 0.80  # measured 0.83
