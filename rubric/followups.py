"""Interviewer follow-up drills: judge a reply to a probe, and let it move the rating.

Each probe in a pack names the rule (``check``) that separates a weak reply from a
strong one, and the section the reply belongs to. A reply is analysed as that one
section with the check switched on whatever the pack's level or lens says. A weak reply
lowers the main answer's verdict by one band, the way an interviewer's confidence drops;
a weak reply to a disqualifying probe (for ownership: escalating instead of fixing, or
being told to do it) re-scores the whole answer as No Hire, as the seed walkthrough says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starcoach.rubric.analyze import analyze
from starcoach.rubric.model import Finding, Report, Word
from starcoach.rubric.pack_schema import Catalogue, FollowUp
from starcoach.rubric.packs import builtin_catalogue
from starcoach.rubric.scoring import BANDS, DISQUALIFIERS

_VERDICTS = [label for _, label in BANDS]


@dataclass(frozen=True, slots=True)
class FollowUpResult:
    followup: FollowUp
    weak: bool
    findings: list[Finding]  # the check's findings, anchored on the reply's words
    report: Report


def find_followup(question_id: str, followup_id: str,
                  catalogue: Catalogue | None = None) -> FollowUp:
    cat = catalogue or builtin_catalogue()
    if question_id not in cat.questions:
        raise KeyError(f"unknown question {question_id!r}")
    for fu in cat.questions[question_id].followups:
        if fu.id == followup_id:
            return fu
    known = ", ".join(f.id for f in cat.questions[question_id].followups) or "none"
    raise KeyError(f"question {question_id!r} has no follow-up {followup_id!r} (known: {known})")


@dataclass(frozen=True, slots=True)
class Judgement:
    weak: bool
    findings: list[Finding]
    report: Report


def judge_words(check: str, section: str, words: Sequence[Word], *,
                question: str | None = None, principle: str | None = "ownership",
                level: str = "mid", lens: str | None = None,
                catalogue: Catalogue | None = None) -> Judgement:
    """The one follow-up judge: the reply is analysed as one ``section`` with ``check``
    switched on, on the same evidence layer as a whole answer, and is weak when the check
    fires on it."""
    rep = analyze(words, question=question, principle=None if question else principle,
                  level=level, lens=lens, marks=[(0, section)] if words else (),
                  catalogue=catalogue, rule_overrides={check: "major"})
    hits = [f for f in rep.findings if f.rule == check]
    return Judgement(bool(hits), hits, rep)


def judge_followup(question_id: str, followup_id: str, words: Sequence[Word], *,
                   level: str = "mid", lens: str | None = None,
                   catalogue: Catalogue | None = None) -> FollowUpResult:
    """Is this reply to the probe weak (its check fires) or strong?"""
    fu = find_followup(question_id, followup_id, catalogue)
    j = judge_words(fu.check, fu.section or "action", words, question=question_id,
                    level=level, lens=lens, catalogue=catalogue)
    return FollowUpResult(fu, j.weak, j.findings, j.report)


def rescore(main: Report, results: Sequence[FollowUpResult]) -> dict:
    """The main answer's scores after its follow-ups, with the reason when they moved."""
    scores = dict(main.scores)
    weak = [r for r in results if r.weak]
    if not weak:
        scores["followup_effect"] = None
        return scores
    disqualifying = [r for r in weak if r.followup.check in DISQUALIFIERS.get(main.principle, ())]
    verdict = str(scores.get("verdict", _VERDICTS[0]))
    if disqualifying:
        verdict = "No Hire"
        probe = disqualifying[0].followup.probe
        reason = (f"Your reply to “{probe}” confirmed the weakness the interviewer was probing "
                  "for, so the whole answer is re-scored as No Hire.")
    else:
        index = min(len(_VERDICTS) - 1, _VERDICTS.index(verdict) + len(weak))
        verdict = _VERDICTS[index]
        probes = "; ".join(f"“{r.followup.probe}”" for r in weak)
        reason = f"Weak follow-up replies ({probes}) lower the rating to {verdict}."
    scores["verdict_before_followups"] = scores.get("verdict")
    scores["verdict"] = verdict
    scores["followup_effect"] = reason
    return scores
