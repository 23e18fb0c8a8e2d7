"""Real-time factor and peak memory of batch transcription, tiny.en and base.en dimensions.

    python benchmarks/speech_rtf.py [--seconds 60] [--dims tiny.en base.en]

Each model runs in its own process (so peak RSS is its own): StarCoach's Transcriber
(VAD, word timing, fillers) and, as the baseline, bare faster-whisper with the same
settings. RTF = processing time / audio duration (lower is faster; < 1 is faster than real
time). Random weights with a 75-token cap per window cost what the real models cost.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from speech_common import TOKENS_PER_WINDOW, answer_wav, model_dir

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[4])
from speech_common import peak_rss_mb
which, model, audio, cap = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[5])
from starcoach.speech.audio import decode_audio
samples = decode_audio(audio)
if which == "starcoach":
    from starcoach.speech.transcribe import TranscribeOptions, Transcriber
    t = Transcriber(model, TranscribeOptions(max_new_tokens=cap))
    start = time.perf_counter()
    n = len(t.transcribe(samples).words)
else:
    from faster_whisper import WhisperModel
    from starcoach.speech.transcribe import FILLER_PROMPT
    m = WhisperModel(model, device="cpu", compute_type="int8", local_files_only=True)
    start = time.perf_counter()
    segs, _ = m.transcribe(samples, language="en", word_timestamps=True, vad_filter=True,
                           initial_prompt=FILLER_PROMPT, max_new_tokens=cap)
    n = sum(len(s.words) for s in segs)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "duration": samples.size / 16000, "words": n,
                  "peak_rss_mb": peak_rss_mb()}))
"""


def run(which: str, model: str, audio: str) -> dict:
    here = str(__import__("pathlib").Path(__file__).resolve().parent)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, which, model, audio, here, str(TOKENS_PER_WINDOW)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--dims", nargs="+", default=["tiny.en", "base.en"])
    args = parser.parse_args()
    audio = str(answer_wav(args.seconds))
    for dims in args.dims:
        model = str(model_dir(dims))
        ours = run("starcoach", model, audio)
        bare = run("faster-whisper", model, audio)
        rtf, brtf = ours["seconds"] / ours["duration"], bare["seconds"] / bare["duration"]
        print(
            f"{dims}-dimension random model, {ours['duration']:.0f} s answer, "
            f"{TOKENS_PER_WINDOW} tokens/window"
        )
        print(f"  starcoach  RTF {rtf:.3f}  peak RSS {ours['peak_rss_mb']:.0f} MB")
        print(
            f"  baseline   RTF {brtf:.3f}  peak RSS {bare['peak_rss_mb']:.0f} MB "
            "(bare faster-whisper)"
        )
        print(
            f"  ratio      RTF {rtf / brtf:.3f}  memory "
            f"{ours['peak_rss_mb'] / bare['peak_rss_mb']:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
