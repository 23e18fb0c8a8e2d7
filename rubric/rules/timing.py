"""Structure and timing: sections over target, missing sections, Action share."""

from __future__ import annotations

from starcoach.rubric.model import SECTION_LABELS
from starcoach.rubric.rules.base import Context, Hit, detector


@detector("situation_over_time")
def situation_over_time(ctx: Context) -> list[Hit]:
    sit = ctx.section("situation")
    target = ctx.targets.get("situation")
    if sit is None or target is None or sit.duration_s <= target:
        return []
    # Anchor on the words spoken after the target passed: what ran over.
    over_at = sit.first_word
    for i in range(sit.first_word, sit.last_word + 1):
        if ctx.words[i].start - sit.start_s > target:
            over_at = i
            break
    return [Hit(over_at, sit.last_word, section="situation", fields={
        "duration": f"{sit.duration_s:.0f}", "target": f"{target:.0f}",
        "over": f"{sit.duration_s - target:.0f}",
        "heard": ctx.span_text(sit.first_word, min(sit.last_word, sit.first_word + 7)),
    })]


_MAJOR_MISSING = ("action", "result")
_OUTCOME_TAGS = ("delta", "business", "second", "vague_outcome")


def _result_without_outcome(ctx: Context) -> bool:
    """A Result whose every clause tells more doing and none an outcome (no change, no
    meaning, no spread, not even a vague "it went well") is the Action running on: the
    story has no Result. The cut-off is the pack's ``outcome_evidence`` (how it was chosen
    is written beside it)."""
    units = ctx.units_in("result")
    if not units or ctx.tags is None:
        return False
    strongest = max(ctx.p(u, t) for u in units for t in _OUTCOME_TAGS)
    return strongest < ctx.params.get("outcome_evidence", 0.35)


@detector("section_missing")
def section_missing(ctx: Context) -> list[Hit]:
    hits = []
    n = len(ctx.words)
    present = {s.label for s in ctx.sections}
    hollow = _result_without_outcome(ctx)
    order = SECTION_LABELS
    for label in ctx.expected_sections:
        if label == "result" and hollow:
            pass  # a Result that tells no outcome is missing, whatever its label
        elif label in present or ctx.evidence.get(label, 0.0) >= ctx.params.get(
                "evidence", 0.6):
            continue  # decoded away, but some clause sounds clearly like this section
        # Anchor where the section should have been: the end of the last earlier section
        # (or of the hollow Result: the words the answer moved on from).
        before = [s for s in ctx.sections if order.index(s.label) < order.index(label)
                  or (hollow and s.label == label)]
        anchor = before[-1].last_word if before else 0
        last = max(0, min(anchor, n - 1))
        first = ctx.clause_start(last, 8)
        # DESIGN.md: a missing section's finding names that section (its words are where
        # the section should have been).
        hits.append(Hit(first, last, section=label, fields={
            "section": label, "heard": ctx.span_text(first, last),
            "severity": "major" if label in _MAJOR_MISSING else "minor",
        }))
    return hits


@detector("answer_over_time")
def answer_over_time(ctx: Context) -> list[Hit]:
    target = ctx.targets.get("answer")
    limit = ctx.targets.get("answer_limit", target)
    if target is None or not ctx.words:
        return []
    grace = ctx.params.get("grace_s", 30.0)
    if ctx.duration_s <= target + grace:
        return []
    start = ctx.words[0].start
    over_at = next((i for i, w in enumerate(ctx.words) if w.start - start > target),
                   len(ctx.words) - 1)
    severity = "major" if limit is not None and ctx.duration_s > limit else "minor"
    return [Hit(over_at, len(ctx.words) - 1, fields={
        "duration": f"{ctx.duration_s:.0f}", "target": f"{target:.0f}",
        "over": f"{ctx.duration_s - target:.0f}", "severity": severity,
        "heard": ctx.span_text(over_at, min(len(ctx.words) - 1, over_at + 7)),
    })]


@detector("action_underweighted")
def action_underweighted(ctx: Context) -> list[Hit]:
    action = ctx.section("action")
    if action is None or not ctx.words:
        return []
    total = sum(s.duration_s for s in ctx.sections) or 1.0
    act = sum(s.duration_s for s in ctx.sections if s.label == "action")
    share = act / total
    if share >= ctx.params.get("min_share", 0.3):
        return []
    return [Hit(action.first_word, action.last_word, section="action", fields={
        "share": f"{share * 100:.0f}", "duration": f"{act:.0f}",
        "heard": ctx.span_text(action.first_word, min(action.last_word, action.first_word + 7)),
    })]
