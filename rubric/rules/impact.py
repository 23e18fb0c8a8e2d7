"""Impact signals in the Result: a measured change, what it meant, what else it changed.

Absence rules ask whether any unit of the Result (and Reflection, where a closing number
or lasting change is often told) carries the ``delta``, ``business`` or ``second`` tag;
``vague_outcome`` fires on a unit tagged as a mood rather than an outcome.
"""

from __future__ import annotations

from starcoach.rubric import lexicon as lx
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


def _quantified(ctx: Context, u: int) -> bool:
    """A before→after change needs a quantity: a number, or a word that is one ("halved",
    "to zero"); "it went down a lot" is a change, not a measured one."""
    assert ctx.tags is not None
    unit = ctx.tags.units[u]
    return any(lx.is_number(w) or w in lx.DELTA_WORDS or w.endswith("%")
               for w in ctx.norms[unit.first:unit.last + 1])


@detector("no_metric_delta")
def no_metric_delta(ctx: Context) -> list[Hit]:
    threshold = ctx.threshold("no_metric_delta", 0.5)
    if any(ctx.p(u, "delta") >= threshold and _quantified(ctx, u)
           for u in _late_units(ctx)):
        return []
    return _missing_here(ctx)


@detector("no_business_impact")
def no_business_impact(ctx: Context) -> list[Hit]:
    return _absent(ctx, "business", "no_business_impact", with_reflection=False)


@detector("no_second_order_effect")
def no_second_order_effect(ctx: Context) -> list[Hit]:
    return _absent(ctx, "second", "no_second_order_effect")


@detector("vague_outcome")
def vague_outcome(ctx: Context) -> list[Hit]:
    threshold = ctx.threshold("vague_outcome", 0.5)
    late = ctx.units_in("result", "reflection")
    if late:  # an outcome told just before the Result is often decoded as the Action's end
        late = [u for u in (late[0] - 2, late[0] - 1)
                if u >= 0 and ctx.unit_labels[u] == "action"] + late
    return [ctx.unit_hit(u) for u in late if ctx.p(u, "vague_outcome") >= threshold]
