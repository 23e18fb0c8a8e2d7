"""Delivery: filler density and hedging that undercuts the speaker's own claims."""

from __future__ import annotations

from starcoach.rubric import lexicon as lx
from starcoach.rubric.rules.base import Context, Hit, detector

# "and like", "it was like", "so like": positions where "like" is a filler, not a verb.
_LIKE_FILLER_PREV = frozenset("and so but um uh was were it's is".split())


def filler_positions(ctx: Context) -> list[tuple[int, int]]:
    """Spans of filler words: um/uh, "you know", "I mean", filler "like", voiced gaps."""
    norms = ctx.norms
    out: list[tuple[int, int]] = []
    n = len(norms)
    i = 0
    while i < n:
        w = norms[i]
        if ctx.tokens[i].is_unrecognised:  # unrecognised speech is never a filler
            i += 1
            continue
        if ctx.tokens[i].is_filler_gap or w in lx.FILLERS_SINGLE:
            out.append((i, i))
        elif i + 1 < n and (w, norms[i + 1]) in (("you", "know"), ("i", "mean")):
            nxt = norms[i + 2] if i + 2 < n else ""
            if not (w == "you" and nxt in ("what", "how", "that", "the", "if", "where", "why")):
                out.append((i, i + 1))
                i += 2
                continue
        elif w == "like":
            prev = norms[i - 1] if i else ""
            after_pause = i == 0 or ctx.tokens[i - 1].comma or prev in lx.FILLERS_SINGLE
            if (prev not in lx.LIKE_CONTENT_PREV and after_pause) or prev in _LIKE_FILLER_PREV:
                out.append((i, i))
        elif w in ("basically", "literally"):
            out.append((i, i))
        i += 1
    return out


@detector("filler_words")
def filler_words(ctx: Context) -> list[Hit]:
    spans = filler_positions(ctx)
    minutes = max(ctx.duration_s, 1.0) / 60.0
    per_min = len(spans) / minutes
    per_word = len(spans) / max(1, len(ctx.words))
    if len(spans) < 3 or (per_min < ctx.params.get("per_min", 6.0)
                          and per_word < ctx.params.get("per_word", 0.04)):
        return []
    # Anchor on the densest 25-word stretch so the highlight shows the problem.
    best, best_count = spans[0], 0
    for a, _ in spans:
        count = sum(1 for b, _ in spans if a <= b < a + 25)
        if count > best_count:
            best, best_count = (a, min(len(ctx.words) - 1, a + 24)), count
    inside = [s for s in spans if best[0] <= s[0] <= best[1]]
    first, last = inside[0][0], inside[-1][1]
    return [Hit(first, last, section=ctx.labels[first], fields={
        "count": len(spans), "per_min": f"{per_min:.1f}",
        "heard": ctx.span_text(first, last),
    })]


@detector("hedging")
def hedging(ctx: Context) -> list[Hit]:
    """Units the evidence layer hears undercutting the speaker's own claim."""
    threshold = ctx.threshold("hedging", 0.5)
    hits = [ctx.unit_hit(u) for u in range(len(ctx.unit_labels))
            if ctx.p(u, "hedge") >= threshold]
    return hits if len(hits) >= ctx.params.get("min_count", 1) else []
