"""Impact signals in the Result: a measured change, what it meant, what else it changed.

Absence rules ask whether any unit of the Result (and Reflection, where a closing number
or lasting change is often told) carries the ``delta``, ``business`` or ``second`` tag;
``vague_outcome`` fires on a unit tagged as a mood rather than an outcome.
"""

from __future__ import annotations

from starcoach.rubric.rules.base import Context, Hit, detector


def _missing_here(ctx: Context) -> list[Hit]:
    """A finding where impact should have been said: the (last) Result's opening words,
    else the last words of the answer."""
    res = [s for s in ctx.sections if s.label == "result"]
    if res:
        first = res[-1].first_word
        return [ctx.clause_hit(first, ctx.clause_end(first, 12))]
    last = len(ctx.words) - 1
    return [ctx.clause_hit(max(0, last - 8), last, at=last)]


def _late_units(ctx: Context, with_reflection: bool = True) -> list[int]:
    labels = ("result", "reflection") if with_reflection else ("result",)
    units = ctx.units_in(*labels)
    if not units and not ctx.has("result"):
        action = ctx.units_in("action")
        if action:  # no Result at all: look at what comes after the Action starts
            units = list(range(action[0], len(ctx.unit_labels)))
    return units


def _absent(ctx: Context, tag: str, rule: str, with_reflection: bool = True) -> list[Hit]:
    _, p = ctx.best(_late_units(ctx, with_reflection), tag)
    if p >= ctx.threshold(rule, 0.5):
        return []
    return _missing_here(ctx)


@detector("no_metric_delta")
def no_metric_delta(ctx: Context) -> list[Hit]:
    return _absent(ctx, "delta", "no_metric_delta")


@detector("no_business_impact")
def no_business_impact(ctx: Context) -> list[Hit]:
    return _absent(ctx, "business", "no_business_impact", with_reflection=False)


@detector("no_second_order_effect")
def no_second_order_effect(ctx: Context) -> list[Hit]:
    return _absent(ctx, "second", "no_second_order_effect")


@detector("vague_outcome")
def vague_outcome(ctx: Context) -> list[Hit]:
    threshold = ctx.threshold("vague_outcome", 0.5)
    return [ctx.unit_hit(u) for u in ctx.units_in("result", "reflection")
            if ctx.p(u, "vague_outcome") >= threshold]
