"""Reflection signals: a lesson specific to this story, and at senior+ a systemic cause."""

from __future__ import annotations

from starcoach.rubric.rules.base import Context, Hit, detector


@detector("generic_reflection")
def generic_reflection(ctx: Context) -> list[Hit]:
    refl = ctx.units_in("reflection")
    u, generic = ctx.best(refl, "generic")
    _, lesson = ctx.best(refl, "lesson")
    # The reflection is generic when its most generic clause sounds more so than its most
    # specific lesson does: a platitude beside a real lesson is not a generic reflection.
    if u is None or generic < ctx.threshold("generic_reflection", 0.5) or generic < lesson:
        return []
    return [ctx.unit_hit(u)]


@detector("no_systemic_insight")
def no_systemic_insight(ctx: Context) -> list[Hit]:
    """A senior reflection that names no organisational cause. Without any reflection
    this stays silent: ``section_missing`` already says the reflection is absent."""
    refl = ctx.units_in("reflection")
    if not refl:
        return []
    # A platitude ("communication is really important") is not a cause, however
    # organisational its words sound.
    p = max((ctx.p(u, "systemic") for u in refl if ctx.p(u, "generic") < 0.5), default=0.0)
    if p >= ctx.threshold("no_systemic_insight", 0.5):
        return []
    sec = ctx.section("reflection")
    first = sec.first_word if sec is not None else ctx.tags.units[refl[0]].first
    end = ctx.clause_end(first, 12)
    return [Hit(first, end, section="reflection",
                fields={"heard": ctx.span_text(first, end)})]
