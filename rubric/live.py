"""Where a speaker is now, from the partial transcript of an answer still being given.

The live cue must not guess. The same segmenter that splits finished answers reads the
words so far, with two differences a partial answer needs: positions are measured
against the length the answer is expected to reach (its target), not against the words
heard so far — otherwise the last clause heard always looks like the end of the answer
and reads as the Result or Reflection — and the decoder only filters (forward pass):
it asks which section the *latest* clause is in given everything before it, never what
comes after.

Whether to name that section is a second, learned question. The words arrive late (the
recogniser lags the voice by a second or more), so the belief about the last clause heard
is not yet the section being spoken: right after a new section starts, the cue is wrong
however sure the segmenter is. A small logistic gate (``live_training``), fitted on the
project's own answers streamed as the cue sees them, predicts from the belief, the
silence since the last word, how far into its section the speaker is and whether the next
clause is likely to change section, how likely the named section is to be the one being
spoken; the cue names it only when that is likely enough, and otherwise shows the clock.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from starcoach.rubric.features import boundary_features, unit_features
from starcoach.rubric.model import SECTION_LABELS, Word
from starcoach.rubric.segment import (
    STATES,
    SegmenterModel,
    decode_units,
    default_model,
    path_scores,
    transitions,
)
from starcoach.rubric.text import Unit, split_units, tokenize

# The speech assumed still to come, and the answer length assumed when there is no target.
STILL_TO_COME_S = 20.0
ANSWER_TARGET_S = 120.0
# A Situation that runs past its target is exactly when the cue matters ("move on"), and
# the gate, which has learned that sections rarely run that long, doubts it then: past the
# target, while every clause so far is the Situation on the best path, a belief this
# strong names it anyway.
SURE_STILL_SITUATION = 0.97
SITUATION_TARGET_S = 45.0


@dataclass(frozen=True, slots=True)
class LiveState:
    """The section the latest words belong to (None when unsure), since when, how sure
    (the gate's probability that the section named is the one being spoken; for a long
    Situation named on its belief alone, that belief)."""

    label: str | None
    start_s: float
    confidence: float


@dataclass(frozen=True, slots=True)
class Belief:
    """The segmenter's view of the latest clause heard, before the gate."""

    label: str
    start_s: float
    features: np.ndarray
    confidence: float  # the filtered probability of ``label``
    first_section: bool  # every clause so far is in ``label`` (after any opening
    # headline), on the best path


@dataclass(frozen=True, slots=True)
class Gate:
    """Logistic weights over ``Belief.features`` and the probability needed to name."""

    weights: np.ndarray
    bias: float
    threshold: float

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """The chance the section named is right, per row of ``features``."""
        return 1.0 / (1.0 + np.exp(-(features @ self.weights + self.bias)))

    def probability(self, features: np.ndarray) -> float:
        return float(self.probabilities(features))

    def to_json(self) -> dict:
        return {"weights": [round(float(v), 5) for v in self.weights],
                "bias": round(self.bias, 5), "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict) -> Gate:
        w = np.asarray(data["weights"], dtype=np.float64)
        if w.shape != (GATE_DIM,):
            raise ValueError(f"live gate has {w.shape} weights, expected {GATE_DIM}")
        return cls(w, float(data["bias"]), float(data["threshold"]))


def gate_path() -> str:
    return str(resources.files("starcoach.assets") / "models" / "live_gate.json")


@lru_cache(maxsize=1)
def default_gate() -> Gate:
    with open(gate_path(), encoding="utf-8") as fh:
        return Gate.from_json(json.load(fh))


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def filtered(model: SegmenterModel, probs: np.ndarray, units: list[Unit],
             B: np.ndarray | None) -> np.ndarray:
    """P(state of the last unit | all units so far) by the forward algorithm over the same
    scores the Viterbi decoder uses (``probs``: the unit classifier's, per unit)."""
    emit, log_start, log_trans, change, stay = path_scores(model, probs, units, B)
    alpha = log_start + emit[0]
    for u in range(1, emit.shape[0]):
        alpha = _logsumexp(alpha[:, None] + transitions(log_trans, change, stay, u),
                           axis=0) + emit[u]
    post = np.exp(alpha - _logsumexp(alpha, axis=0))
    return post / post.sum()


def _merged(p: np.ndarray) -> np.ndarray:
    """Per-state probabilities over the sections the cue can name, ``SECTION_LABELS``
    (the opener's headline is told as the Result)."""
    d = dict(zip(STATES, p, strict=True))
    d["result"] = d["result"] + d.get("headline", 0.0)
    return np.asarray([d[n] for n in SECTION_LABELS])


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return float(np.log(p / (1 - p)))


# Gate features: belief logit and margin, the chance the next clause stays in the section,
# silence since the last word, time and clauses into the section, the last word ending a
# sentence, position in the answer, how the last clause alone reads (the section named and
# the strongest other), the section named (one-hot) and its time into the section.
GATE_DIM = 10 + 2 * len(SECTION_LABELS)


def expected_length_s(spoken_s: float, answer_target_s: float) -> float:
    """How long the answer is assumed to run, ``spoken_s`` into it. While they speak there
    is always more to come: the latest clause is never the end of the answer, or past the
    target every new clause reads as the Reflection."""
    return max(spoken_s + STILL_TO_COME_S, answer_target_s)


def belief(words: Sequence[Word], elapsed_s: float, *,
           answer_target_s: float = ANSWER_TARGET_S,
           model: SegmenterModel | None = None) -> Belief | None:
    """The segmenter's filtered belief about the latest clause heard, with the features the
    gate reads; None before the first clause."""
    words = [w for w in words if w.kind == "word"]
    if not words:
        return None
    model = model or default_model()
    tokens = tokenize(words)
    units = split_units(tokens, words)
    if not units:
        return None
    spoken = max(elapsed_s, words[-1].end, 1.0)
    expected = expected_length_s(spoken, answer_target_s)
    total = round(len(tokens) * expected / spoken)
    X = unit_features(tokens, units, total)
    B = boundary_features(tokens, units, words, total)
    probs = model.probabilities(X)
    post = filtered(model, probs, units, B)
    alone = _merged(probs[-1])
    ahead = post @ np.exp(model.log_trans * model.trans_weight)
    merged, next_merged = _merged(post), _merged(ahead / ahead.sum())
    k = int(np.argmax(merged))
    label = SECTION_LABELS[k]
    path = decode_units(model, X, units, B, probs)
    names = ["result" if STATES[s] == "headline" else STATES[s] for s in path]
    start_unit = len(units) - 1
    while start_unit > 0 and names[start_unit - 1] == label:
        start_unit -= 1
    if names[-1] != label:
        start_unit = len(units) - 1
    start_s = words[units[start_unit].first].start if start_unit > 0 else 0.0
    top2 = np.sort(merged)[-2:]
    silence = np.log1p(max(0.0, elapsed_s - words[-1].end))
    onehot = np.eye(len(SECTION_LABELS))[k]
    into = np.log1p(max(0.0, elapsed_s - start_s))
    f = np.concatenate([[
        _logit(float(merged[k])), float(top2[1] - top2[0]), _logit(float(next_merged[k])),
        silence, into, np.log1p(len(units) - start_unit), float(tokens[-1].sent_end),
        min(spoken / expected, 1.5), _logit(float(alone[k])),
        _logit(float(np.delete(alone, k).max()))], onehot, onehot * into])
    opening = all(STATES[s] == "headline" for s in path[:start_unit])
    return Belief(label, start_s, f, float(merged[k]), opening and names[-1] == label)


def live_state(words: Sequence[Word], elapsed_s: float, *,
               answer_target_s: float = ANSWER_TARGET_S,
               situation_target_s: float = SITUATION_TARGET_S,
               model: SegmenterModel | None = None,
               gate: Gate | None = None) -> LiveState:
    """The section being spoken now, judged from the words so far (see the module doc)."""
    b = belief(words, elapsed_s, answer_target_s=answer_target_s, model=model)
    if b is None:
        return LiveState(None, 0.0, 0.0)
    gate = gate or default_gate()
    p = gate.probability(b.features)
    if p >= gate.threshold:
        return LiveState(b.label, b.start_s, p)
    if (b.label == "situation" and b.first_section
            and elapsed_s - b.start_s >= situation_target_s
            and b.confidence >= SURE_STILL_SITUATION):
        return LiveState(b.label, b.start_s, b.confidence)
    return LiveState(None, b.start_s, p)
