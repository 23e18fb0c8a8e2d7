"""Per-unit feature vectors for the STAR segmenter.

Two kinds of evidence: hashed words and word pairs (with the opening words of a unit
marked, since "so I…", "looking back…", "after that…" carry most of a transition), and
dense language-class rates (pronouns, tense, quantities, change verbs, lessons) plus the
unit's position in the answer. Hashing keeps the model a fixed size whatever the
vocabulary; crc32 keeps it identical across processes and platforms.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np
from starcoach.rubric import lexicon as lx
from starcoach.rubric.text import Token, Unit

HASH_DIM = 4096
POS_BINS = 10
CONTEXT_WORDS = True  # opening words of the neighbouring units
POSITION_SCALE = 0.3  # how loudly position speaks against content (tuned by training)
_DENSE_NAMES = (
    "bias", "first_unit", "last_unit", "len", "i", "we", "they", "past", "future",
    "number", "money", "change", "customer", "reflection", "goal", "situation",
    "negation", "question_words", "present", "i_did", "stative", "we_did",
    "first_x_number", "first_x_change", "first_x_money", "first_x_i_did",
)
_STATIVE = frozenset("was were had is are been has have there's it's that's".split())
DENSE_DIM = len(_DENSE_NAMES) + POS_BINS + 3
NEIGHBOUR_DIM = 9  # a few dense rates of the previous and next unit
FEATURE_DIM = HASH_DIM + DENSE_DIM + 2 * NEIGHBOUR_DIM
# Language classes counted per unit, each as a rate (see ``_dense``).
_CLASS_TESTS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("stative", lambda w: w in _STATIVE),
    ("i", lambda w: w in lx.I_WORDS),
    ("we", lambda w: w in lx.WE_WORDS),
    ("they", lambda w: w in lx.THEY_WORDS),
    ("past", lx.is_past),
    ("future", lx.is_future),
    ("number", lx.is_number),
    ("money", lambda w: w in lx.MONEY_WORDS or w.startswith("$")),
    ("change", lambda w: w in lx.CHANGE_WORDS),
    ("customer", lambda w: w in lx.CUSTOMER_WORDS),
    ("reflection", lambda w: w in lx.REFLECTION_WORDS),
    ("goal", lambda w: w in lx.GOAL_WORDS),
    ("situation", lambda w: w in lx.SITUATION_WORDS),
    ("negation", lambda w: w in lx.NEGATION),
)
_PRESENT = frozenset("is are am do does go goes see says get gets i'm it's that's".split())

_hash_cache: dict[str, int] = {}


def _h(key: str) -> int:
    v = _hash_cache.get(key)
    if v is None:
        v = zlib.crc32(key.encode()) % HASH_DIM
        if len(_hash_cache) < 200_000:
            _hash_cache[key] = v
    return v


def _dense(norms: list[str], rel_pos: float, is_first: bool, is_last: bool) -> np.ndarray:
    n = max(1, len(norms))
    d = np.zeros(DENSE_DIM, dtype=np.float32)
    counts = dict.fromkeys(_DENSE_NAMES, 0.0)
    for j, w in enumerate(norms):
        if w in ("i", "we") and j + 1 < len(norms):
            nxt = norms[j + 1]
            nxt2 = norms[j + 2] if j + 2 < len(norms) else ""
            did = (lx.is_past(nxt) and nxt not in _STATIVE) or (
                nxt in ("then", "also", "just", "actually", "basically", "finally", "first")
                and lx.is_past(nxt2))
            if did:
                counts["i_did" if w == "i" else "we_did"] += 1
        for name, test in _CLASS_TESTS:
            if test(w):
                counts[name] += 1
        if w in ("what", "why", "how"):
            counts["question_words"] += 1
        if w in _PRESENT:
            counts["present"] += 1
    if is_first:  # an opening result headline: quantities and change in the first clause
        for name in ("number", "change", "money", "i_did"):
            counts["first_x_" + name] = counts[name]
    for k, name in enumerate(_DENSE_NAMES):
        d[k] = counts[name] / n * 3.0
    d[0] = 1.0
    d[1] = 1.0 if is_first else 0.0
    d[2] = 1.0 if is_last else 0.0
    d[3] = min(n, 40) / 20.0
    base = len(_DENSE_NAMES)
    b = min(POS_BINS - 1, int(rel_pos * POS_BINS))
    d[base + b] = POSITION_SCALE
    d[base + POS_BINS] = rel_pos
    d[base + POS_BINS + 1] = rel_pos * rel_pos
    d[base + POS_BINS + 2] = (1 - rel_pos) ** 3
    return d


_NEIGHBOUR_IDX = [_DENSE_NAMES.index(k) for k in (
    "i_did", "stative", "past", "future", "number", "change", "reflection", "goal",
    "situation")]


def unit_features(tokens: list[Token], units: list[Unit], total: int | None = None
                  ) -> np.ndarray:
    """Feature matrix, one row per unit. ``total`` is the answer's length in tokens when
    only its beginning is given (a live transcript); positions are relative to it."""
    total = max(1, len(tokens), total or 0)
    m = len(units)
    X = np.zeros((m, FEATURE_DIM), dtype=np.float32)
    dense_rows = []
    for r, u in enumerate(units):
        norms = [t.norm for t in tokens[u.first:u.last + 1] if t.norm]
        centre = (u.first + u.last + 1) / 2 / total
        dense = _dense(norms, centre, r == 0, r == m - 1 and total <= len(tokens))
        dense_rows.append(dense)
        row = X[r]
        for j, w in enumerate(norms):
            row[_h("w:" + w)] += 1.0
            if j < 3:
                row[_h(f"b{j}:" + w)] += 1.5
            if j + 1 < len(norms):
                row[_h("p:" + w + " " + norms[j + 1])] += 1.0
                if j == 0:
                    row[_h("bp:" + w + " " + norms[1])] += 1.5
        scale = 1.0 / np.sqrt(max(1, len(norms)))
        row[:HASH_DIM] *= scale
        if CONTEXT_WORDS:
            if r > 0:
                prev = [t.norm for t in tokens[units[r - 1].first:units[r - 1].last + 1]
                        if t.norm]
                for w in prev[:2]:
                    row[_h("pv:" + w)] += 0.5
            if r + 1 < m:
                nxt = [t.norm for t in tokens[units[r + 1].first:units[r + 1].last + 1]
                       if t.norm]
                for w in nxt[:2]:
                    row[_h("nx:" + w)] += 0.5
        row[HASH_DIM:HASH_DIM + DENSE_DIM] = dense
    for r in range(m):
        off = HASH_DIM + DENSE_DIM
        if r > 0:
            X[r, off:off + NEIGHBOUR_DIM] = dense_rows[r - 1][_NEIGHBOUR_IDX]
        if r + 1 < m:
            X[r, off + NEIGHBOUR_DIM:off + 2 * NEIGHBOUR_DIM] = dense_rows[r + 1][_NEIGHBOUR_IDX]
    return X


BOUNDARY_HASH = 2048
BOUNDARY_DENSE = 8 + NEIGHBOUR_DIM
BOUNDARY_DIM = BOUNDARY_HASH + BOUNDARY_DENSE


def boundary_features(tokens: list[Token], units: list[Unit], words,
                      total: int | None = None) -> np.ndarray:
    """One row per junction *before* unit ``u`` (row 0 is unused): does a section start here?

    Looks at the words on both sides of the junction (a new section usually announces
    itself in its first few words), the punctuation and pause at the junction, and how
    much the language classes change across it.
    """
    total = max(1, len(tokens), total or 0)
    m = len(units)
    B = np.zeros((m, BOUNDARY_DIM), dtype=np.float32)
    prev_rates = None
    for r, u in enumerate(units):
        norms = [t.norm for t in tokens[u.first:u.last + 1] if t.norm]
        rates = _dense(norms, 0.0, False, False)[_NEIGHBOUR_IDX]
        if r > 0:
            row = B[r]
            prev = units[r - 1]
            pnorms = [t.norm for t in tokens[prev.first:prev.last + 1] if t.norm]
            for j, w in enumerate(norms[:4]):
                row[_h(f"f{j}:" + w) % BOUNDARY_HASH] += 1.0
            if len(norms) > 1:
                row[_h("fb:" + norms[0] + " " + norms[1]) % BOUNDARY_HASH] += 1.0
            if len(norms) > 2:
                row[_h("ft:" + " ".join(norms[:3])) % BOUNDARY_HASH] += 1.0
            for j, w in enumerate(pnorms[-2:]):
                row[_h(f"l{j}:" + w) % BOUNDARY_HASH] += 1.0
            for w in norms:
                row[_h("fw:" + w) % BOUNDARY_HASH] += 0.3
            d = BOUNDARY_HASH
            last_tok = tokens[prev.last]
            gap = words[u.first].start - words[prev.last].end
            row[d] = 1.0
            row[d + 1] = 1.0 if last_tok.sent_end else 0.0
            row[d + 2] = 1.0 if last_tok.comma else 0.0
            row[d + 3] = min(gap, 2.0)
            row[d + 4] = u.first / total
            row[d + 5] = (u.first / total) ** 2
            row[d + 6] = min(len(norms), 30) / 15.0
            row[d + 7] = min(len(pnorms), 30) / 15.0
            row[d + 8:d + 8 + NEIGHBOUR_DIM] = np.abs(rates - prev_rates)
        prev_rates = rates
    return B
