"""Whether a clause states a *measured* change: a before and an after, or the size of a move.

The ``delta`` evidence tag says a clause tells a change ("the wait got down to three
minutes"); the rubric asks for more: a before-and-after number. A change is measured when
the clause gives

- both ends: "from 14 minutes to 3", "14 minutes down to 3", "from zero to three a month";
- or the size of the move: "by 22 thousand", "a 70% drop", "sixty fewer tickets",
  "3x faster", "halved", "doubled";
- or its after value in the same unit as a before value said earlier in the answer
  ("it took 14 minutes" … "it got down to 3 minutes").

An after-only figure ("got down to just under three minutes", "81% passed") is a number,
not a measured change. The checks read quantity spans and the words around them, not
phrases, so they hold for digits (Whisper) and spelled-out numbers alike.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence

from starcoach.rubric import lexicon as lx

# Words that join the parts of one spoken quantity ("three hundred and forty", "4 point 5").
_JOINERS = frozenset({"and", "point", "a", "an"})
# A size of move: the word after a quantity (and its unit) that makes it a difference.
_COMPARATIVE = frozenset(
    "fewer higher lower faster slower smaller larger bigger cheaper shorter longer "
    "quicker drop drops decline reduction decrease increase improvement cut rise fall jump gain "
    "boost lift uplift".split()
)
_REACH = 10  # words a before and an after value may lie apart ("6% of records … to 1%")
_END_POINTS = frozenset("same zero none nothing".split())
_HEDGES = frozenset("about roughly around nearly almost over some another a an further just more "
                    "than close to approximately only".split())
_RATE = frozenset("day week month quarter year hour minute shift sprint release".split())
_FRACTIONS = frozenset("half third quarter fifth sixth seventh eighth ninth tenth thirds "
                       "quarters".split())
_BASELINE = frozenset("old previous original before baseline usual".split())
# Words after which a number names a thing rather than counts it ("Year 9", "phase 2").
_IDENTIFIED = frozenset("year phase version level step grade room floor tier stage round gate "
                        "ward v number no page chapter line route bay aisle dock zone sev "
                        "priority p".split())
# Words that may follow a bare value (no unit, no noun counted).
_AFTER_BARE = frozenset("and by in within after before that this last over for on at or but "
                        "so then now again".split())
# A change verb or direction right before a value makes the value the size of the move.
_MOVE_VERBS = frozenset("down up dropped fell rose grew gained lost cut shaved saved trimmed "
                        "climbed jumped slipped improved".split())
_MULTIPLIERS = frozenset("halved doubled tripled quadrupled twice".split())
_TO = frozenset({"to", "down", "up", "into"})
_VERSUS = frozenset({"instead", "versus", "vs", "compared"})
_AMOUNT_ONLY = frozenset({"a", "an", "half", "quarter", "dozen", "dozens", "point"})
# Units a before value can be matched on ("14 minutes" … "down to 3 minutes").
_METRIC_UNITS = frozenset("percent hour minute second day week month m millisecond dollar k "
                          "pound euro point basis bp".split())


def _is_quantity(norm: str) -> bool:
    return lx.is_number(norm) and norm not in _AMOUNT_ONLY


def quantity_spans(norms: Sequence[str], first: int, last: int) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` (inclusive) of the spoken quantities in ``norms[first:last+1]``."""
    spans: list[tuple[int, int]] = []
    j = first
    while j <= last:
        if not _is_quantity(norms[j]):
            j += 1
            continue
        end = j
        while end + 1 <= last and (lx.is_number(norms[end + 1]) or (
                norms[end + 1] in _JOINERS and end + 2 <= last
                and lx.is_number(norms[end + 2]))):
            end += 1
        spans.append((j, end))
        j = end + 1
    return spans


def _unit_after(norms: Sequence[str], end: int, last: int) -> str | None:
    """The unit a quantity is counted in: a "%" suffix or the unit word just after it."""
    if norms[end].endswith("%") or norms[end] in ("percent", "percentage"):
        return "percent"
    nxt = norms[end + 1:min(end + 4, last + 1)]
    if (nxt[:1] == ["in"] and len(nxt) > 1 and lx.is_number(nxt[1])) or (
            nxt[:2] == ["out", "of"] and len(nxt) > 2 and lx.is_number(nxt[2])):
        return "percent"  # "one in five", "3 out of 40": a share, like a percentage
    for k in range(end + 1, min(end + 3, last) + 1):
        if norms[k] in ("percent", "percentage", "%"):
            return "percent"
        if norms[k] in lx.UNIT_WORDS:
            return norms[k].rstrip("s")
    return None


def _size_of_move(norms: Sequence[str], span: tuple[int, int], first: int, last: int) -> bool:
    start, end = span
    k = start - 1
    while k >= first and norms[k] in _HEDGES:
        k -= 1
    if k >= first and (norms[k] == "by" or norms[k] in _MOVE_VERBS):
        return True  # "dropped by roughly 22 thousand", "came down 8 degrees" (not "by the
        # summer, 81%", "dropped to 3")
    if norms[end].endswith("x") and norms[end][:-1].replace(".", "").isdigit():
        return True  # "3x faster"
    for k in range(end + 1, min(end + 4, last) + 1):
        if norms[k] in _COMPARATIVE:
            return True
        if norms[k] in ("more", "less"):
            # "12% more installs", "200 more orders a day" are a change; "three more
            # regions" is an amount added
            near = norms[end + 1:k + 5]
            return (_unit_after(norms, end, last) == "percent" or "than" in near
                    or any(a in ("a", "per") and b in _RATE
                           for a, b in itertools.pairwise(near)))
    return False


def _both_ends(norms: Sequence[str], spans: list[tuple[int, int]], first: int,
               last: int) -> bool:
    """"from A (…) to B", "A (…) down to B", "A instead of B": a quantity on each side."""
    for a, (_, end) in enumerate(spans):
        for start2, _ in spans[a + 1:]:
            between = norms[end + 1:start2]
            if len(between) <= _REACH and (_TO | _VERSUS) & set(between):
                return True
    for k in range(first, last + 1):
        if norms[k] != "from":
            continue
        starts = list(spans) + [(j, j) for j in range(k + 1, min(k + 3, last + 1))
                                if norms[j] in _END_POINTS]
        for start, end in starts:
            if not 0 < start - k <= 4:
                continue
            for t in range(end + 1, min(end + _REACH, last) + 1):
                if norms[t] == "to" and any(
                        _is_quantity(w) or w in _END_POINTS for w in norms[t + 1:t + 5]):
                    return True  # "from four days (down) to the same day"
    return False


def _fraction_of_before(norms: Sequence[str], first: int, last: int) -> bool:
    """"fell to a seventh of what it had been", "by a quarter", "by half"."""
    for k in range(first, last + 1):
        if norms[k] not in _FRACTIONS:
            continue
        rest = norms[k + 1:min(k + 4, last + 1)]
        if rest[:1] == ["of"] and (rest[1:2] == ["what"] or _BASELINE & set(rest)):
            return True
        j = k - 1
        while j >= first and norms[j] in _HEDGES:
            j -= 1
        if j >= first and norms[j] == "by":
            return True
    return False


def _measure_of(norms: Sequence[str], end: int, last: int) -> str | None:
    """What a value counts: its unit, the noun after it ("three referrals"), or None for a
    bare number ("… and by March it was 96")."""
    unit = _unit_after(norms, end, last)
    if unit is not None or end == last or norms[end + 1] in _AFTER_BARE:
        return unit
    return "noun:" + norms[end + 1]


def _same_measure_pair(norms: Sequence[str], spans: list[tuple[int, int]], last: int) -> bool:
    """Two values of one measure in a change ("had been at 78 percent … it was 96"): the
    same unit, or one unit and one bare number; identifiers ("Year 9") are not values."""
    values = [s for s in spans if s[0] == 0 or norms[s[0] - 1] not in _IDENTIFIED]
    units = [_measure_of(norms, e, last) for _, e in values]
    for a, ua in enumerate(units):
        for ub in units[a + 1:]:
            if (ua is not None and ua == ub) or (
                    (ua is None) != (ub is None) and (ua or ub) in _METRIC_UNITS):
                return True
    return False


def metric_units(norms: Sequence[str], first: int, last: int) -> frozenset[str]:
    """The units of measure (percent, minutes, dollars, …) the quantities in
    ``norms[first:last+1]`` are counted in: what a later after value can be matched on."""
    return frozenset(_unit_after(norms, e, last)
                     for _, e in quantity_spans(norms, first, last)) & _METRIC_UNITS


def measured_change(norms: Sequence[str], first: int, last: int,
                    said_before: Collection[str] = ()) -> bool:
    """Does ``norms[first:last+1]`` give a change with its size or both ends?

    ``said_before``: the units of measure of the quantities said before it
    (:func:`metric_units`), where a before value may sit."""
    if any(norms[k] in _MULTIPLIERS for k in range(first, last + 1)):
        return True
    if any(norms[k] == "in" and norms[k + 1] == "half" for k in range(first, last)):
        return True
    if _fraction_of_before(norms, first, last):
        return True
    spans = quantity_spans(norms, first, last)
    if not spans:
        return False
    if _both_ends(norms, spans, first, last):
        return True
    if any(_size_of_move(norms, s, first, last) for s in spans):
        return True
    if _same_measure_pair(norms, spans, last):
        return True
    return not metric_units(norms, first, last).isdisjoint(said_before)
