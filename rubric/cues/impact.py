"""Impact cues (phrase heuristics), read by the evidence layer as features.

Impact signals in the Result: a measured change, what it meant, and what else it changed.
"""

from __future__ import annotations

from starcoach.rubric import lexicon as lx
from starcoach.rubric.rules.base import Context, Hit, window_has

_DELTA_WORDS = frozenset("halved doubled tripled quadrupled eliminated zero twice half".split())


def metric_delta_at(ctx: Context, indices: list[int]) -> int | None:
    """First index of a quantified change ("from 9 to 2", "cut 30%", "down to zero")."""
    norms = ctx.norms
    pool = set(indices)
    for i in indices:
        w = norms[i]
        if w in _DELTA_WORDS and window_has(norms, i - 4, i + 5, lx.CHANGE_WORDS | _DELTA_WORDS
                                            | lx.UNIT_WORDS) is not None:
            return i
        if not lx.is_number(w) or w in ("one", "point"):
            continue
        near = [j for j in range(i - 6, i + 7) if j in pool and j != i]
        if any(norms[j] in lx.CHANGE_WORDS for j in near):
            return i
        if any(norms[j] in ("x", "times", "fold", "percent", "%") for j in near) and any(
                norms[j] in ("faster", "slower", "more", "less", "fewer", "higher", "lower",
                             "better", "cheaper") for j in near):
            return i
        if w.endswith("x") and w[:-1].replace(".", "").isdigit():
            return i
    return None


_ORG_NOUNS = frozenset("team teams cycle cycles department dept group manager managers lead "
                      "engineer engineers system systems tool tools process".split())


def business_translation_at(ctx: Context, indices: list[int]) -> int | None:
    """First word that translates a result into money, customers, time or risk.

    Money always counts; customer and other business words count when they carry a
    quantity or a change nearby ("forty fewer complaints", "customers stopped churning"),
    not when they only name a team ("the billing team", "the fraud cycle")."""
    norms = ctx.norms
    for i in indices:
        w = norms[i]
        nxt = norms[i + 1] if i + 1 < len(norms) else ""
        if w.startswith(("$", "€", "£")) or w in lx.MONEY_WORDS:
            return i
        if (w in lx.BUSINESS_WORDS or w in lx.CUSTOMER_WORDS) and nxt not in _ORG_NOUNS:
            near = norms[max(0, i - 6):i + 7]
            if any(lx.is_number(x) or x in lx.CHANGE_WORDS or x in lx.NEGATION for x in near):
                return i
    return None


_SECOND_ORDER_BIGRAMS = {
    ("since", "then"), ("ever", "since"), ("other", "teams"), ("other", "team"),
    ("rolled", "out"), ("hasn't", "happened"), ("never", "happened"), ("not", "recurred"),
    ("across", "the"), ("the", "whole"), ("went", "on"), ("now", "uses"), ("now", "use"),
    ("picked", "up"), ("became", "the"), ("asked", "me"), ("across", "teams"),
    ("across", "all"), ("other", "sites"), ("other", "stores"), ("other", "branches"),
    ("the", "same"), ("added", "a"), ("started", "using"), ("started", "running"),
    ("asked", "for"), ("now", "runs"), ("now", "ships"), ("now", "asks"), ("to", "every"),
    ("for", "every"), ("on", "every"), ("every", "new"), ("switched", "it"),
    ("as", "well"), ("turned", "into"), ("turned", "that"), ("took", "the"),
}
_HABITUAL_AFTER_NOW = frozenset("that is was it's".split())


def second_order_at(ctx: Context, indices: list[int]) -> int | None:
    """First sign that the work changed more than the fix: adoption, a new default or
    process, prevention, a habit others started ("the support team started tagging…")."""
    norms = ctx.norms
    n = len(norms)
    for i in indices:
        w = norms[i]
        nxt = norms[i + 1] if i + 1 < n else ""
        if w in lx.SECOND_ORDER_WORDS and w not in ("since", "again", "across", "rolled"):
            return i
        if (w, nxt) in _SECOND_ORDER_BIGRAMS:
            return i
        if w == "again" and window_has(norms, i - 5, i, lx.NEGATION | frozenset({"never"})):
            return i
        if w == "now" and nxt and nxt not in _HABITUAL_AFTER_NOW:
            return i  # "logistics now reruns it", "they now invite an engineer"
        if w in ("started", "began", "start") and nxt.endswith("ing") and len(nxt) > 5:
            return i  # "my team leader started giving each claim one handler"
    return None


_VAGUE_SUBJECTS = frozenset(
    "team everyone everybody people they manager managers stakeholders it things everything "
    "that this boss lead director client clients customers folks leadership all".split()
)
_COPULA = frozenset(
    "was were seemed felt got went turned is are looked became ended worked works goes".split()
)
_VAGUE_STATE = lx.VAGUE_POSITIVE | frozenset(
    "smoothly okay ok excited fine well out smoother".split())
_VAGUE_IDIOMS = (
    ("worked", "out"), ("went", "well"), ("went", "smoothly"), ("paid", "off"),
    ("it", "worked"), ("good", "feedback"), ("positive", "feedback"), ("great", "feedback"),
    ("a", "success"), ("a", "win"), ("a", "hit"), ("much", "better"), ("way", "better"),
    ("a", "lot", "better"), ("really", "happy"), ("super", "happy"), ("loved", "it"),
    ("got", "better"), ("got", "fixed"), ("were", "happy"), ("was", "happy"),
)


def vague_outcome(ctx: Context) -> list[Hit]:
    norms = ctx.norms
    # Reflection too: a closing "and everyone was happy" is often decoded as the lesson.
    idx = ctx.indices("result", "reflection")
    pool = set(idx)
    hits: list[Hit] = []
    taken_until = -1
    for i in idx:
        if i <= taken_until:
            continue
        matched = None
        for seq in _VAGUE_IDIOMS:
            if tuple(norms[i:i + len(seq)]) == seq and all(
                    i + k in pool for k in range(len(seq))):
                matched = i + len(seq) - 1
                break
        if matched is None and norms[i] in _COPULA:
            adj = window_has(norms, i + 1, i + 4, _VAGUE_STATE)
            if adj is not None and norms[adj] == "out" and norms[i] not in (
                    "worked", "works", "turned"):
                adj = None
            subj = window_has(norms, i - 3, i, _VAGUE_SUBJECTS)
            if adj is not None and subj is not None:
                matched = adj
        if matched is None:
            continue
        start = ctx.clause_start(i, 6)
        end = ctx.clause_end(matched, 6)
        # "errors fell 40% and it went well" is measured, not vague: look from the verb on.
        if any(lx.is_number(norms[j]) and norms[j] != "one" for j in range(i, end + 1)):
            continue
        if ctx.negated(i, 2):
            continue
        hits.append(Hit(start, end, section=ctx.labels[i],
                        fields={"heard": ctx.span_text(start, end)}))
        taken_until = end
    return hits
