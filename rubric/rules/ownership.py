"""Ownership signals: whose work it was, who started it, why, and whether it was "we".

Each rule is an aggregation of evidence-layer tags within sections: a ``we`` unit in
the Action, a ``directed`` unit before the work got going, no ``scope`` unit at all, a
``vague_reason`` unit not backed by a confident ``reason`` beside it, or no ``reason``
before the Result.
"""

from __future__ import annotations

from typing import TypeVar

from starcoach.rubric import lexicon as lx
from starcoach.rubric.roles import VERB_CLASSES, stem
from starcoach.rubric.rules.base import Context, Hit, detector

_EARLY = ("situation", "task", "action")
# A vague reason backed, in the same breath, by a concrete one ("it just felt wrong, and it
# was costing us two nurses a night") is not a vague motivation: the concrete reason must
# lie within this many clauses of it. Unit-level, as the corpus's gold rules count it.
REASON_REACH = 2
# ... and it must be a confident one: a Situation's description is often half-read as a
# reason (p 0.3-0.5), which must not excuse a vague motivation next to it.
BACKING_REASON = 0.6
_T = TypeVar("_T")


def beside(items: list[_T], k: int) -> list[_T]:
    """``items[k]`` and those within ``REASON_REACH`` of it (the rule and the corpus's gold
    rules read the same window)."""
    return items[max(0, k - REASON_REACH):k + REASON_REACH + 1]


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


def _directed_at_speaker(ctx: Context, u: int) -> bool:
    """A manager is the subject of a directing verb whose doer is the speaker: "my manager
    suggested I look into it", "my director asked me to take it on" (not "approved my
    plan", not "suggested we wait, but I went ahead"). The construction is evidence on its
    own: every clause of the evidence corpus that has it is a direction (20 of 20), while the
    tagger gives a soft verb it never saw ("suggested I look into") 0.34 unpunctuated."""
    assert ctx.tags is not None
    unit = ctx.tags.units[u]
    verbs = [r.at for r in ctx.tags.roles[u]
             if r.subject == "mgr" and "direct" in r.classes and not r.negated]
    # Unpunctuated speech hides where a clause starts, so "… my manager suggested i …"
    # mid-unit has no parsed subject: a possessive authority noun before the verb is one.
    for j in range(unit.first + 1, unit.last):
        if ctx.norms[j - 1] in ("my", "our") and ctx.norms[j] in lx.AUTHORITY_WORDS and \
                stem(ctx.norms[j + 1]) in VERB_CLASSES["direct"]:
            verbs.append(j + 1)
    for at in verbs:
        after = ctx.norms[at + 1:at + 3]
        # "asked me to", "told me I should", "suggested (that) I"; not "asked me what"
        if (after[:1] == ["me"] and after[1:] in (["to"], ["i"])) or after[:1] == ["i"] or \
                after == ["that", "i"]:
            return True
    return False


_WH = frozenset("what how why whether if where when who which".split())


def _only_a_question(ctx: Context, u: int) -> bool:
    """The clause's "ask" asks a question ("asked me what I needed"), not for work."""
    assert ctx.tags is not None
    unit = ctx.tags.units[u]
    norms = ctx.norms
    asks = [j for j in range(unit.first, unit.last + 1) if norms[j] in ("asked", "ask", "asks")]
    return bool(asks) and all(
        norms[j + 1:j + 2] in (["me"], ["us"]) and norms[j + 2:j + 3] and norms[j + 2] in _WH
        for j in asks)


@detector("manager_directed")
def manager_directed(ctx: Context) -> list[Hit]:
    threshold = ctx.threshold("manager_directed", 0.5)
    return [ctx.unit_hit(u) for u in _early_units(ctx)
            if _directed_at_speaker(ctx, u)
            or (ctx.p(u, "directed") >= threshold and _someone_above(ctx, u)
                and not _only_a_question(ctx, u))]


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
    hits = [ctx.unit_hit(u) for k, u in enumerate(early)
            if ctx.p(u, "vague_reason") >= vague
            and ctx.p(u, "reason") < ctx.p(u, "vague_reason")
            and not any(ctx.p(n, "reason") >= max(BACKING_REASON, ctx.p(n, "vague_reason"))
                        for n in beside(early, k))]
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
