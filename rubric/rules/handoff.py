"""Hand-offs: did the speaker drive the fix through, or pass it on and let others act?

Both rules read the evidence layer: a unit that passes the problem to another party
(``handoff``), followed within the next two units by another party doing the fix
(``other``: an escalation) or by the speaker waiting / leaving it with them (``wait``: a
passive hand-off). Telling someone while keeping the work is tagged as the speaker's own
action, not as a hand-off, so "I flagged it to their lead and wrote the fix myself" is
not caught.
"""

from __future__ import annotations

from starcoach.rubric.rules.base import Context, Hit, detector

_SCOPE = ("task", "action", "result")
_REACH = 2  # units after the hand-off in which the others' fix or the waiting is told


def _others_fix(ctx: Context, v: int) -> bool:
    """Another party is the subject of a fixing verb in unit ``v`` ("they handled it",
    "their team patched it"), not negated: the role itself, whatever else the unit says."""
    assert ctx.tags is not None
    return any(r.subject == "oth" and "fix" in r.classes and not r.negated
               for r in ctx.tags.roles[v])


def _follow_p(ctx: Context, v: int, follow: str) -> float:
    p = ctx.p(v, follow)
    if follow == "other" and _others_fix(ctx, v) and ctx.p(v, "second") < 0.5:
        p = max(p, 0.7)
    return p


def handoff_pairs(ctx: Context, follow: str) -> list[tuple[int, int, float]]:
    """(hand-off unit, following unit, score) where a hand-off is followed by ``follow``."""
    out: list[tuple[int, int, float]] = []
    units = ctx.units_in(*_SCOPE)
    n = len(ctx.unit_labels)
    for u in units:
        h = ctx.p(u, "handoff")
        if h < 0.15 or ctx.p(u, "delta") >= 0.5 or ctx.p(u, "second") >= 0.5:
            continue  # a measured or lasting change is an outcome, not a hand-off
        # What follows must tell the others' work or the waiting, not the outcome: a
        # measured change or a lasting change read as "they" are results, not a hand-off
        # (unless the unit also says, in so many roles, that the others did the fix).
        window = [v for v in range(u, min(n, u + _REACH + 1))
                  if v == u or (ctx.unit_labels[v] != "reflection" and (
                      (ctx.p(v, "delta") < 0.5 and ctx.p(v, "second") < 0.5)
                      or (follow == "other" and _others_fix(ctx, v))))]
        v = max(window, key=lambda k: _follow_p(ctx, k, follow))
        # Both halves must be heard: the weaker of the two decides.
        out.append((u, v, min(h, _follow_p(ctx, v, follow))))
    return out


def _hits(ctx: Context, follow: str, rule: str, exclude: set[int] | None = None) -> list[Hit]:
    threshold = ctx.threshold(rule, 0.25)
    hits: list[Hit] = []
    taken = -1
    for u, v, score in handoff_pairs(ctx, follow):
        if u <= taken or score < threshold or (exclude and u in exclude):
            continue
        hits.append(ctx.unit_hit(u, max(u, v)))
        taken = max(u, v)
    return hits


def escalation_units(ctx: Context) -> set[int]:
    threshold = ctx.threshold("escalation_handoff", 0.25)
    return {u for u, _, s in handoff_pairs(ctx, "other") if s >= threshold}


@detector("escalation_handoff")
def escalation_handoff(ctx: Context) -> list[Hit]:
    return _hits(ctx, "other", "escalation_handoff")


@detector("passive_handoff")
def passive_handoff(ctx: Context) -> list[Hit]:
    # A hand-off whose fix the others then did is the escalation, reported once.
    return _hits(ctx, "wait", "passive_handoff", exclude=escalation_units(ctx))
