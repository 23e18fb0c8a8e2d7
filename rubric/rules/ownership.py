"""Ownership signals: whose work it was, who started it, why, and whether it was "we".

Each rule is an aggregation of evidence-layer tags within sections: a ``we`` unit in
the Action, a ``directed`` unit before the work got going, no ``scope`` unit at all, a
``vague_reason`` unit or no ``reason`` before the Result.
"""

from __future__ import annotations

from starcoach.rubric import lexicon as lx
from starcoach.rubric.rules.base import Context, Hit, detector

_EARLY = ("situation", "task", "action")


_WORK = frozenset({"fix", "investigate", "route"})


def _we_did_work(ctx: Context, u: int) -> bool:
    """"We" is the subject of a verb of the work itself (investigating, fixing, routing):
    the role, whatever else the unit says ("we pulled the logs, I traced…")."""
    assert ctx.tags is not None
    return any(r.subject == "we" and not r.negated and _WORK & set(r.classes)
               for r in ctx.tags.roles[u])


@detector("we_language")
def we_language(ctx: Context) -> list[Hit]:
    threshold = ctx.threshold("we_language", 0.5)
    action = ctx.units_in("action")
    units = [u for u in action
             if ctx.p(u, "we") >= threshold or (ctx.p(u, "we") >= 0.3 and _we_did_work(ctx, u))]
    if not units:
        return []
    hits = [ctx.unit_hit(u) for u in units]
    assert ctx.tags is not None
    clauses = sum(max(1, sum(1 for r in ctx.tags.roles[u] if r.subject == "we"))
                  for u in units)
    own = sum(1 for u in action if ctx.p(u, "own") >= 0.5)
    severity = "major" if clauses >= 2 or clauses >= own else "minor"
    for h in hits:
        h.fields.update(count=len(hits), severity=severity)
    return hits


def _early_units(ctx: Context) -> list[int]:
    """Situation, Task and the first half of the Action: where a reason or a direction
    that started the work is told."""
    action = ctx.units_in("action")
    cut = action[len(action) // 2] if action else None
    return [u for u in ctx.units_in(*_EARLY, "headline")
            if cut is None or u <= cut]


def _someone_above(ctx: Context, u: int) -> bool:
    """The unit (or the one before it) names someone with authority, or assigns the work
    in the passive ("it got put on my plate"): direction needs someone to direct."""
    assert ctx.tags is not None
    first = ctx.tags.units[max(0, u - 1)].first
    last = ctx.tags.units[u].last
    if any(ctx.norms[i] in lx.AUTHORITY_WORDS for i in range(first, last + 1)):
        return True
    return any(r.subject in ("mgr", "crowd") and "direct" in r.classes
               for r in ctx.tags.roles[u]) or any(
        ctx.norms[i] in ("assigned", "tasked", "plate", "voluntold", "handed")
        for i in range(ctx.tags.units[u].first, last + 1))


@detector("manager_directed")
def manager_directed(ctx: Context) -> list[Hit]:
    threshold = ctx.threshold("manager_directed", 0.5)
    return [ctx.unit_hit(u) for u in _early_units(ctx)
            if ctx.p(u, "directed") >= threshold and _someone_above(ctx, u)]


def scope_boundary_unit(ctx: Context) -> int | None:
    """Where the speaker says the problem lay outside their remit (None if never)."""
    u, p = ctx.best(ctx.units_in(*_EARLY, "headline", "result"), "scope")
    return u if u is not None and p >= ctx.threshold("missing_scope_boundary", 0.5) else None


@detector("missing_scope_boundary")
def missing_scope_boundary(ctx: Context) -> list[Hit]:
    if not ctx.words or scope_boundary_unit(ctx) is not None:
        return []
    anchor = ctx.section("task") or ctx.section("action") or ctx.section("situation")
    first = anchor.first_word if anchor else 0
    return [ctx.clause_hit(first, ctx.clause_end(first, limit=10), at=first)]


@detector("vague_motivation")
def vague_motivation(ctx: Context) -> list[Hit]:
    early = [u for u in ctx.units_in(*_EARLY)]
    vague = ctx.threshold("vague_motivation.vague", 0.5)
    hits = [ctx.unit_hit(u) for u in early if ctx.p(u, "vague_reason") >= vague
            and ctx.p(u, "reason") < ctx.p(u, "vague_reason")]
    if hits:
        return hits
    _, p = ctx.best(early, "reason")
    if not early or p >= ctx.threshold("vague_motivation", 0.5):
        return []
    anchor = ctx.section("task") or ctx.section("action") or ctx.section("situation")
    if anchor is None:
        return []
    end = ctx.clause_end(anchor.first_word, limit=10)
    return [Hit(anchor.first_word, end, section=anchor.label,
                fields={"heard": ctx.span_text(anchor.first_word, end)})]
