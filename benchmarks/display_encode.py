"""Display pieces: encoded at their own length against full 30 s windows, in one run.

    python benchmarks/display_encode.py [--devset ../shared/devset] --audio DIR
        [--only o01,o08] [--piece-s 8] [--threads 1]

Each dev-set answer (audio from ``../shared/devset/synth.py --out DIR``) is cut into
``--piece-s`` provisional pieces decoded greedily as the live display decodes them
(``DecodeSession.provisional``), once with each piece encoded at its own length
(:func:`starcoach.speech.decoding.encoder_frames`, what the app does) and once padded to a
full window (the baseline). Prints the word error rate of the pieces' words against the
case text (normalised as ``tests/tools/devset_asr.py`` does) and the decode time of each,
with the ratio; then one encoder call's time per input length.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from speech_common import real_tiny_en

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "tools"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devset", default="../shared/devset")
    ap.add_argument("--audio", required=True)
    ap.add_argument("--only", default="o01,o08,o13,o21,o27")
    ap.add_argument("--piece-s", type=float, default=8.0)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    from devset_asr import FILLERS, align, norm
    from starcoach.speech import decode_session
    from starcoach.speech.decoding import N_FRAMES, encoder_frames
    from starcoach.speech.transcribe import Transcriber, _samples

    transcriber = Transcriber(real_tiny_en(), cpu_threads=a.threads)
    only = [x for x in a.only.split(",") if x]
    piece = round(a.piece_s * 100)
    totals = {"own length": [0, 0, 0.0], "full window": [0, 0, 0.0]}
    for case_file in sorted(Path(a.devset, "cases").glob("*.json")):
        case = json.loads(case_file.read_text())
        if only and case["id"][:3] not in only:
            continue
        text = " ".join(s["text"] for s in case["segments"])
        ref = [w for w in norm(text) if w not in FILLERS]
        session = transcriber.session()
        session.feed(_samples(Path(a.audio, f"{case['id']}.wav")))
        session.finish()
        for name, frames_for in (("own length", encoder_frames),
                                 ("full window", lambda _f: N_FRAMES)):
            decode_session.encoder_frames = frames_for
            began, words = time.perf_counter(), []
            for start in range(0, session.content_frames, piece):
                words += [w.word.text for w in session.provisional(start, piece,
                                                                   previous_tokens=[]).words]
            seconds = time.perf_counter() - began
            hyp = [w for w in norm(" ".join(words)) if w not in FILLERS]
            errors = align(ref, hyp)[0]
            t = totals[name]
            t[0], t[1], t[2] = t[0] + errors, t[1] + len(ref), t[2] + seconds
            print(f"{case['id'][:3]}  {name:11}  WER {errors / len(ref):.3f}  {seconds:5.1f} s",
                  flush=True)
        decode_session.encoder_frames = encoder_frames
    own, full = totals["own length"], totals["full window"]
    print(f"pieces of {a.piece_s:g} s: own length WER {own[0] / max(1, own[1]):.3f} in "
          f"{own[2]:.1f} s; full window WER {full[0] / max(1, full[1]):.3f} in {full[2]:.1f} s; "
          f"time ratio {own[2] / max(full[2], 1e-9):.2f}")
    model = transcriber.whisper
    for frames in (N_FRAMES, 1500, 1000):
        features = np.zeros((1, 80, frames), np.float32)
        model.encode(features)
        began = time.perf_counter()
        for _ in range(3):
            model.encode(features)
        print(f"encoder, {frames} frames: {(time.perf_counter() - began) / 3:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
