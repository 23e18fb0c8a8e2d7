"""STAR segmentation: a learned per-unit classifier plus a monotonic Viterbi decoder.

The classifier (softmax regression over ``features.unit_features``) says how much each
clause sounds like a Situation, Task, Action, Result, Reflection or an opening result
headline. The decoder then finds the best label sequence that never goes backwards
(situation → task → action → result → reflection; a headline only at the start), so a
single odd clause cannot flip the order. Weights and transition scores are data
(``assets/models/segmenter.json``), produced by ``python -m starcoach.rubric.training``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from starcoach.rubric.features import (
    BOUNDARY_DIM,
    FEATURE_DIM,
    boundary_features,
    unit_features,
)
from starcoach.rubric.text import Token, Unit, split_units

STATES: tuple[str, ...] = ("headline", "situation", "task", "action", "result", "reflection")
N_STATES = len(STATES)


def allowed_transition(i: int, j: int) -> bool:
    """Monotonic order; a headline may only open the answer and is followed by S, T or A."""
    if i == j:
        return True
    if i == 0:
        return j in (1, 2, 3)
    return 1 <= i < j


@dataclass(slots=True)
class SegmenterModel:
    weights: np.ndarray  # (FEATURE_DIM, N_STATES)
    bias: np.ndarray  # (N_STATES,)
    log_start: np.ndarray  # (N_STATES,)
    log_trans: np.ndarray  # (N_STATES, N_STATES), -inf where not allowed
    boundary_weights: np.ndarray | None = None  # (BOUNDARY_DIM,)
    boundary_bias: float = 0.0
    size_power: float = 0.5
    trans_weight: float = 1.0
    boundary_weight: float = 1.0

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        z = X @ self.weights + self.bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def boundary_probabilities(self, B: np.ndarray) -> np.ndarray:
        if self.boundary_weights is None:
            return np.full(B.shape[0], 0.5)
        z = np.clip(B @ self.boundary_weights + self.boundary_bias, -30, 30)
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        nz = np.argwhere(np.abs(self.weights) > 1e-4)
        bw = self.boundary_weights if self.boundary_weights is not None else np.zeros(
            BOUNDARY_DIM)
        return {
            "format": 1,
            "feature_dim": FEATURE_DIM,
            "states": list(STATES),
            "weights_sparse": [[int(r), int(c), round(float(self.weights[r, c]), 4)]
                               for r, c in nz],
            "bias": [round(float(b), 4) for b in self.bias],
            "log_start": [_finite(v) for v in self.log_start],
            "log_trans": [[_finite(v) for v in row] for row in self.log_trans],
            "boundary_dim": BOUNDARY_DIM,
            "boundary_sparse": [[int(i), round(float(bw[i]), 4)]
                                for i in np.flatnonzero(np.abs(bw) > 1e-4)],
            "boundary_bias": round(float(self.boundary_bias), 4),
            "size_power": self.size_power,
            "trans_weight": self.trans_weight,
            "boundary_weight": self.boundary_weight,
        }

    @classmethod
    def from_json(cls, data: dict) -> SegmenterModel:
        if (data.get("feature_dim") != FEATURE_DIM or data.get("states") != list(STATES)
                or data.get("boundary_dim") != BOUNDARY_DIM):
            raise ValueError("segmenter weights do not match this version's features; "
                             "retrain with `python -m starcoach.rubric.training`")
        w = np.zeros((FEATURE_DIM, N_STATES), dtype=np.float32)
        if data["weights_sparse"]:
            idx = np.asarray(data["weights_sparse"], dtype=np.float64)
            w[idx[:, 0].astype(int), idx[:, 1].astype(int)] = idx[:, 2]
        bw = np.zeros(BOUNDARY_DIM, dtype=np.float32)
        for i, v in data["boundary_sparse"]:
            bw[int(i)] = v
        return cls(
            weights=w,
            bias=np.asarray(data["bias"], dtype=np.float32),
            log_start=np.asarray([_unfinite(v) for v in data["log_start"]]),
            log_trans=np.asarray([[_unfinite(v) for v in row] for row in data["log_trans"]]),
            boundary_weights=bw,
            boundary_bias=float(data["boundary_bias"]),
            size_power=float(data["size_power"]),
            trans_weight=float(data["trans_weight"]),
            boundary_weight=float(data["boundary_weight"]),
        )


def _finite(v: float) -> float | None:
    return None if not np.isfinite(v) else round(float(v), 4)


def _unfinite(v: float | None) -> float:
    return -np.inf if v is None else float(v)


def model_path() -> str:
    return str(resources.files("starcoach.assets") / "models" / "segmenter.json")


@lru_cache(maxsize=1)
def default_model() -> SegmenterModel:
    with open(model_path(), encoding="utf-8") as fh:
        return SegmenterModel.from_json(json.load(fh))


_SAME = np.eye(N_STATES, dtype=bool)


def viterbi(emit: np.ndarray, log_start: np.ndarray, log_trans: np.ndarray,
            log_change: np.ndarray | None = None, log_stay: np.ndarray | None = None
            ) -> list[int]:
    """Best monotonic state path for an (units × states) emission score matrix.

    ``log_change[u]``/``log_stay[u]`` score a section change (or none) at the junction
    before unit ``u``; they make transitions depend on what is said there.
    """
    m = emit.shape[0]
    score = log_start + emit[0]
    back = np.zeros((m, N_STATES), dtype=np.int64)
    for u in range(1, m):
        cand = score[:, None] + transitions(log_trans, log_change, log_stay, u)  # from × to
        back[u] = np.argmax(cand, axis=0)
        score = cand[back[u], np.arange(N_STATES)] + emit[u]
    path = [int(np.argmax(score))]
    for u in range(m - 1, 0, -1):
        path.append(int(back[u, path[-1]]))
    return path[::-1]


def transitions(log_trans: np.ndarray, log_change: np.ndarray | None,
                log_stay: np.ndarray | None, u: int) -> np.ndarray:
    """Transition scores into unit ``u``, with what is said at the junction before it."""
    if log_change is None or log_stay is None:
        return log_trans
    return log_trans + np.where(_SAME, log_stay[u], log_change[u])


def path_scores(model: SegmenterModel, probs: np.ndarray, units: list[Unit],
                B: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                      np.ndarray | None, np.ndarray | None]:
    """What every decoder of the sections reads (the Viterbi path here, the live cue's
    forward filter): emission scores per unit and state (the classifier's ``probs``,
    weighted by unit size), start and transition scores, and the change/stay scores at
    each junction (None without boundary weights)."""
    sizes = np.asarray([u.size for u in units], dtype=np.float64)
    emit = np.log(probs + 1e-9) * (sizes[:, None] ** model.size_power)
    change = stay = None
    if B is not None and model.boundary_weights is not None:
        pb = np.clip(model.boundary_probabilities(B), 1e-6, 1 - 1e-6)
        change = np.log(pb) * model.boundary_weight
        stay = np.log(1 - pb) * model.boundary_weight
    return (emit, model.log_start * model.trans_weight, model.log_trans * model.trans_weight,
            change, stay)


def decode_units(model: SegmenterModel, X: np.ndarray, units: list[Unit],
                 B: np.ndarray | None = None, probs: np.ndarray | None = None) -> list[int]:
    """Best state per unit (``probs``: the classifier's for ``X``, if already computed)."""
    probs = model.probabilities(X) if probs is None else probs
    return viterbi(*path_scores(model, probs, units, B))


@dataclass(frozen=True, slots=True)
class Segmentation:
    """Per-word STAR states, and for each section the classifier's strongest belief that
    some unit belongs to it (lets rules tell "absent" from "merged into a neighbour")."""

    labels: list[str]
    evidence: dict[str, float]


def segment(tokens: list[Token], words, model: SegmenterModel | None = None,
            units: list[Unit] | None = None) -> Segmentation:
    """Cut into units (unless given), classify them and decode the best monotonic STAR
    labelling."""
    units = split_units(tokens, words) if units is None else units
    if not units:
        return Segmentation([], {})
    model = model or default_model()
    X = unit_features(tokens, units)
    B = boundary_features(tokens, units, words)
    probs = model.probabilities(X)
    path = decode_units(model, X, units, B)
    labels = [""] * len(tokens)
    for u, st in zip(units, path, strict=True):
        for i in range(u.first, u.last + 1):
            labels[i] = STATES[st]
    evidence = {state: float(probs[:, k].max()) for k, state in enumerate(STATES)}
    evidence["result"] = max(evidence["result"], evidence.pop("headline"))
    return Segmentation(labels, evidence)
