"""Where a speaker is now, from the partial transcript of an answer still being given.

The live cue must not guess. The same segmenter that splits finished answers reads the
words so far, with two differences a partial answer needs: positions are measured
against the length the answer is expected to reach (its target), not against the words
heard so far — otherwise the last clause heard always looks like the end of the answer
and reads as the Result or Reflection — and the decoder only filters (forward pass):
it asks which section the *latest* clause is in given everything before it, never what
comes after. A section is named only when that belief is strong; otherwise the cue
shows the clock alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from starcoach.rubric.features import boundary_features, unit_features
from starcoach.rubric.model import Word
from starcoach.rubric.segment import STATES, SegmenterModel, decode_units, default_model
from starcoach.rubric.text import split_units, tokenize

# Belief needed to name a section, and the speech assumed still to come. Measured on the dev
# set streamed (rubric.evaluate --live, 2 s ticks, 1.5 s decode lag): 0.9 / 0 s named 89% of
# the time, right 0.818; 0.97 / 20 s: named 85%, right 0.861; 0.99 / 20 s: 80%, 0.878.
# About half of what is left is the lag itself: a new section starts before its words
# are heard.
CONFIDENT = 0.97
STILL_TO_COME_S = 20.0
ANSWER_TARGET_S = 120.0


@dataclass(frozen=True, slots=True)
class LiveState:
    """The section the latest words belong to (None when unsure), since when, how sure."""

    label: str | None
    start_s: float
    confidence: float


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def filtered(model: SegmenterModel, X: np.ndarray, sizes: np.ndarray,
             B: np.ndarray | None) -> np.ndarray:
    """P(state of the last unit | all units so far) by the forward algorithm over the same
    scores the Viterbi decoder uses."""
    probs = model.probabilities(X)
    emit = np.log(probs + 1e-9) * (sizes[:, None] ** model.size_power)
    log_trans = model.log_trans * model.trans_weight
    alpha = model.log_start * model.trans_weight + emit[0]
    same = np.eye(len(STATES), dtype=bool)
    pb = None
    if B is not None and model.boundary_weights is not None:
        pb = np.clip(model.boundary_probabilities(B), 1e-6, 1 - 1e-6)
    for u in range(1, emit.shape[0]):
        trans = log_trans
        if pb is not None:
            trans = log_trans + np.where(same, np.log(1 - pb[u]), np.log(pb[u])) * (
                model.boundary_weight)
        alpha = _logsumexp(alpha[:, None] + trans, axis=0) + emit[u]
    post = np.exp(alpha - _logsumexp(alpha, axis=0))
    return post / post.sum()


def live_state(words: Sequence[Word], elapsed_s: float, *,
               answer_target_s: float = ANSWER_TARGET_S,
               model: SegmenterModel | None = None,
               confident: float = CONFIDENT) -> LiveState:
    """The section being spoken now, judged from the words so far (see the module doc)."""
    words = [w for w in words if w.kind == "word"]
    if not words:
        return LiveState(None, 0.0, 0.0)
    model = model or default_model()
    tokens = tokenize(words)
    units = split_units(tokens, words)
    if not units:
        return LiveState(None, 0.0, 0.0)
    spoken = max(elapsed_s, words[-1].end, 1.0)
    # While they speak there is always more to come: the latest clause is never the end
    # of the answer, or past the target every new clause reads as the Reflection.
    expected = max(spoken + STILL_TO_COME_S, answer_target_s)
    total = round(len(tokens) * expected / spoken)
    X = unit_features(tokens, units, total)
    B = boundary_features(tokens, units, words, total)
    sizes = np.asarray([u.size for u in units], dtype=np.float64)
    post = filtered(model, X, sizes, B)
    merged = {s: float(p) for s, p in zip(STATES, post, strict=True)}
    merged["result"] = merged.get("result", 0.0) + merged.pop("headline", 0.0)
    label = max(merged, key=merged.get)
    confidence = merged[label]
    path = decode_units(model, X, units, B)
    names = ["result" if STATES[s] == "headline" else STATES[s] for s in path]
    start_unit = len(units) - 1
    while start_unit > 0 and names[start_unit - 1] == label:
        start_unit -= 1
    if names[-1] != label:
        start_unit = len(units) - 1
    start_s = words[units[start_unit].first].start if start_unit > 0 else 0.0
    if confidence < confident:
        return LiveState(None, start_s, confidence)
    return LiveState(label, start_s, confidence)
