"""Train the STAR segmenter on the labelled corpus: ``python -m starcoach.rubric.training``.

Reproducible (fixed seed, deterministic split by answer id): trains on the three
quarters of the corpus that are not held out, picks the decoder's two knobs by
cross-validation inside that training set, and writes ``assets/models/segmenter.json``.
Each training answer is also seen as a speech recogniser without punctuation would
write it, so the model does not lean on full stops that Whisper may not produce.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from starcoach.rubric.corpus import CorpusAnswer, load_corpus
from starcoach.rubric.evidence_corpus import EvidenceAnswer, load_evidence
from starcoach.rubric.features import FEATURE_DIM, boundary_features, unit_features
from starcoach.rubric.model import Word
from starcoach.rubric.segment import (
    N_STATES,
    STATES,
    SegmenterModel,
    allowed_transition,
    decode_units,
    model_path,
)
from starcoach.rubric.text import normalise, split_units, tokenize

_STATE_INDEX = {s: i for i, s in enumerate(STATES)}
# Each answer is seen as written and as an unpunctuated transcript.
AUGMENT: tuple[bool, ...] = (False, True)


def asr_style(words: list[Word]) -> list[Word]:
    """The same words as an unpunctuated, lower-case transcript (timings kept)."""
    out = []
    for w in words:
        t = normalise(w.text) or w.text.lower()
        out.append(Word(t, w.start, w.end))
    return out


@dataclass(slots=True)
class Sample:
    """Timed words with a STAR state per word: one rendering of one labelled answer."""

    id: str
    words: list[Word]
    labels: list[str]


def samples_of(ans: CorpusAnswer | EvidenceAnswer, whisper: bool = True) -> list[Sample]:
    """An answer as written, as an unpunctuated transcript and, for evidence answers that
    have one, as real tiny.en transcribed it spoken."""
    out = [Sample(ans.id, ans.words, ans.labels),
           Sample(ans.id, asr_style(ans.words), ans.labels)]
    if whisper and isinstance(ans, EvidenceAnswer):
        from starcoach.rubric.evidence_training import whisper_rendering

        rendered = whisper_rendering(ans)
        if rendered is not None and rendered[0]:
            words, clause_of = rendered
            out.append(Sample(ans.id, words, [ans.clauses[c].label for c in clause_of]))
    return out


def prepare(ans: CorpusAnswer | EvidenceAnswer | Sample, strip: bool = False):
    words = asr_style(ans.words) if strip else ans.words
    tokens = tokenize(words)
    units = split_units(tokens, words)
    X = unit_features(tokens, units)
    B = boundary_features(tokens, units, words)
    y = []
    for u in units:
        labs = ans.labels[u.first:u.last + 1]
        y.append(_STATE_INDEX[max(set(labs), key=labs.count)])
    return X, np.asarray(y), units, B


def fit_classifier(X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float,
                   iters: int = 400, lr: float = 0.05, seed: int = 0,
                   n_classes: int = N_STATES):
    """Weighted softmax regression by Adam; deterministic for a given input."""
    rng = np.random.default_rng(seed)
    W = rng.normal(0, 0.001, (X.shape[1], n_classes)).astype(np.float64)
    b = np.zeros(n_classes)
    Y = np.eye(n_classes)[y]
    sw = w / w.sum()
    mW = np.zeros_like(W)
    vW = np.zeros_like(W)
    mb = np.zeros_like(b)
    vb = np.zeros_like(b)
    X64 = X.astype(np.float64)
    for t in range(1, iters + 1):
        z = X64 @ W + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - Y) * sw[:, None]
        gW = X64.T @ g + l2 * W
        gb = g.sum(axis=0)
        adam_step(((W, gW, mW, vW), (b, gb, mb, vb)), t, lr)
    return W.astype(np.float32), b.astype(np.float32)


def adam_step(slots, t: int, lr: float) -> None:
    """One Adam update, in place, of each ``(param, grad, first moment, second moment)``."""
    for param, grad, m, v in slots:
        m *= 0.9
        m += 0.1 * grad
        v *= 0.999
        v += 0.001 * grad * grad
        param -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)


def fit_transitions(seqs: list[np.ndarray]):
    start = np.ones(N_STATES)
    trans = np.ones((N_STATES, N_STATES))
    for s in seqs:
        start[s[0]] += 1
        for a, c in itertools.pairwise(s):
            trans[a, c] += 1
    mask = np.array([[allowed_transition(i, j) for j in range(N_STATES)]
                     for i in range(N_STATES)])
    trans = np.where(mask, trans, 0.0)
    with np.errstate(divide="ignore"):
        log_trans = np.where(mask, np.log(trans / trans.sum(axis=1, keepdims=True)), -np.inf)
    return np.log(start / start.sum()), log_trans


def train(answers: list, l2: float, size_power: float = 0.5,
          trans_weight: float = 1.0, boundary_weight: float = 1.0) -> SegmenterModel:
    Xs, ys, ws, seqs, Bs, bys = [], [], [], [], [], []
    for ans in answers:
        for k, sample in enumerate(samples_of(ans)):
            X, y, units, B = prepare(sample)
            Xs.append(X)
            ys.append(y)
            ws.append(np.asarray([u.size for u in units], dtype=np.float64))
            Bs.append(B[1:])
            bys.append((y[1:] != y[:-1]).astype(int))
            if k == 0:
                seqs.append(y)
    W, b = fit_classifier(np.vstack(Xs), np.concatenate(ys), np.concatenate(ws), l2)
    by = np.concatenate(bys)
    bW, bb = fit_classifier(np.vstack(Bs), by, np.ones(len(by)), l2, n_classes=2)
    log_start, log_trans = fit_transitions(seqs)
    return SegmenterModel(W, b, log_start, log_trans,
                          boundary_weights=bW[:, 1] - bW[:, 0],
                          boundary_bias=float(bb[1] - bb[0]),
                          size_power=size_power, trans_weight=trans_weight,
                          boundary_weight=boundary_weight)


def word_accuracy(model: SegmenterModel, answers: list, strip: bool) -> float:
    right = total = 0
    for ans in answers:
        X, _, units, B = prepare(ans, strip)
        path = decode_units(model, X, units, B)
        for u, s in zip(units, path, strict=True):
            pred = "result" if STATES[s] == "headline" else STATES[s]
            for i in range(u.first, u.last + 1):
                gold = "result" if ans.labels[i] == "headline" else ans.labels[i]
                right += pred == gold
                total += 1
    return right / max(1, total)


def cross_validate(answers: list, l2: float, folds: int = 4):
    """Mean word accuracy for each (size_power, trans_weight) over ``folds`` folds."""
    grid = [(p, t, bw) for p in (0.5, 1.0) for t in (0.5, 1.0, 2.0)
            for bw in (0.0, 1.0, 2.0, 4.0)]
    scores = {g: [] for g in grid}
    for k in range(folds):
        tr = [a for i, a in enumerate(answers) if i % folds != k]
        te = [a for i, a in enumerate(answers) if i % folds == k]
        base = train(tr, l2)
        for p, t, bw in grid:
            base.size_power, base.trans_weight, base.boundary_weight = p, t, bw
            acc = (word_accuracy(base, te, False) + word_accuracy(base, te, True)) / 2
            scores[(p, t, bw)].append(acc)
    return {g: float(np.mean(v)) for g, v in scores.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=model_path(), help="where to write the weights")
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--no-cv", action="store_true", help="skip the knob search")
    args = ap.parse_args(argv)
    corpus: list = load_corpus()
    evidence = load_evidence()
    corpus = corpus + evidence
    train_set = [a for a in corpus if not a.heldout]
    held = [a for a in corpus if a.heldout]
    print(f"corpus: {len(corpus)} answers ({len(evidence)} clause-tagged), "
          f"{len(train_set)} train, {len(held)} held out")
    best = (0.5, 0.5, 1.0)  # the knobs cross-validation chose on the older corpus
    if not args.no_cv:
        cv = cross_validate(train_set, args.l2)
        best = max(cv, key=cv.get)
        print(f"cross-validated knobs: size_power={best[0]} trans_weight={best[1]} "
              f"boundary_weight={best[2]} (cv word accuracy {cv[best]:.3f})")
    model = train(train_set, args.l2, *best)
    for name, group in (("all", held),
                        ("published", [a for a in held if getattr(a, "style", "") in (
                            "published", "terse")])):
        for strip in (False, True):
            kind = "asr-style (no punctuation)" if strip else "as written"
            print(f"held-out word accuracy ({name}, {len(group)}), {kind}: "
                  f"{word_accuracy(model, group, strip):.3f}")
    Path(args.out).write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n")
    print(f"wrote {args.out} ({FEATURE_DIM} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
