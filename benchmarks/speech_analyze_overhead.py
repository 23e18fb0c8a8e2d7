"""`starcoach analyze ANSWER.wav --json` total time against bare faster-whisper, same audio.

    python benchmarks/speech_analyze_overhead.py [--model tiny.en|base.en] [--seconds 120]

Both sides are whole processes (interpreter start, imports, model load, transcription;
analyze adds its VAD, the re-decoding of gaps, filler labelling and the rubric report),
same model, same audio, both with CTranslate2's default CPU threads. ``tiny.en`` is the
real model; ``base.en`` a random-weight model with its dimensions, both sides capped at 75
tokens per window. The
baseline is bare ``WhisperModel.transcribe(path, language="en", word_timestamps=True)``.
Prints each median and the ratio analyze / faster-whisper.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from speech_common import answer_wav, model_for

BARE = """
import sys
from faster_whisper import WhisperModel
m = WhisperModel(sys.argv[1], device="cpu", compute_type="int8", local_files_only=True)
cap = int(sys.argv[3]) or None
segments, info = m.transcribe(sys.argv[2], language="en", word_timestamps=True,
                              max_new_tokens=cap)
print(sum(len(s.words) for s in segments))
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny.en", choices=["tiny.en", "base.en"])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    model, cap = model_for(args.model)
    audio = answer_wav(args.seconds)
    env = dict(os.environ)
    if cap:
        env["STARCOACH_MAX_NEW_TOKENS"] = str(cap)
    bare_cmd = [sys.executable, "-c", BARE, str(model), str(audio), str(cap or 0)]
    ours_cmd = [sys.executable, "-m", "starcoach.desktop", "analyze", str(audio), "--json",
                "--model", str(model)]
    bare, ours = [], []
    for _ in range(args.runs):  # interleaved, so machine load hits both alike
        bare.append(timed(bare_cmd, env))
        ours.append(timed(ours_cmd, env))
    b, o = statistics.median(bare), statistics.median(ours)
    kind = "real tiny.en" if cap is None else f"random {args.model}-dimension model"
    kind += f", {cap} tokens/window" if cap else ""
    print(f"audio {args.seconds:.0f} s, {kind}, {args.runs} runs each")
    print(f"bare faster-whisper (baseline): {b:.2f} s   runs {[round(x, 2) for x in bare]}")
    print(f"starcoach analyze --json:       {o:.2f} s   runs {[round(x, 2) for x in ours]}")
    print(f"ratio analyze / faster-whisper: {o / b:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
