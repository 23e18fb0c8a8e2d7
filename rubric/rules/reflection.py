"""Reflection signals: a lesson specific to this story, and at senior+ a systemic cause."""

from __future__ import annotations

from starcoach.rubric.rules.base import Context, Hit, detector


@detector("generic_reflection")
def generic_reflection(ctx: Context) -> list[Hit]:
    refl = ctx.units_in("reflection")
    u, p = ctx.best(refl, "generic")
    if u is None or p < ctx.threshold("generic_reflection", 0.5) or p < ctx.p(u, "lesson"):
        return []
    others = [v for v in refl if v != u]
    _, lesson = ctx.best(others, "lesson")
    if lesson >= ctx.threshold("generic_reflection.lesson", 0.5):
        return []  # a platitude beside a specific lesson is not a generic reflection
    return [ctx.unit_hit(u)]


@detector("no_systemic_insight")
def no_systemic_insight(ctx: Context) -> list[Hit]:
    """A senior reflection that names no organisational cause. Without any reflection
    this stays silent: ``section_missing`` already says the reflection is absent."""
    refl = ctx.units_in("reflection")
    if not refl:
        return []
    _, p = ctx.best(refl, "systemic")
    if p >= ctx.threshold("no_systemic_insight", 0.5):
        return []
    sec = ctx.section("reflection")
    first = sec.first_word if sec is not None else ctx.tags.units[refl[0]].first
    end = ctx.clause_end(first, 12)
    return [Hit(first, end, section="reflection",
                fields={"heard": ctx.span_text(first, end)})]
