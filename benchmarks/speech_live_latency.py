"""Live latency: end of speech to the first complete transcript and to the exact final words.

    python benchmarks/speech_live_latency.py [--seconds 60 180] [--dims base.en] [--flat-cap]

The answer is pushed to the LiveTranscriber in 0.1 s blocks paced by the wall clock, as the
recorder would. Reported per answer:

- end of speech -> first complete transcript (what ``stop()`` returns; target < 2 s on
  2 cores with base.en), and how much audio was decoded for it after Stop;
- end of speech -> exact final words (``LiveResult.final``), and whether they equal a batch
  pass over the same audio;
- how far the live display trails the voice: at every pushed block, the audio received so
  far minus the audio the latest display update was based on (median and max);
- baseline: a batch pass over the same audio after Stop (what waiting for it would cost).

Decodes are capped at ``TOKENS_PER_WINDOW`` per 30 s of speech, in proportion for shorter
ones (a trained model stops when the speech does; see ``cap_tokens_to_speech``);
``--flat-cap`` caps every decode at the full window's count instead (pessimistic).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
from speech_common import TOKENS_PER_WINDOW, answer_wav, cap_tokens_to_speech, model_dir
from starcoach.speech.audio import SAMPLE_RATE, decode_audio
from starcoach.speech.live import LiveTranscriber, LiveUpdate
from starcoach.speech.transcribe import TranscribeOptions, Transcriber

BLOCK = SAMPLE_RATE // 10


def stream(transcriber: Transcriber, audio: np.ndarray) -> dict:
    shown: list[LiveUpdate] = []

    def on_update(u: LiveUpdate) -> None:
        if not u.complete:
            shown.append(u)

    live = LiveTranscriber(transcriber, on_update=on_update).start()
    lags: list[float] = []
    start = time.perf_counter()
    for i in range(0, audio.size, BLOCK):
        delay = start + i / SAMPLE_RATE - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        live.push(audio[i : i + BLOCK])
        if shown:
            lags.append(min(i + BLOCK, audio.size) / SAMPLE_RATE - shown[-1].heard_s)
    end_of_speech = time.perf_counter()
    result = live.stop()
    first_s = time.perf_counter() - end_of_speech
    final = result.final.result()
    final_s = time.perf_counter() - end_of_speech
    return {
        "first_s": first_s,
        "final_s": final_s,
        "lags": lags,
        "updates": len(shown),
        "words": final.words,
        "first_words": len(result.first.words),
        "stats": live.stats,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, nargs="+", default=[60, 180])
    parser.add_argument("--dims", default="base.en", choices=["tiny.en", "base.en"])
    parser.add_argument("--flat-cap", action="store_true", help="no proportional token cap")
    args = parser.parse_args()
    if not args.flat_cap:
        cap_tokens_to_speech()
    options = TranscribeOptions(max_new_tokens=TOKENS_PER_WINDOW)
    transcriber = Transcriber(model_dir(args.dims), options)
    cap = "flat" if args.flat_cap else "per second of speech"
    for seconds in args.seconds:
        audio = decode_audio(answer_wav(seconds))
        r = stream(transcriber, audio)
        t = time.perf_counter()
        batch = transcriber.transcribe(audio).words
        batch_s = time.perf_counter() - t
        st = r["stats"]
        print(
            f"{seconds:.0f} s answer, random {args.dims}-dimension model, real-time stream, "
            f"{TOKENS_PER_WINDOW} tokens per 30 s window ({cap})"
        )
        print(
            f"  end of speech -> first complete transcript: {r['first_s']:.2f} s  "
            f"(target < 2 s; {st.stop_decodes} decode of {st.stop_decoded_s:.1f} s of audio "
            f"after Stop, {st.abandoned_decodes} in-flight decode abandoned)"
        )
        print(
            f"  end of speech -> exact final words:         {r['final_s']:.2f} s  "
            f"({st.final_windows} windows after Stop; {st.committed_windows} committed "
            f"while speaking)"
        )
        if r["lags"]:
            lags = r["lags"]
            print(
                f"  live display behind the voice: median {statistics.median(lags):.1f} s, "
                f"max {max(lags):.1f} s ({r['updates']} updates, "
                f"{st.display_decodes} display decodes)"
            )
        print(
            f"  baseline: batch pass after Stop {batch_s:.2f} s; ratio first/batch "
            f"{r['first_s'] / batch_s:.3f}, final/batch {r['final_s'] / batch_s:.3f}"
        )
        print(f"  final words equal the batch pass: {r['words'] == batch}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
