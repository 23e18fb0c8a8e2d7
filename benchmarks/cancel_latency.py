"""How long a cancelled transcription takes to stop: cancel → ``DecodeCancelled``.

    python benchmarks/cancel_latency.py [--seconds 60] [--runs 5] [--threads 2]

A 60 s espeak-ng answer is transcribed with the real tiny.en; a timer thread cancels it at
a random moment of its main pass, and the time until the call returns is taken. Baseline, in
the same run: the same with the decoder calls not polled (the cancel is only read between
model calls, as before ``speech/interrupt.py``). Printed: median and worst of each, and the
ratio of the medians.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time

from speech_common import answer_wav, real_tiny_en
from starcoach.speech import interrupt
from starcoach.speech.audio import decode_audio
from starcoach.speech.decoding import DecodeCancelled
from starcoach.speech.transcribe import Transcriber


def one(transcriber: Transcriber, audio, after_s: float, polled: bool) -> float:
    flag = threading.Event()
    asked = [0.0]

    def fire() -> None:
        asked[0] = time.perf_counter()
        flag.set()

    timer = threading.Timer(after_s, fire)
    timer.start()
    try:
        if polled:
            transcriber.transcribe(audio, cancel=flag.is_set)
        else:  # read between model calls only: no aborting() around the decoder calls
            session = transcriber.session()
            session.feed(audio)
            session.finish()
            session.run(flag.is_set)
        timer.cancel()
        return float("nan")  # finished before the cancel came
    except DecodeCancelled:
        return time.perf_counter() - asked[0]
    finally:
        interrupt.wait_abandoned()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    transcriber = Transcriber(real_tiny_en(), cpu_threads=args.threads)
    audio = decode_audio(answer_wav(args.seconds))
    session = transcriber.session()
    session.feed(audio)
    session.finish()
    start = time.perf_counter()
    session.run()  # the main pass, where both ways are cancelled
    full = time.perf_counter() - start
    rng = random.Random(7)
    moments = [rng.uniform(0.3, 0.8) * full for _ in range(args.runs)]
    polled, between = [], []
    for t in moments:  # paired: the same moment for both ways
        between.append(one(transcriber, audio, t, polled=False))
        polled.append(one(transcriber, audio, t, polled=True))
    polled = [x for x in polled if x == x]
    between = [x for x in between if x == x]
    print(f"main pass over {args.seconds:.0f} s: {full:.2f} s; cancelled at "
          f"{len(moments)} random moments of it")
    print(f"cancel → stopped, decoder calls polled:      median {statistics.median(polled):.3f} s,"
          f" worst {max(polled):.3f} s")
    print(f"cancel → stopped, between model calls only: median {statistics.median(between):.3f} s"
          f", worst {max(between):.3f} s (baseline)")
    print(f"ratio of medians (polled / baseline): "
          f"{statistics.median(polled) / statistics.median(between):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
