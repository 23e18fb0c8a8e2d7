"""`starcoach analyze ANSWER.wav --json` total time vs bare faster-whisper on the same audio.

    python benchmarks/speech_analyze_overhead.py [--dims base.en] [--seconds 120] [--runs 2]

Both sides are whole processes (interpreter start, imports, model load, decode, transcribe;
analyze adds its VAD, filler detection and the rubric report), same model, same audio,
same token cap, same decoding settings (beam 5, word timestamps, VAD, the filler prompt).
Prints each median and the ratio analyze / faster-whisper (target: <= 1.10).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from speech_common import TOKENS_PER_WINDOW, answer_wav, model_dir

BARE = """
import sys
from faster_whisper import WhisperModel
from starcoach.speech.transcribe import FILLER_PROMPT
m = WhisperModel(sys.argv[1], device="cpu", compute_type="int8", local_files_only=True)
segments, info = m.transcribe(sys.argv[2], language="en", word_timestamps=True,
    vad_filter=True, initial_prompt=FILLER_PROMPT, max_new_tokens=int(sys.argv[3]))
n = sum(len(s.words) for s in segments)
print(n)
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", default="base.en", choices=["tiny.en", "base.en"])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    model = model_dir(args.dims)
    audio = answer_wav(args.seconds)
    env = {**os.environ, "STARCOACH_MAX_NEW_TOKENS": str(TOKENS_PER_WINDOW)}
    bare_cmd = [sys.executable, "-c", BARE, str(model), str(audio), str(TOKENS_PER_WINDOW)]
    ours_cmd = [
        sys.executable,
        "-m",
        "starcoach.desktop",
        "analyze",
        str(audio),
        "--json",
        "--model",
        str(model),
    ]
    bare, ours = [], []
    for _ in range(args.runs):  # interleaved, so machine load hits both alike
        bare.append(timed(bare_cmd, env))
        ours.append(timed(ours_cmd, env))
    b, o = statistics.median(bare), statistics.median(ours)
    print(
        f"audio {args.seconds:.0f} s, random {args.dims}-dimension model, "
        f"{TOKENS_PER_WINDOW} tokens/window cap, {args.runs} runs each"
    )
    print(f"bare faster-whisper (baseline): {b:.2f} s   runs {[round(x, 2) for x in bare]}")
    print(f"starcoach analyze --json:       {o:.2f} s   runs {[round(x, 2) for x in ours]}")
    print(f"ratio analyze / faster-whisper: {o / b:.3f}  (target <= 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
