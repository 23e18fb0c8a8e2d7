"""Hand-off cues (phrase and structure heuristics), read by the evidence layer as features.

Hand-offs: did the speaker drive the fix through, or pass it on and let others act?

Both detectors ask the same structural question rather than matching phrasings: after
the speaker tells someone or hands something over, who is the subject of the next action
("she sorted it out", "their fitter swapped the bearing" vs "but I wrote the fix myself")?
A hand-off is also passive when it is followed by waiting or by leaving it to the others
("it was their call", "they took it forward from there") before the speaker acts again.
"""

from __future__ import annotations

from starcoach.rubric import lexicon as lx
from starcoach.rubric.rules.base import Context, Hit

# Telling or routing a problem to someone (an escalation event).
_TELL = (lx.ESCALATE_VERBS | frozenset(
    "phoned phone called call rang ring mentioned mention emailed wrote radioed texted "
    "brought showed let alerted notified".split())) - frozenset("handed gave".split())
# Verbs that only tell someone when followed by these ("wrote to", "let them know").
_NEEDS_AFTER = {"wrote": ("to",), "let": ("know",), "brought": ("to", "up"),
                "showed": ("to",), "put": ("in", "into", "on")}
# Handing work over (a hand-off event).
_HAND = lx.HANDOFF_VERBS | frozenset("put dropped passed gave".split())
_SKIP = frozenset(
    "just then also personally myself really actually basically finally quickly immediately "
    "first eventually later soon straight right".split())
_OTHER_SUBJECT = frozenset({"she", "he", "they"})
_OTHER_DET = frozenset("their his her the one a our".split())
_GROUP = frozenset(
    "team teams desk office people guys folks engineer engineers dev devs developer "
    "developers fitter fitters staff crew department ops support contractor contractors "
    "vendor supplier lead leads manager owner owners admin admins technician technicians "
    "committee board unit group on-call oncall sre infra it".split())
# What another party does that is not doing the work: reactions and agreement.
_REACTION = frozenset(
    "agreed said asked liked loved approved thanked replied responded wanted thought felt "
    "seemed were was had knew heard saw understood accepted nodded told argued worried "
    "raised questioned challenged signed joined gave checked reviewed looked read confirmed "
    "verified tested started began used adopted tried liked welcomed decided chose opted "
    "went own owns run runs have has need needs use uses want wants know knows "
    "would could should might will can can't couldn't wouldn't didn't don't says tells asks "
    "agrees thinks feels sees hears replies answers".split())
# Routing acts that continue a hand-off rather than doing the work.
_ROUTING = frozenset("marked tagged attached copied cc'd added included followed chased "
                     "forwarded".split())
_STATIVE = frozenset("was were had been did could would should".split())
_PASSIVE_MARKS: tuple[tuple[str, ...], ...] = (
    ("waited",), ("wait",), ("waiting",), ("hoped",), ("hoping",), ("left", "it"),
    ("left", "them"), ("up", "to", "them"), ("up", "to", "her"), ("up", "to", "him"),
    ("their", "call"), ("their", "hands"), ("their", "court"), ("took", "it", "forward"),
    ("from", "there"), ("trusted", "them"), ("involved",), ("see", "if"),
    ("now", "and", "again"), ("heard", "back"), ("hear", "back"), ("back", "to", "me"),
    ("they", "said", "they'd"), ("whenever", "they"), ("once", "they"), ("on", "them"),
    ("their", "side"), ("their", "problem"), ("however", "they"), ("it", "was", "on"),
)


def _verb_after(norms: list[str], j: int, present_ok: bool = False) -> int | None:
    """The action verb heading the clause whose subject ends at ``j``: past tense, or
    with ``present_ok`` (after a pronoun, which a verb must follow) present tense too."""
    k = j + 1
    while k < len(norms) and norms[k] in _SKIP and k - j <= 3:
        k += 1
    if k >= len(norms):
        return None
    w = norms[k]
    if w in ("got", "had") and k + 1 < len(norms) and norms[k + 1] in (
            "it", "them", "the", "that", "this", "head"):
        return k  # "she got it sorted", "he got head office to fix it"
    if w in _STATIVE or w in _REACTION:
        return None
    if lx.is_past(w) or w in ("took", "sorted", "froze", "fixed", "dealt", "ran", "made",
                               "put", "set", "swapped", "shipped"):
        return k
    if present_ok and w.isalpha() and w not in lx.NEGATION and w not in _SKIP and \
            w not in ("are", "is", "am", "do", "does", "and", "but", "so", "that", "all"):
        return k  # narrated in the present: "they send someone out who deals with it"
    return None


def next_actor(ctx: Context, start: int, end: int) -> tuple[str, int] | None:
    """('speaker' | 'other', verb index) for the first action clause in ``[start, end)``."""
    norms = ctx.norms
    j = start
    while j < min(end, len(norms)):
        w = norms[j]
        nxt = norms[j + 1] if j + 1 < len(norms) else ""
        if w in ("and", "then") and lx.is_past(nxt) and nxt not in _STATIVE and \
                nxt not in _NOT_DRIVING and nxt not in _TELL and nxt not in _ROUTING:
            return "speaker", j + 1  # "I called the depot and got them on a truck"
        if w in ("i", "i'd", "i've"):
            if tuple(norms[j + 1:j + 4]) == ("was", "the", "one"):
                return "speaker", j + 1
            v = _verb_after(norms, j)
            if v is not None and norms[v] not in _NOT_DRIVING:
                return "speaker", v
        elif w in _OTHER_SUBJECT:
            v = _verb_after(norms, j, present_ok=True)
            if v is not None:
                return "other", v
        elif w in _OTHER_DET or w in _GROUP:
            # "their fitter came", "their database people restored", "head office corrected"
            for k in range(j, min(j + 4, len(norms))):
                if norms[k] in _GROUP or norms[k] in lx.AUTHORITY_WORDS:
                    v = _verb_after(norms, k)
                    if v is not None:
                        return "other", v
        j += 1
    return None


def _speaker_did(ctx: Context, i: int) -> bool:
    """The speaker is the subject of the event at ``i`` ("I phoned…", "I'd already sent…")."""
    for j in range(i - 1, max(-1, i - 5), -1):
        w = ctx.norms[j]
        if w in ("i", "i'd", "i've"):
            return True
        if w not in _SKIP and w not in ("already", "also", "only", "had", "have", "would"):
            return False
    return False


_FIX_WORK = frozenset(
    "built fixed patched coded implemented rewrote reworked redesigned rebuilt "
    "recalibrated".split())
_NOT_DRIVING = frozenset("waited hoped left trusted let sat stopped moved".split())


def _drove_before(ctx: Context, i: int, span: int = 40) -> bool:
    """The speaker already did the fix work just before telling someone about it."""
    norms = ctx.norms
    for j in range(max(0, i - span), i):
        if norms[j] in ("i", "i'd") and j + 1 < i and norms[j + 1] in _FIX_WORK:
            return True
    return False


def _window_end(ctx: Context, i: int, sentences: int = 2, limit: int = 45) -> int:
    """End (exclusive) of the stretch after ``i``: this sentence and the next, capped."""
    n = len(ctx.tokens)
    seen = 0
    for j in range(i, min(n, i + limit)):
        if ctx.tokens[j].sent_end:
            seen += 1
            if seen == sentences:
                return j + 1
    return min(n, i + limit)


def escalation_handoff(ctx: Context) -> list[Hit]:
    norms = ctx.norms
    hits: list[Hit] = []
    taken_until = -1
    for i in ctx.indices("task", "action", "result", "headline"):
        if i <= taken_until or norms[i] not in _TELL or ctx.negated(i, 3):
            continue
        need = _NEEDS_AFTER.get(norms[i])
        if need and not any(x in need for x in norms[i + 1:i + 5]):
            continue
        if not _speaker_did(ctx, i) or _drove_before(ctx, i):
            continue
        actor = next_actor(ctx, i + 1, _window_end(ctx, i))
        if actor is None or actor[0] != "other":
            continue
        if _passive_mark(ctx, i, actor[1]) is not None:
            continue  # waited or left it with them first: that is the passive hand-off
        start, end = ctx.clause_start(i), ctx.clause_end(actor[1], limit=6)
        hits.append(ctx.clause_hit(start, end, at=i))
        taken_until = end
    return hits


def _passive_mark(ctx: Context, start: int, end: int) -> int | None:
    norms = ctx.norms
    for j in range(start, min(end, len(norms))):
        for seq in _PASSIVE_MARKS:
            if tuple(norms[j:j + len(seq)]) != seq:
                continue
            if seq == ("involved",) and not (ctx.negated(j, 3) or norms[j - 1] == "less"):
                continue  # "I stayed closely involved" is driving, "wasn't involved" is not
            if seq in (("heard", "back"), ("hear", "back")) and not (
                    ctx.negated(j, 3) or norms[j - 1] in ("until", "once", "to")
                    or norms[j - 2] in ("until", "once", "to", "wait", "waiting")):
                continue
            return j + len(seq) - 1
    return None


def passive_handoff(ctx: Context) -> list[Hit]:
    norms = ctx.norms
    hits: list[Hit] = []
    taken_until = -1
    for i in ctx.indices("task", "action", "result"):
        if i <= taken_until or ctx.negated(i, 3):
            continue
        w = norms[i]
        if w in _HAND and _speaker_did(ctx, i):
            event = i
        elif w in ("waited", "waiting") and _speaker_did(ctx, i):
            event = i  # "I just waited for them to…"
        elif w in ("got", "had", "received") and i > 0 and norms[i - 1] in (
                "team", "they", "she", "he") and i + 1 < len(norms) and norms[i + 1] in (
                "my", "our"):
            event = i  # "the quality team got my notes"
        else:
            continue
        stop = _window_end(ctx, i)
        mark = _passive_mark(ctx, i, stop)
        if mark is None:
            continue
        actor = next_actor(ctx, i + 1, mark)
        if actor is not None:
            continue  # the speaker drove it, or the others fixed it (an escalation), first
        start, end = ctx.clause_start(event), ctx.clause_end(mark, limit=6)
        hits.append(ctx.clause_hit(start, end, at=i))
        taken_until = end
    return hits
