"""Gap-based filler detection: voiced sound between words that no recognised word covers.

Whisper tends to leave "um" and "uh" out of its text. A hesitation sound is voiced (it has a
pitch) and loud enough above the room's noise floor, so every stretch of such frames that
falls between recognised words, is long enough to be a hesitation and short enough not to
be a dropped sentence, is reported as a ``Word(kind="filler")`` with its times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from starcoach.rubric.model import Word
from starcoach.speech.audio import SAMPLE_RATE

HOP = 160  # 10 ms
FRAME = 640  # 40 ms
NFFT = 1024  # >= FRAME + MAX_LAG: no circular wrap in the autocorrelation
MIN_LAG = SAMPLE_RATE // 400  # pitch up to 400 Hz
MAX_LAG = SAMPLE_RATE // 70  # pitch down to 70 Hz


@dataclass(frozen=True)
class FillerOptions:
    """How a voiced gap must look to count as a filler."""

    min_duration_s: float = 0.18
    max_duration_s: float = 2.0
    word_margin_s: float = 0.08  # word times are approximate; keep clear of their edges
    min_level_db: float = -50.0  # absolute loudness floor (dB full scale)
    above_floor_db: float = 12.0  # loudness over the recording's noise floor
    min_periodicity: float = 0.6  # normalised autocorrelation peak in the pitch range
    bridge_s: float = 0.15  # unvoiced holes (consonants) shorter than this join voiced runs
    text: str = "um"


def frame_levels(audio: np.ndarray) -> np.ndarray:
    """Loudness (dB full scale) of each 10 ms hop's 40 ms frame, in O(n) time and memory."""
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    if audio.size < FRAME:
        return np.zeros(0, dtype=np.float32)
    n = 1 + (audio.size - FRAME) // HOP
    x = audio.astype(np.float64)
    c1 = np.concatenate([[0.0], np.cumsum(x)])
    c2 = np.concatenate([[0.0], np.cumsum(x * x)])
    starts = HOP * np.arange(n)
    total = c1[starts + FRAME] - c1[starts]
    total_sq = c2[starts + FRAME] - c2[starts]
    energy = np.maximum(total_sq / FRAME - (total / FRAME) ** 2, 0.0)
    return (10.0 * np.log10(energy + 1e-12)).astype(np.float32)


def periodicity(audio: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """Normalised autocorrelation peak in the pitch range for the given frame indices."""
    window = np.hanning(FRAME).astype(np.float32)
    wacf = np.fft.irfft(np.abs(np.fft.rfft(window, n=NFFT)) ** 2, n=NFFT)[: MAX_LAG + 1]
    wacf = wacf / wacf[0]
    out = np.zeros(frames.size, dtype=np.float32)
    for i in range(0, frames.size, 1024):  # bounded memory for long answers
        idx = frames[i : i + 1024]
        block = audio[idx[:, None] * HOP + np.arange(FRAME)[None, :]]
        block = block - block.mean(axis=1, keepdims=True)
        spectrum = np.fft.rfft(block * window[None, :], n=NFFT, axis=1)
        acf = np.fft.irfft(np.abs(spectrum) ** 2, n=NFFT, axis=1)[:, : MAX_LAG + 1]
        # Divide out the window's own autocorrelation (Boersma 1993): a clean vowel reads ~1.
        normalised = acf / np.maximum(acf[:, :1], 1e-12) / wacf[None, :]
        out[i : i + idx.size] = normalised[:, MIN_LAG:].max(axis=1)
    return out


def voiced_frames(
    audio: np.ndarray, options: FillerOptions | None = None, only: np.ndarray | None = None
) -> np.ndarray:
    """A boolean per 10 ms frame: loud and periodic (voiced). ``only`` limits the (costly)
    pitch analysis to frames where it is True; other frames read unvoiced."""
    o = options or FillerOptions()
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    level = frame_levels(audio)
    if level.size == 0:
        return np.zeros(0, dtype=bool)
    floor = float(np.percentile(level, 10))
    loud = (level > o.min_level_db) & (level > floor + o.above_floor_db)
    if only is not None:
        loud &= only[: loud.size]
    voiced = np.zeros_like(loud)
    candidates = np.flatnonzero(loud)
    voiced[candidates] = periodicity(audio, candidates) > o.min_periodicity
    return voiced


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) frame index pairs of each run of True."""
    if mask.size == 0:
        return []
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def detect_fillers(
    audio: np.ndarray, words: Sequence[Word], options: FillerOptions | None = None
) -> list[Word]:
    """Voiced stretches of ``audio`` (16 kHz mono) that fall outside every word in ``words``."""
    o = options or FillerOptions()
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    n_frames = 1 + (audio.size - FRAME) // HOP if audio.size >= FRAME else 0
    if n_frames == 0:
        return []
    frame_s = HOP / SAMPLE_RATE
    centre = (FRAME / 2) / SAMPLE_RATE
    covered = np.zeros(n_frames, dtype=bool)
    for w in words:
        a = max(0, int(np.floor((w.start - o.word_margin_s - centre) / frame_s)))
        b = min(n_frames, int(np.ceil((w.end + o.word_margin_s - centre) / frame_s)) + 1)
        if b > a:
            covered[a:b] = True
    # Only gaps between words can hold a filler, so only they get the pitch analysis.
    voiced = voiced_frames(audio, o, only=~covered)
    # Close short unvoiced holes (consonants) so one "uhhm" or one dropped phrase is one run.
    bridge = round(o.bridge_s / frame_s)
    for start, stop in _runs(~voiced):
        if start > 0 and stop < voiced.size and stop - start <= bridge:
            voiced[start:stop] = True
    fillers: list[Word] = []
    for start, stop in _runs(voiced):
        duration = (stop - start) * frame_s
        if o.min_duration_s <= duration <= o.max_duration_s:
            t0 = start * frame_s + centre
            fillers.append(Word(o.text, round(t0, 3), round(t0 + duration, 3), "filler"))
    return fillers


def merge_fillers(words: Sequence[Word], fillers: Sequence[Word]) -> list[Word]:
    """Words and fillers in one list ordered by start time."""
    return sorted([*words, *fillers], key=lambda w: (w.start, w.end))
