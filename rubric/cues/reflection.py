"""Reflection cues (phrase heuristics), read by the evidence layer as features.

Reflection signals: a lesson specific to this story, and at senior+ a systemic cause.
"""

from __future__ import annotations

from starcoach.rubric import lexicon as lx
from starcoach.rubric.rules.base import Context

_STOP = frozenset(
    "the a an and or but so to of in on at for with that this it is was were be been i me my "
    "we our you your they them their he she his her what which who when where how then there "
    "here just really very about like um uh yeah also more most much some any would could "
    "should will can did do does have had has not no if because thing things something lot "
    "always never every time way really actually learned learnt think know going get got make "
    "made take took next looking back".split()
)
_PLATITUDES = frozenset(
    "communication communicate communicating teamwork collaboration collaborate important "
    "importance key matters matter essential crucial patience patient flexible flexibility "
    "adaptable proactive persistence persistent perseverance listen listening attitude "
    "positive mindset growth humble humility empathy transparency transparent journey "
    "valuable lot always gotta should happy productive compromise add everything anything".split()
)
# Markers of a concrete practice the speaker now follows ("now I check…", "whenever I…").
_PRACTICE = frozenset("now whenever nowadays since".split())


def _content(words: list[str]) -> list[str]:
    return [w for w in words if len(w) > 3 and w not in _STOP and not lx.is_number(w)]


_GENERIC_YOU = (("you", "have", "to"), ("you", "should"), ("you", "gotta"), ("you", "always"),
                ("you", "just"), ("you", "need", "to"), ("you", "can't"), ("you", "never"),
                ("you", "got", "to"), ("at", "the", "end", "of", "the", "day"),
                ("in", "the", "end"), ("is", "everything"), ("is", "key"))


def story_words(ctx: Context) -> set[str]:
    """The content words of everything but the Reflection (what a lesson can refer back to)."""
    norms = ctx.norms
    return set(_content([norms[i] for i in range(len(norms)) if ctx.labels[i] != "reflection"]))


def reflection_generality(ctx: Context, refl: list[int], story: set[str] | None = None
                          ) -> tuple[float, int | None]:
    """How generic the lesson sounds (platitudes, advice to "you") minus how specific it is
    (words from this story, numbers, a practice the speaker now follows); and where the
    most generic words are. ``story`` is ``story_words(ctx)``, passed in when the same
    answer is asked about many spans."""
    norms = ctx.norms
    story = story_words(ctx) if story is None else story
    mine = _content([norms[i] for i in refl])
    overlap = sum(1 for w in mine if w in story) / len(mine) if mine else 0.0
    first_generic = None
    generic = 0.0
    for i in refl:
        if norms[i] in _PLATITUDES:
            generic += 1
            first_generic = i if first_generic is None else first_generic
        for seq in _GENERIC_YOU:
            if tuple(norms[i:i + len(seq)]) == seq:
                generic += 2
                first_generic = i if first_generic is None else first_generic
    specific = (4 * overlap + sum(1 for i in refl if lx.is_number(norms[i]))
                + 2 * sum(1 for i in refl if norms[i] in _PRACTICE))
    return generic - specific, first_generic


