"""Impact signals in the Result: a measured change, what it meant, what else it changed.

Absence rules ask whether any unit of the Result (and Reflection, where a closing number
or lasting change is often told) carries the ``delta``, ``business`` or ``second`` tag;
``vague_outcome`` fires on a unit tagged as a mood rather than an outcome.
"""

from __future__ import annotations

from starcoach.rubric.quantities import measured_change, metric_units
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


def _before_result(ctx: Context, reach: int = 2) -> list[int]:
    """The last ``reach`` Action units before the Result: an outcome told as the Result
    begins is often decoded as the Action's end."""
    late = ctx.units_in("result")
    if not late:
        return []
    return [u for u in range(late[0] - reach, late[0])
            if u >= 0 and ctx.unit_labels[u] == "action"]


def _absent(ctx: Context, tag: str, rule: str, with_reflection: bool = True) -> list[Hit]:
    _, p = ctx.best(_late_units(ctx, with_reflection), tag)
    if p >= ctx.threshold(rule, 0.5):
        return []
    return _missing_here(ctx)


def _units_said_before(ctx: Context) -> list[frozenset[str]]:
    """Per evidence unit, the units of measure of every quantity said before it."""
    assert ctx.tags is not None
    out, seen = [], frozenset()
    for unit in ctx.tags.units:
        out.append(seen)
        seen = seen | metric_units(ctx.norms, unit.first, unit.last)
    return out


def _measured(ctx: Context, u: int, said_before: list[frozenset[str]]) -> bool:
    """A before→after change needs its numbers (``quantities.measured_change``): both ends,
    the size of the move, or an after value in the unit of a before value said earlier;
    "it went down a lot" and "it got down to three minutes" are changes, not measured ones.
    The unit alone, or with its neighbour when a change is told across a clause break."""
    assert ctx.tags is not None
    units = ctx.tags.units
    first, last = units[u].first, units[u].last
    after = units[min(u + 1, len(units) - 1)].last
    before = max(u - 1, 0)
    return (measured_change(ctx.norms, first, last, said_before[u])
            or measured_change(ctx.norms, first, after, said_before[u])
            or measured_change(ctx.norms, units[before].first, last, said_before[before]))


@detector("no_metric_delta")
def no_metric_delta(ctx: Context) -> list[Hit]:
    threshold = ctx.threshold("no_metric_delta", 0.5)
    said_before = _units_said_before(ctx)
    if any(ctx.p(u, "delta") >= threshold and _measured(ctx, u, said_before)
           for u in _before_result(ctx, reach=3) + _late_units(ctx)):
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
    if late:
        late = _before_result(ctx) + late
    return [ctx.unit_hit(u) for u in late if ctx.p(u, "vague_outcome") >= threshold]
