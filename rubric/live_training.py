"""Fit the live cue's gate: ``python -m starcoach.rubric.live_training``.

Every answer of the project's own corpus (as written, as an unpunctuated transcript, and
where there is one as real tiny.en transcribed it spoken) is streamed as the cue sees it:
every ``STEP_S`` seconds, the words recognised up to a lag ago (the lag cycles through
``LAGS_S``, since it depends on the machine). Each tick is one sample: the segmenter's
belief (``live.belief``) and whether the section it names is the one being spoken then
(the last one during a pause). A logistic regression on those samples is the gate; the
held-out quarter (by answer id, as for the segmenter) is only measured. The cue names a
section at ``THRESHOLD``, chosen on these streams (0.85: right 0.947 of the named training
ticks and 0.925 held out; 0.80 gave 0.913 and 0.886). Every answer is streamed against a
two-minute target (the packs' answer targets, 120-135 s, differ little). Deterministic;
writes ``assets/models/live_gate.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from starcoach.rubric.corpus import load_corpus
from starcoach.rubric.evidence_corpus import load_evidence
from starcoach.rubric.live import GATE_DIM, Gate, belief, gate_path
from starcoach.rubric.model import Word
from starcoach.rubric.training import fit_classifier, samples_of

STEP_S = 2.0
LAGS_S = (1.0, 1.5, 2.5)
# The cue names a section when the gate thinks it at least this likely to be right.
THRESHOLD = 0.85


def segments(words: list[Word], labels: list[str]) -> list[dict]:
    """The truth spans of one labelled answer in the layout the live replay reads
    (``rubric.evaluate.live_cue_accuracy``, the dev set's ``<id>.truth.json``): one
    ``{"label", "start_s", "end_s"}`` per run of equal labels, the headline told as the
    Result."""
    out: list[dict] = []
    for w, lab in zip(words, labels, strict=True):
        lab = "result" if lab == "headline" else lab
        if out and out[-1]["label"] == lab:
            out[-1]["end_s"] = w.end
        else:
            out.append({"label": lab, "start_s": w.start, "end_s": w.end})
    return out


def replay(words: list[Word], segments: list[dict], step_s: float, lags: Sequence[float]
           ) -> Iterator[tuple[float, list[Word], dict]]:
    """The answer as the live cue hears it: every ``step_s`` up to the end of its last
    segment, (time, the words recognised up to a lag ago, the segment being spoken then:
    the last one begun, the first before any); the lag cycles through ``lags``."""
    t, n = step_s, 0
    while t <= segments[-1]["end_s"]:
        lag = lags[n % len(lags)]
        n += 1
        now = segments[0]
        for seg in segments:
            if seg["start_s"] <= t:
                now = seg
        yield t, [w for w in words if w.end <= t - lag], now
        t += step_s


def ticks(words: list[Word], labels: list[str], target_s: float = 120.0
          ) -> Iterator[tuple[float, np.ndarray, bool]]:
    """(time, gate features, named section is right) for each tick of one streamed answer
    once something is heard."""
    for t, heard, now in replay(words, segments(words, labels), STEP_S, LAGS_S):
        b = belief(heard, t, answer_target_s=target_s)
        if b is not None:
            yield t, b.features, b.label == now["label"]


def streams(heldout: bool) -> Iterator[tuple[list[Word], list[str]]]:
    for ans in [*load_corpus(), *load_evidence()]:
        if ans.heldout == heldout:
            for s in samples_of(ans):
                if s.words:
                    yield s.words, s.labels


def dataset(heldout: bool) -> tuple[np.ndarray, np.ndarray]:
    X, y = [], []
    for words, labels in streams(heldout):
        for _, f, ok in ticks(words, labels):
            X.append(f)
            y.append(ok)
    return np.asarray(X).reshape(-1, GATE_DIM), np.asarray(y, dtype=np.int64)


def fit(X: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> Gate:
    W, b = fit_classifier(X, y, np.ones(len(y)), l2, iters=800, n_classes=2)
    return Gate((W[:, 1] - W[:, 0]).astype(np.float64), float(b[1] - b[0]), THRESHOLD)


def report(gate: Gate, X: np.ndarray, y: np.ndarray) -> str:
    named = gate.probabilities(X) >= gate.threshold
    return (f"named {named.mean():.2f} of the ticks, right {y[named].mean():.3f} "
            f"(ungated {y.mean():.3f})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=gate_path(), help="where to write the gate")
    args = ap.parse_args(argv)
    X, y = dataset(heldout=False)
    Xh, yh = dataset(heldout=True)
    gate = fit(X, y)
    print(f"train ({len(y)} ticks): {report(gate, X, y)}")
    print(f"held out ({len(yh)} ticks): {report(gate, Xh, yh)}")
    Path(args.out).write_text(json.dumps(gate.to_json()) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
