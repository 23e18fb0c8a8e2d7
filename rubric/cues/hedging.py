"""Hedging cue: phrases that undercut the speaker's own claims."""

from __future__ import annotations

from starcoach.rubric.rules.base import Context, Hit

_STRONG_HEDGES = (
    ("i", "guess"), ("i", "suppose"), ("kind", "of"), ("sort", "of"), ("kinda",),
    ("sorta",), ("not", "sure"), ("i", "want", "to", "say"), ("more", "or", "less"),
    ("somewhat",), ("might", "have"), ("i", "feel", "like"), ("i", "would", "say"),
    ("i'd", "say"), ("to", "some", "extent"), ("in", "a", "way"), ("i", "believe"),
    ("i", "hope"), ("hopefully",), ("maybe", "i", "think"), ("i", "think", "maybe"),
    ("probably",), ("maybe",), ("perhaps",), ("possibly",), ("a", "little", "bit"),
)


def hedging(ctx: Context) -> list[Hit]:
    norms = ctx.norms
    n = len(norms)
    hits: list[Hit] = []
    i = 0
    while i < n:
        matched = None
        for seq in _STRONG_HEDGES:
            if tuple(norms[i:i + len(seq)]) == seq:
                matched = seq
                break
        if matched is None:
            i += 1
            continue
        end = i + len(matched) - 1
        if matched in (("kind", "of"), ("sort", "of")) and i > 0 and norms[i - 1] in (
                "what", "the", "that", "this", "a", "any", "some", "which", "every", "all"):
            i = end + 1
            continue  # "what kind of", "the sort of": a noun, not a hedge
        if matched in (("maybe",), ("perhaps",), ("probably",), ("possibly",), ("i", "hope"),
                       ("hopefully",), ("i", "believe"), ("i", "would", "say"), ("i'd", "say"),
                       ("a", "little", "bit"), ("in", "a", "way")) and \
                ctx.labels[i] == "reflection":
            i = end + 1
            continue  # weighing options in a lesson is not undercutting a claim
        start = max(0, i)
        clause_end = ctx.clause_end(end, 6)
        hits.append(Hit(start, clause_end, section=ctx.labels[i],
                        fields={"heard": ctx.span_text(start, clause_end)}))
        i = clause_end + 1
    return hits if len(hits) >= ctx.params.get("min_count", 1) else []
