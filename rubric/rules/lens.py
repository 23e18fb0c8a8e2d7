"""Checks that only a focus lens turns on (off by default in ``core.toml``)."""

from __future__ import annotations

from starcoach.rubric import lexicon as lx
from starcoach.rubric.rules.base import Context, Hit, detector


@detector("result_not_first")
def result_not_first(ctx: Context) -> list[Hit]:
    if not ctx.words or any(ctx.headline):
        return []
    end = ctx.sentences()[0][1] if ctx.sentences() else 0
    end = min(end, 15)
    return [ctx.clause_hit(0, end)]


@detector("technical_without_customer")
def technical_without_customer(ctx: Context) -> list[Hit]:
    norms = ctx.norms
    if any(norms[i] in lx.CUSTOMER_WORDS for i in ctx.indices("result")):
        return []
    action = ctx.section("action")
    if action is None:
        return []
    best, best_count = None, 1
    for a, b in ctx.sentences(action.first_word, action.last_word):
        seg = norms[a:b + 1]
        tech = sum(1 for w in seg if w in lx.TECH_WORDS)
        if tech > best_count and not any(w in lx.CUSTOMER_WORDS for w in seg):
            best, best_count = (a, b), tech
    if best is None:
        return []
    a, b = best
    b = min(b, a + 20)
    return [Hit(a, b, section="action", fields={"heard": ctx.span_text(a, b),
                                                "count": best_count})]


def _absent(ctx: Context, labels: tuple[str, ...], vocab: frozenset[str],
            anchor_label: str, minimum: int = 1) -> list[Hit]:
    found = sum(1 for i in ctx.indices(*labels) if ctx.norms[i] in vocab)
    if found >= minimum:
        return []
    sec = ctx.section(anchor_label) or (ctx.sections[-1] if ctx.sections else None)
    if sec is None:
        return []
    end = ctx.clause_end(sec.first_word, 10)
    return [Hit(sec.first_word, end, section=sec.label,
                fields={"heard": ctx.span_text(sec.first_word, end)})]


@detector("shallow_investigation")
def shallow_investigation(ctx: Context) -> list[Hit]:
    return _absent(ctx, ("action",), lx.INVESTIGATION_WORDS, "action", minimum=2)


@detector("no_learned_skill")
def no_learned_skill(ctx: Context) -> list[Hit]:
    return _absent(ctx, ("reflection",), lx.SKILL_WORDS, "reflection")


@detector("no_cross_team_influence")
def no_cross_team_influence(ctx: Context) -> list[Hit]:
    return _absent(ctx, ("task", "action", "result", "reflection"), lx.INFLUENCE_WORDS, "action")
