"""Train the evidence tagger: ``python -m starcoach.rubric.evidence_training``.

Reproducible (fixed seed; the held-out quarter chosen by answer id is never used). Each
training answer of ``assets/corpus/evidence`` is seen as written, as an unpunctuated
lower-case transcript, and — where ``assets/corpus/evidence/whisper/`` holds one — as
real tiny.en wrote it from the answer spoken by espeak-ng, so the tagger meets the
register it will hear. Every clause-sized unit is labelled with the tags of the clauses
that make up most of it. One logistic regression per tag is fitted by Adam; then each
rule's decision threshold is chosen by four-fold cross-validation inside the training
set (out-of-fold probabilities, labelled sections), maximising that rule's F0.5 (precision
weighted) against the rules the tags imply (``evidence_corpus.gold_rules``).
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np
from starcoach.rubric.analyze import analyze, prepare, run_rule, segmented
from starcoach.rubric.corpus import load_corpus
from starcoach.rubric.cues import cue_matrix
from starcoach.rubric.evidence import (
    FEATURE_DIM,
    TAGS,
    TaggerModel,
    features,
    model_path,
    save_model,
)
from starcoach.rubric.evidence_corpus import (
    HEADLINE,
    EvidenceAnswer,
    evidence_dir,
    gold_rules,
    load_evidence,
)
from starcoach.rubric.model import Word
from starcoach.rubric.pack_resolve import resolve
from starcoach.rubric.pack_schema import PRINCIPLES
from starcoach.rubric.packs import builtin_catalogue
from starcoach.rubric.serial import words_from_json
from starcoach.rubric.text import normalise
from starcoach.rubric.training import adam_step

TAG_RULES = (
    "escalation_handoff", "passive_handoff", "we_language", "manager_directed",
    "vague_motivation", "missing_scope_boundary", "no_metric_delta", "no_business_impact",
    "no_second_order_effect", "vague_outcome", "generic_reflection", "no_systemic_insight",
    "hedging",
)
# Thresholds maximise F-beta with beta 0.5: a false finding costs the candidate's trust
# more than a missed one costs them, so precision counts twice as much as recall.
BETA = 0.5
GRID = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)


def asr_style(words: list[Word]) -> list[Word]:
    return [Word(normalise(w.text) or w.text.lower(), w.start, w.end) for w in words]


def whisper_rendering(ans: EvidenceAnswer) -> tuple[list[Word], list[int]] | None:
    """Words real tiny.en wrote for this answer and the clause of each (by time), if any."""
    path = evidence_dir() / "whisper" / f"{ans.id}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    words = words_from_json(data["words"], str(path))
    spans = data["clauses"]  # [start_s, end_s] per clause of the synthesized audio
    clause_of = []
    for w in words:
        mid = (w.start + w.end) / 2
        best = min(range(len(spans)), key=lambda k: 0.0 if spans[k][0] <= mid <= spans[k][1]
                   else min(abs(mid - spans[k][0]), abs(mid - spans[k][1])))
        clause_of.append(best)
    return words, clause_of


def renderings(ans: EvidenceAnswer, whisper: bool = True
               ) -> list[tuple[list[Word], list[int]]]:
    out = [(ans.words, ans.clause_of), (asr_style(ans.words), ans.clause_of)]
    if whisper:
        w = whisper_rendering(ans)
        if w is not None and w[0]:
            out.append(w)
    return out


def unit_targets(ans: EvidenceAnswer, clause_of: list[int], units) -> np.ndarray:
    """(units × tags) 0/1: a unit carries a tag when most of it comes from clauses with that
    tag, or when it holds most of such a clause."""
    Y = np.zeros((len(units), len(TAGS)), dtype=np.float32)
    clause_len: dict[int, int] = {}
    for c in clause_of:
        clause_len[c] = clause_len.get(c, 0) + 1
    for r, u in enumerate(units):
        cs = clause_of[u.first:u.last + 1]
        size = len(cs)
        for k, t in enumerate(TAGS):
            inside: dict[int, int] = {}
            for c in cs:
                if t in ans.clauses[c].tags:
                    inside[c] = inside.get(c, 0) + 1
            covered = sum(inside.values())
            if covered >= 0.5 * size or any(v >= 0.6 * clause_len[c] for c, v in inside.items()):
                Y[r, k] = 1.0
    return Y


# The older corpus (``assets/corpus/batch-*.txt``) marks the words of span-level faults;
# each mark says which tags its clause carries, and its unmarked clauses carry none of
# the tags a mark could have named. Its other tags are unknown and left out of the loss.
OLD_MARK_TAGS = {
    "we_language": ("we",), "manager_directed": ("directed",),
    "escalation_handoff": ("handoff", "other"), "passive_handoff": ("handoff", "wait"),
    "vague_motivation": ("vague_reason",), "vague_outcome": ("vague_outcome",),
    "generic_reflection": ("generic",), "hedging": ("hedge",),
}
OLD_KNOWN = sorted({t for ts in OLD_MARK_TAGS.values() for t in ts})


def old_targets(ans, units) -> tuple[np.ndarray, np.ndarray]:
    """(targets, mask) for an older-corpus answer's units."""
    Y = np.zeros((len(units), len(TAGS)), dtype=np.float32)
    M = np.zeros_like(Y)
    for t in OLD_KNOWN:
        M[:, TAGS.index(t)] = 1.0
    for rule, first, last in ans.marks:
        for t in OLD_MARK_TAGS.get(rule, ()):
            k = TAGS.index(t)
            for r, u in enumerate(units):
                overlap = max(0, min(u.last, last) - max(u.first, first) + 1)
                if overlap >= 0.5 * u.size or overlap >= 0.6 * (last - first + 1):
                    Y[r, k] = 1.0
    return Y, M


def unit_design(ans, words: list[Word]):
    """Units and their feature rows, segmented and cued as ``analyze`` would see them."""
    rub = resolve(builtin_catalogue(), None, principle_of(ans), ans.level, None, None)
    ctx, units, *_ = segmented(words, rub, ans.level, None, (), None)
    return units, features(ctx.tokens, units, None, cue_matrix(ctx, units))


def design(answers: list[EvidenceAnswer], whisper: bool = True, old: list | None = None
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, targets and the mask of known targets, one row per unit."""
    Xs, Ys, Ms = [], [], []
    for ans in answers:
        for words, clause_of in renderings(ans, whisper):
            units, X = unit_design(ans, words)
            Xs.append(X)
            Ys.append(unit_targets(ans, clause_of, units))
            Ms.append(np.ones_like(Ys[-1]))
    for ans in old or ():
        for words in (ans.words, asr_style(ans.words)):
            units, X = unit_design(ans, words)
            Xs.append(X)
            Y, M = old_targets(ans, units)
            Ys.append(Y)
            Ms.append(M)
    return np.vstack(Xs), np.vstack(Ys), np.vstack(Ms)


class Sparse:
    """A row-sparse matrix in CSR-like arrays, enough for X @ W and X.T @ G (numpy only)."""

    def __init__(self, X: np.ndarray) -> None:
        rows, cols = np.nonzero(X)
        self.shape = X.shape
        self.rows, self.cols = rows, cols
        self.vals = X[rows, cols].astype(np.float32)
        self.by_col = np.argsort(cols, kind="stable")
        self.col_starts = np.searchsorted(cols[self.by_col], np.arange(X.shape[1]))
        self.row_starts = np.searchsorted(rows, np.arange(X.shape[0]))

    def dot(self, W: np.ndarray) -> np.ndarray:
        contrib = W[self.cols] * self.vals[:, None]
        out = np.zeros((self.shape[0], W.shape[1]), dtype=np.float32)
        nonempty = np.flatnonzero(np.diff(np.append(self.row_starts, len(self.rows))) > 0)
        out[nonempty] = np.add.reduceat(contrib, self.row_starts[nonempty], axis=0)
        return out

    def tdot(self, G: np.ndarray) -> np.ndarray:
        order = self.by_col
        contrib = G[self.rows[order]] * self.vals[order][:, None]
        out = np.zeros((self.shape[1], G.shape[1]), dtype=np.float32)
        counts = np.diff(np.append(self.col_starts, len(order)))
        nonempty = np.flatnonzero(counts > 0)
        out[nonempty] = np.add.reduceat(contrib, self.col_starts[nonempty], axis=0)
        return out


def fit(X: np.ndarray, Y: np.ndarray, M: np.ndarray | None = None, l2: float = 3e-4,
        iters: int = 300, lr: float = 0.05, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest logistic regression by Adam, positives up-weighted to balance each tag;
    ``M`` masks out targets that are unknown (0)."""
    rng = np.random.default_rng(seed)
    S = Sparse(X)
    W = rng.normal(0, 0.001, (X.shape[1], Y.shape[1])).astype(np.float32)
    b = np.zeros(Y.shape[1], dtype=np.float32)
    M = np.ones_like(Y) if M is None else M
    pos = ((Y * M).sum(axis=0) / np.maximum(M.sum(axis=0), 1)).clip(1e-3, 0.999)
    wpos = np.sqrt((1 - pos) / pos).astype(np.float32)  # partial balancing
    weight = np.where(Y > 0, wpos[None, :], 1.0).astype(np.float32) * M
    weight /= np.maximum(weight.sum(axis=0, keepdims=True), 1e-9)
    mW = np.zeros_like(W)
    vW = np.zeros_like(W)
    mb = np.zeros_like(b)
    vb = np.zeros_like(b)
    for t in range(1, iters + 1):
        z = np.clip(S.dot(W) + b, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        g = (p - Y) * weight
        gW = S.tdot(g) + l2 * W
        gb = g.sum(axis=0)
        adam_step(((W, gW, mW, vW), (b, gb, mb, vb)), t, lr)
    return W, b


def principle_of(ans: EvidenceAnswer) -> str:
    return ans.principle if ans.principle in PRINCIPLES else "general"


def gold_marks(ans: EvidenceAnswer, clause_of: list[int]) -> list[tuple[int, str]]:
    marks, prev = [], None
    for i, c in enumerate(clause_of):
        lab = ans.clauses[c].label
        lab = "result" if lab == HEADLINE else lab
        if lab != prev:
            marks.append((i, lab))
            prev = lab
    return marks


def active_rules(ans: EvidenceAnswer) -> set[str]:
    """The tag rules this answer's rubric (principle and level) switches on."""
    rub = resolve(builtin_catalogue(), None, principle_of(ans), ans.level, None, None)
    return {r for r in TAG_RULES if rub.severities.get(r, "off") != "off"}


def fired(model: TaggerModel, ans: EvidenceAnswer, words: list[Word], clause_of: list[int],
          gold_sections: bool) -> set[str]:
    rep = analyze(words, principle=principle_of(ans), level=ans.level, timing="estimated",
                  marks=gold_marks(ans, clause_of) if gold_sections else (), tagger=model)
    return {f.rule for f in rep.findings}


def choose_thresholds(answers: list[EvidenceAnswer], extra: list[EvidenceAnswer],
                      folds: int = 4, l2: float = 3e-4, whisper: bool = True,
                      old: list | None = None) -> dict[str, float]:
    """Per rule, the grid threshold with the best cross-validated F1 (``extra``, the tagged
    follow-up replies, only ever train). Each held-out answer is segmented and tagged once;
    only the detectors run again for each threshold."""
    counts = {r: {t: [0, 0, 0] for t in GRID} for r in TAG_RULES}  # tp fp fn
    for k in range(folds):
        tr = [a for i, a in enumerate(answers) if i % folds != k]
        te = [a for i, a in enumerate(answers) if i % folds == k]
        W, b = fit(*design(tr + extra, whisper, old), l2=l2)
        model = TaggerModel(W, b, {})
        for ans in te:
            gold = gold_rules(ans)
            active = active_rules(ans)
            for words, clause_of in renderings(ans, whisper):
                prep = prepare(words, principle=principle_of(ans), level=ans.level,
                               marks=gold_marks(ans, clause_of), tagger=model)
                assert prep.context.tags is not None
                for t in GRID:
                    prep.context.tags.thresholds = dict.fromkeys(TAG_RULES, t)
                    for r in active:
                        got = bool(run_rule(prep, r))
                        c = counts[r][t]
                        if got and r in gold:
                            c[0] += 1
                        elif got:
                            c[1] += 1
                        elif r in gold:
                            c[2] += 1
    best: dict[str, float] = {}
    for r in TAG_RULES:
        def fbeta(t: float, r: str = r) -> float:
            tp, fp, fn = counts[r][t]
            b2 = BETA * BETA
            return (1 + b2) * tp / max(1, (1 + b2) * tp + b2 * fn + fp) + 1e-3 * (t == 0.5)
        best[r] = max(GRID, key=fbeta)
        tp, fp, fn = counts[r][best[r]]
        print(f"  {r:24} threshold {best[r]:.2f}  cv tp {tp} fp {fp} fn {fn}", flush=True)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=model_path())
    ap.add_argument("--l2", type=float, default=3e-4)
    ap.add_argument("--no-cv", action="store_true", help="keep every threshold at 0.5")
    ap.add_argument("--no-whisper", action="store_true", help="ignore tiny.en renderings")
    ap.add_argument("--no-old", action="store_true", help="leave out the older corpus")
    args = ap.parse_args(argv)
    corpus = load_evidence()
    train_set = [a for a in corpus if not a.heldout]
    print(f"evidence corpus: {len(corpus)} answers, {len(train_set)} train, "
          f"{len(corpus) - len(train_set)} held out")
    replies = [r for r in load_evidence(followups=True) if not r.heldout]
    print(f"tagged follow-up replies used for training: {len(replies)}")
    whisper = not args.no_whisper
    thresholds = dict.fromkeys(TAG_RULES, 0.5)
    old = [a for a in load_corpus() if not a.heldout] if not args.no_old else []
    print(f"older-corpus answers used for their marked tags: {len(old)}")
    if not args.no_cv:
        thresholds = choose_thresholds(train_set, replies, l2=args.l2, whisper=whisper,
                                       old=old)
    X, Y, M = design(train_set + replies, whisper, old)
    print(f"units: {X.shape[0]}, features: {FEATURE_DIM}; positives per tag: "
          + ", ".join(f"{t} {int(Y[:, k].sum())}" for k, t in enumerate(TAGS)))
    W, b = fit(X, Y, M, l2=args.l2)
    save_model(TaggerModel(W, b, thresholds), args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
