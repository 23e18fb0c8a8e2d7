"""Ownership cues (phrase heuristics), read by the evidence layer as features.

Ownership signals: whose work it was, who started it, and who drove it through.
"""

from __future__ import annotations

import itertools

from starcoach.rubric import lexicon as lx
from starcoach.rubric.rules.base import Context, Hit, window_has

_SUBORDINATORS = frozenset(
    "so that until before when if where because since while whether once unless after as "
    "which how what".split()
)
_JOINT_VERBS = frozenset(
    "agreed met paired aligned discussed sat talked brainstormed whiteboarded both all each "
    "collectively jointly celebrated".split()
)
_STATIVE_AFTER_WE = frozenset("were are was had have 're 've been being".split())


def _we_clauses(ctx: Context, labels: tuple[str, ...]) -> list[Hit]:
    norms = ctx.norms
    hits: list[Hit] = []
    last_end = -1
    for i in ctx.indices(*labels):
        if norms[i] not in lx.WE_SUBJECT or norms[i] == "we'd" or i <= last_end:
            continue
        prev = norms[i - 1] if i > 0 else ""
        prev2 = norms[i - 2] if i > 1 else ""
        if prev in _SUBORDINATORS or (prev2 == "so" and prev == "that"):
            continue
        nxt = norms[i + 1] if i + 1 < len(norms) else ""
        nxt2 = norms[i + 2] if i + 2 < len(norms) else ""
        if nxt in _JOINT_VERBS or (nxt2 in _JOINT_VERBS and nxt in ("all", "both", "then")):
            continue
        if nxt in _STATIVE_AFTER_WE and nxt2 not in ("able", "to", "going", "trying"):
            continue  # "we were a team of six": description, not the speaker's action
        end = ctx.clause_end(i, limit=8)
        hits.append(ctx.clause_hit(i, end, at=i))
        last_end = end
    return hits


_STRONG_DIRECTIVES = lx.DIRECTIVE_VERBS - {"said", "says", "needed", "want", "wanted", "had"}
_MODALS = frozenset("should need needed have has had must could can gotta needs".split())
_ME = frozenset({"me", "i", "us", "my", "myself", "we"})
_PASSIVE_ASSIGN = frozenset(
    "assigned asked told tasked given handed put pulled volunteered voluntold nominated "
    "picked chosen brought".split()
)
_LANDED = frozenset("landed fell came ended dropped dumped".split())
_PLATE = frozenset("plate desk lap queue way".split())


def _directive_after(ctx: Context, i: int) -> int | None:
    """A directive verb aimed at the speaker ("asked me", "told me") after an authority
    word, in the same sentence, within 14 words."""
    norms = ctx.norms
    for j in range(i + 1, min(len(ctx.tokens), i + 15)):
        if norms[j] in _STRONG_DIRECTIVES and window_has(norms, j + 1, j + 5, _ME) is not None:
            return j
        if ctx.tokens[j].sent_end or norms[j] in lx.I_WORDS - {"me", "my"}:
            return None
    return None


def manager_directed(ctx: Context) -> list[Hit]:
    norms = ctx.norms
    scope = ctx.indices("situation", "task", "action", "headline")
    if not scope:
        return []
    limit = ctx.section("action")
    if limit is not None:
        stop = limit.first_word + max(25, (limit.last_word - limit.first_word) // 3)
    else:
        stop = len(norms)
    hits: list[Hit] = []
    for i in scope:
        if i > stop:
            break
        w = norms[i]
        if w in lx.AUTHORITY_WORDS:
            prev = norms[i - 1] if i else ""
            if prev in ("their", "his", "her", "other", "team's", "a", "an"):
                continue
            prev2 = norms[i - 2] if i > 1 else ""
            if prev in ("i", "asked", "told", "to", "with", "for", "from", "by") or \
                    prev2 in ("to", "for", "with", "from", "by") or ctx.negated(i, 3):
                continue
            verb = _directive_after(ctx, i)
            if verb is not None and window_has(norms, verb + 1, verb + 5, _ME) is not None:
                if norms[verb] in ("asked", "told") and window_has(
                        norms, verb + 1, verb + 3, frozenset({"if", "whether"})) is not None:
                    continue
                end = ctx.clause_end(verb, limit=8)
                hits.append(ctx.clause_hit(i, end, at=i))
                continue
            said = window_has(norms, i + 1, i + 4, frozenset({"said", "says", "was", "wanted"}))
            if said is not None and window_has(norms, said + 1, said + 6, _MODALS) is not None:
                end = ctx.clause_end(said, limit=8)
                hits.append(ctx.clause_hit(i, end, at=i))
        elif w in ("was", "got", "been", "get") and i > 0 and norms[i - 1] in (
                "i", "i'd", "i've", "me", "it", "this", "that", "which", "and"):
            nxt = norms[i + 1] if i + 1 < len(norms) else ""
            if nxt in _PASSIVE_ASSIGN and not ctx.negated(i, 3):
                from_boss = any(norms[k] in ("from", "by") and k + 3 < len(norms) and any(
                    norms[m] in lx.AUTHORITY_WORDS for m in range(k + 1, k + 4))
                    for k in range(i + 2, min(len(norms), i + 6)))
                if norms[i - 1] not in ("i", "i'd", "i've") and not from_boss and window_has(
                        norms, i + 2, i + 5, frozenset({"me"})) is None:
                    continue  # "it was given" about something else; "…to me" or
                    # "…handed down from the director" counts
                end = ctx.clause_end(i, limit=8)
                hits.append(ctx.clause_hit(max(0, i - 1), end, at=i))
        elif w in _LANDED and not ctx.negated(i, 3):
            plate = window_has(norms, i + 1, i + 5, _PLATE)
            if plate is not None and window_has(norms, i + 1, plate, frozenset({"my", "me"})):
                end = ctx.clause_end(i, limit=6)
                hits.append(ctx.clause_hit(max(0, i - 1), end, at=i))
    return _dedupe(hits)


def _dedupe(hits: list[Hit]) -> list[Hit]:
    out: list[Hit] = []
    for h in sorted(hits, key=lambda h: h.first):
        if out and h.first <= out[-1].last:
            continue
        out.append(h)
    return out


_SCOPE_NOUNS = frozenset(
    "team team's job area code service system responsibility remit scope lane problem project "
    "ticket tickets backlog roadmap mine plate sprint module domain repo repository queue "
    "charter owner ownership".split()
)
_SCOPE_VERBS = frozenset(
    "asked assigned told owned own owns tasked responsible expected requested".split()
)
_OTHER_TEAM = frozenset(
    "another other different neighbouring neighboring sister adjacent partner separate".split()
)


def scope_boundary_span(ctx: Context, scope: list[int]) -> tuple[int, int] | None:
    """Where, among ``scope``, the speaker says the problem lay outside their remit."""
    norms = ctx.norms
    n = len(norms)
    for i in scope:
        w = norms[i]
        negation = w in lx.NEGATION or w.endswith("n't")
        if negation and window_has(norms, i + 1, i + 6, _SCOPE_VERBS | _SCOPE_NOUNS) is not None:
            return ctx.clause_start(i), ctx.clause_end(i, 10)
        if w in ("outside", "beyond", "technically") and window_has(
                norms, i + 1, i + 4, frozenset({"my", "our", "scope", "remit", "lane",
                                                "belonged", "owned", "their"})) is not None:
            return ctx.clause_start(i), ctx.clause_end(i, 10)
        if w in _OTHER_TEAM and i + 1 < n and norms[i + 1].startswith("team"):
            ctx_win = window_has(norms, i - 6, i + 8, frozenset(
                {"owned", "belonged", "owns", "belongs", "their", "technically", "service",
                 "system", "code", "job", "responsibility", "ownership", "'s"}))
            if ctx_win is not None or norms[i + 1] == "team's":
                return ctx.clause_start(i), ctx.clause_end(i, 10)
        if w in ("belonged", "belongs", "owned") and window_has(
                norms, i + 1, i + 4, frozenset({"to", "by"})) is not None and window_has(
                norms, i + 1, i + 6, frozenset({"another", "other", "their", "a", "the",
                                                "different"})) is not None:
            return ctx.clause_start(i), ctx.clause_end(i, 10)
        if w in ("unowned", "ownerless", "orphaned") or (w == "nobody" and i + 1 < n and
                                                          norms[i + 1] in ("owned", "owns")):
            return ctx.clause_start(i), ctx.clause_end(i, 10)
        if w in ("my", "our") and i + 2 < n and norms[i + 1] == "own" and norms[i + 2] in (
                "initiative", "time"):
            return ctx.clause_start(i), ctx.clause_end(i, 10)
    return None


_MOTIVE_VERBS = frozenset(
    "thought felt feel feeling seemed figured bugged bugging annoyed bothered guessed had "
    "sit sat".split())
_VAGUE_MOTIVE_TAIL = frozenset(
    "someone somebody right good nice fun interesting cool bothered bugged annoyed curious "
    "feeling instinct gut off weird wrong sense".split())
_MOTIVE_LEAD = frozenset("i just it and honestly really".split())


def vague_motive_spans(ctx: Context, early: list[int]) -> list[Hit]:
    """Clauses among ``early`` that give a vague reason ("it felt like the right thing")."""
    norms = ctx.norms
    hits: list[Hit] = []
    for i in early:
        prev = norms[i - 1] if i > 0 else ""
        if norms[i] in _MOTIVE_VERBS and (prev in _MOTIVE_LEAD or prev in lx.NEGATION
                                          or prev.endswith("n't")):
            end = ctx.clause_end(i, limit=10)
            seg = norms[i + 1:end + 1]
            around = norms[i:min(len(norms), end + 9)]
            why_not = any(a == "why" and b == "not" for a, b in itertools.pairwise(seg))
            if (why_not or any(w in _VAGUE_MOTIVE_TAIL for w in seg)) and not any(
                    w in lx.REASON_WORDS or w in lx.BUSINESS_WORDS or w in lx.CUSTOMER_WORDS
                    or lx.is_number(w) for w in around):
                start = ctx.clause_start(i)
                hits.append(ctx.clause_hit(start, end, at=i))
    return hits
