"""espeak-ng speech as 16 kHz mono float32: the one synthesizer the tests, the end-to-end
answers and the benchmarks share (``tests/speech/conftest.py``, ``tests/e2e/conftest.py``,
``benchmarks/speech_common.py``)."""

from __future__ import annotations

import subprocess
import tempfile

import numpy as np


def espeak(text: str, *, voice: str = "en-us", speed: int = 165,
           trim: float | None = None) -> np.ndarray:
    """``text`` spoken by espeak-ng; with ``trim``, the silence at its edges (samples
    quieter than ``trim``) cut away."""
    from starcoach.speech.audio import decode_audio

    wav = subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text],
                         check=True, capture_output=True).stdout
    with tempfile.NamedTemporaryFile(suffix=".wav") as f:
        f.write(wav)
        f.flush()
        audio = decode_audio(f.name)
    if trim is None:
        return audio
    loud = np.flatnonzero(np.abs(audio) > trim)
    return audio[loud[0] : loud[-1] + 1].copy() if loud.size else audio
