"""Cues: the phrase and structure heuristics the rubric once used as rules, kept as
*evidence features*. Each says, per clause-sized unit, whether a hand-written heuristic
sees a hand-off, a "we" clause, a direction from a manager, a scope boundary, a
before→after number, a business translation, a lasting change, a vague outcome, a hedge
or a platitude there. The evidence layer learns how far to trust each one, next to who
does what in the clause and the words themselves; no rule fires on a cue alone.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from starcoach.rubric.cues import handoff, hedging, impact, ownership, reflection
from starcoach.rubric.evidence import CUE_DIM, CUE_NAMES
from starcoach.rubric.model import SECTION_LABELS
from starcoach.rubric.rules.base import Context
from starcoach.rubric.text import Unit

_ALL = SECTION_LABELS


def _hit_spans(ctx: Context) -> dict[str, list[tuple[int, int]]]:
    """Spans of every span-producing cue, run over the whole answer."""
    spans: dict[str, list[tuple[int, int]]] = {}
    runs: dict[str, Callable[[Context], list]] = {
        "esc": handoff.escalation_handoff,
        "pas": handoff.passive_handoff,
        "mgr": ownership.manager_directed,
        "vout": impact.vague_outcome,
        "hedge": hedging.hedging,
    }
    for name, fn in runs.items():
        spans[name] = [(h.first, h.last) for h in fn(ctx)]
    spans["we"] = [(h.first, h.last) for h in ownership._we_clauses(ctx, _ALL)]
    spans["vmot"] = [(h.first, h.last)
                     for h in ownership.vague_motive_spans(ctx, list(range(len(ctx.norms))))]
    return spans




def cue_matrix(ctx: Context, units: list[Unit]) -> np.ndarray:
    """(units × CUE_DIM): 1 where a cue fires inside the unit (graded for generality)."""
    C = np.zeros((len(units), CUE_DIM), dtype=np.float32)
    if not units or not ctx.words:
        return C
    spans = _hit_spans(ctx)
    col = {n: i for i, n in enumerate(CUE_NAMES)}
    story = reflection.story_words(ctx)  # once per answer, not once per unit
    for r, u in enumerate(units):
        for name, found in spans.items():
            if any(a <= u.last and b >= u.first for a, b in found):
                C[r, col[name]] = 1.0
        idx = list(range(u.first, u.last + 1))
        C[r, col["scope"]] = float(ownership.scope_boundary_span(ctx, idx) is not None)
        C[r, col["delta"]] = float(impact.metric_delta_at(ctx, idx) is not None)
        C[r, col["business"]] = float(impact.business_translation_at(ctx, idx) is not None)
        C[r, col["second"]] = float(impact.second_order_at(ctx, idx) is not None)
        score, at = reflection.reflection_generality(ctx, idx, story)
        C[r, col["generic"]] = float(at is not None and score >= 0)
        C[r, col["specific"]] = float(np.clip(-score / 4.0, 0.0, 1.5))
    return C
