"""What lies in the voiced gaps between recognised words: filled pauses or unrecognised speech.

Whisper tends to leave "um" and "uh" out of its text, but it also drops words and whole
sentences, and its word times miss the edges of words. So a voiced stretch that no word
covers is evidence of *something* said, not of a hesitation. :func:`voiced_gaps` finds
those stretches (voiced: periodic and loud enough above the room's noise floor); the
transcriber first decodes them again to recover words (``transcribe.py``); what is left is
labelled by :func:`label_gaps`:

- a **filler** (``Word(kind="filler")``) only when it sounds like a vocalised hesitation:
  short (about 0.2–1 s), one syllable, steady pitch and a steady, vowel-like spectrum, set
  off by a pause on both sides (a filled *pause*, not the edge of a word);
- otherwise **unrecognised speech** (``Word(kind="unrecognised")``, text "…"), which is
  shown but never counts as a filler or towards pace. Tiny voiced slivers at a word's edge
  are that word's own sound and are dropped.
"""

from __future__ import annotations

import itertools
import re
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
FRAME_S = HOP / SAMPLE_RATE
CENTRE_S = (FRAME / 2) / SAMPLE_RATE
PAUSE_SEARCH_S = 0.12  # how far beside a sound a pause that sets it off is looked for
PAUSE_S = 0.06  # how long that pause must be
# Log-spaced bands (100 Hz – 4 kHz) for the spectral-change measure.
_BAND_EDGES = np.geomspace(100, 4000, 17)


# Fillers as Whisper writes them (normalised: lower case, no punctuation).
FILLER_TEXT = re.compile(r"u+h*m*|u+m+|e+r+m+|hm+|m+h?m+")
BESIDE_S = 0.5  # a filled pause this close to a written filler is that filler


@dataclass(frozen=True)
class FillerOptions:
    """How a voiced gap is found, and how it must look to count as a filled pause."""

    min_duration_s: float = 0.18  # shorter voiced stretches are never reported
    min_filler_s: float = 0.18  # a hesitation is held long enough to be heard as one ...
    max_duration_s: float = 1.0  # ... and is short
    word_margin_s: float = 0.08  # word times are approximate; keep clear of their edges
    min_level_db: float = -50.0  # absolute loudness floor (dB full scale)
    above_floor_db: float = 12.0  # loudness over the recording's noise floor
    min_periodicity: float = 0.6  # normalised autocorrelation peak in the pitch range
    bridge_s: float = 0.15  # unvoiced holes (consonants) shorter than this join voiced runs
    max_pitch_spread_st: float = 7.0  # 10th–90th percentile pitch range, semitones
    max_spectral_change_db: float = 1.6  # median band-level change per 10 ms, dB
    max_syllables: int = 1
    min_pauses: int = 2  # a filled pause sits in a pause: set off on both sides
    min_unrecognised_s: float = 0.3  # shorter leftovers are the edge of a neighbouring word
    min_redecode_s: float = 0.4  # shorter gaps are labelled without decoding them again
    text: str = "um"
    unrecognised_text: str = "…"


@dataclass(frozen=True)
class Gap:
    """A voiced stretch no word covers: frames ``[first, stop)`` and its times in seconds."""

    first: int
    stop: int

    @property
    def start(self) -> float:
        return self.first * FRAME_S + CENTRE_S

    @property
    def end(self) -> float:
        return self.stop * FRAME_S + CENTRE_S

    @property
    def duration(self) -> float:
        return (self.stop - self.first) * FRAME_S


@dataclass(frozen=True)
class GapSound:
    """Acoustic measures of one gap (see :func:`measure_gap`)."""

    duration_s: float
    pitch_spread_st: float
    spectral_change_db: float
    syllables: int
    pauses: int = 0  # sides (0–2) on which the sound drops into a pause


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


def _pitch_analysis(audio: np.ndarray, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(periodicity, pitch lag in samples) for the given frame indices."""
    window = np.hanning(FRAME).astype(np.float32)
    wacf = np.fft.irfft(np.abs(np.fft.rfft(window, n=NFFT)) ** 2, n=NFFT)[: MAX_LAG + 1]
    wacf = wacf / wacf[0]
    peak = np.zeros(frames.size, dtype=np.float32)
    lag = np.zeros(frames.size, dtype=np.int32)
    for i in range(0, frames.size, 1024):  # bounded memory for long answers
        idx = frames[i : i + 1024]
        block = audio[idx[:, None] * HOP + np.arange(FRAME)[None, :]]
        block = block - block.mean(axis=1, keepdims=True)
        spectrum = np.fft.rfft(block * window[None, :], n=NFFT, axis=1)
        acf = np.fft.irfft(np.abs(spectrum) ** 2, n=NFFT, axis=1)[:, : MAX_LAG + 1]
        # Divide out the window's own autocorrelation (Boersma 1993): a clean vowel reads ~1.
        normalised = acf / np.maximum(acf[:, :1], 1e-12) / wacf[None, :]
        peak[i : i + idx.size] = normalised[:, MIN_LAG:].max(axis=1)
        lag[i : i + idx.size] = MIN_LAG + normalised[:, MIN_LAG:].argmax(axis=1)
    return peak, lag


def periodicity(audio: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """Normalised autocorrelation peak in the pitch range for the given frame indices."""
    return _pitch_analysis(audio, frames)[0]


def loud_frames(audio: np.ndarray, options: FillerOptions | None = None) -> np.ndarray:
    """A boolean per 10 ms frame: loud enough, absolutely and over the recording's noise
    floor, to be voice. One pass over the whole recording: compute it once per transcript
    and hand it to :func:`voiced_gaps` and :func:`.folded.hidden_fillers`."""
    o = options or FillerOptions()
    level = frame_levels(audio)
    if level.size == 0:
        return np.zeros(0, dtype=bool)
    floor = float(np.percentile(level, 10))
    return (level > o.min_level_db) & (level > floor + o.above_floor_db)


def voiced_frames(
    audio: np.ndarray, options: FillerOptions | None = None, only: np.ndarray | None = None,
    loud: np.ndarray | None = None,
) -> np.ndarray:
    """A boolean per 10 ms frame: loud and periodic (voiced). ``only`` limits the (costly)
    pitch analysis to frames where it is True; other frames read unvoiced. ``loud`` is
    :func:`loud_frames` of ``audio``, if already known."""
    o = options or FillerOptions()
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    loud = (loud_frames(audio, o) if loud is None else loud).copy()
    if loud.size == 0:
        return loud
    if only is not None:
        loud &= only[: loud.size]
    voiced = np.zeros_like(loud)
    candidates = np.flatnonzero(loud)
    voiced[candidates] = periodicity(audio, candidates) > o.min_periodicity
    return voiced


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) frame index pairs of each run of True."""
    if mask.size == 0:
        return []
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def covered_frames(n_frames: int, words: Sequence[Word], margin_s: float) -> np.ndarray:
    """A boolean per frame: inside some word's span (widened by ``margin_s``)."""
    covered = np.zeros(n_frames, dtype=bool)
    for w in words:
        a = max(0, int(np.floor((w.start - margin_s - CENTRE_S) / FRAME_S)))
        b = min(n_frames, int(np.ceil((w.end + margin_s - CENTRE_S) / FRAME_S)) + 1)
        if b > a:
            covered[a:b] = True
    return covered


def voiced_gaps(
    audio: np.ndarray, words: Sequence[Word], options: FillerOptions | None = None,
    loud: np.ndarray | None = None,
) -> list[Gap]:
    """Voiced stretches of ``audio`` (16 kHz mono) at least ``min_duration_s`` long that no
    word in ``words`` covers, however long (a dropped sentence is one gap). ``loud``:
    :func:`loud_frames` of ``audio``, if already known."""
    o = options or FillerOptions()
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    n_frames = 1 + (audio.size - FRAME) // HOP if audio.size >= FRAME else 0
    if n_frames == 0:
        return []
    covered = covered_frames(n_frames, words, o.word_margin_s)
    # Only gaps between words can hold anything, so only they get the pitch analysis.
    voiced = voiced_frames(audio, o, only=~covered, loud=loud)
    # Close short unvoiced holes (consonants) so one "uhhm" or one dropped phrase is one
    # run, but never across a recognised word.
    bridge = round(o.bridge_s / FRAME_S)
    for start, stop in runs(~voiced):
        inside = start > 0 and stop < voiced.size and stop - start <= bridge
        if inside and not covered[start:stop].any():
            voiced[start:stop] = True
    min_frames = round(o.min_duration_s / FRAME_S)
    return [Gap(a, b) for a, b in runs(voiced) if b - a >= min_frames]


def measure_gap(audio: np.ndarray, gap: Gap) -> GapSound:
    """Duration, pitch steadiness, spectral steadiness and syllable count of a gap.

    Pitch spread is the 10th–90th percentile range of the frame pitches in semitones;
    spectral change is the mean frame-to-frame change of 16 log-spaced band levels (each
    frame's mean level removed, so loudness alone does not count), median over the gap, in
    dB per 10 ms; syllables are peaks of the loudness contour standing at least 6 dB above the
    dips either side; pauses are the sides on which the sound is set off by near-silence.
    """
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    frames = np.arange(gap.first, gap.stop)
    frames = frames[frames * HOP + FRAME <= audio.size]
    if frames.size < 2:
        return GapSound(gap.duration, 0.0, 0.0, 1)
    peak, lag = _pitch_analysis(audio, frames)
    spread = 0.0
    if (peak > 0.5).sum() >= 2:
        semis = 12.0 * np.log2(SAMPLE_RATE / lag[peak > 0.5])
        # octave errors of the lag pick are folded back towards the median pitch
        semis -= 12.0 * np.round((semis - np.median(semis)) / 12.0)
        spread = float(np.percentile(semis, 90) - np.percentile(semis, 10))
    block = audio[frames[:, None] * HOP + np.arange(FRAME)[None, :]]
    power = np.abs(np.fft.rfft(block * np.hanning(FRAME)[None, :], n=NFFT, axis=1)) ** 2
    freqs = np.fft.rfftfreq(NFFT, 1 / SAMPLE_RATE)
    bands = np.stack(
        [power[:, (freqs >= lo) & (freqs < hi)].sum(axis=1)
         for lo, hi in itertools.pairwise(_BAND_EDGES)],
        axis=1,
    )
    db = 10.0 * np.log10(bands + 1e-10)
    db -= db.mean(axis=1, keepdims=True)
    change = float(np.median(np.sqrt(((db[1:] - db[:-1]) ** 2).mean(axis=1))))
    level = frame_levels(audio[gap.first * HOP : (gap.stop - 1) * HOP + FRAME])
    return GapSound(gap.duration, spread, change, _syllables(level), _pauses(audio, gap, level))


def _pauses(audio: np.ndarray, gap: Gap, level: np.ndarray, dip_db: float = 25.0) -> int:
    """On how many sides the sound is set off by a pause: within ``PAUSE_SEARCH_S`` of its
    edge the loudness falls ``dip_db`` below its own median for at least ``PAUSE_S``."""
    if level.size == 0:
        return 0
    quiet = float(np.median(level)) - dip_db
    reach, need = round(PAUSE_SEARCH_S / FRAME_S), round(PAUSE_S / FRAME_S)
    sides = 0
    for a, b in ((gap.first - reach, gap.first), (gap.stop, gap.stop + reach)):
        a0, b0 = max(0, a), b
        if a < 0 or (b - 1) * HOP + FRAME > audio.size:  # the audio's own edge is a pause
            sides += 1
            continue
        around = frame_levels(audio[a0 * HOP : (b0 - 1) * HOP + FRAME])
        low = np.concatenate([[False], around < quiet, [False]])
        edges = np.flatnonzero(low[1:] != low[:-1])
        if edges.size and (edges[1::2] - edges[::2]).max() >= need:
            sides += 1
    return sides


def _syllables(level: np.ndarray, prominence_db: float = 6.0) -> int:
    """Count loudness peaks that stand ``prominence_db`` above the dips between them."""
    if level.size < 3:
        return 1
    padded = np.concatenate([np.repeat(level[:1], 2), level, np.repeat(level[-1:], 2)])
    smooth = np.convolve(padded, np.ones(5) / 5, mode="valid")
    count, low, high, rising = 0, smooth[0], smooth[0], True
    for x in smooth[1:]:
        if rising:
            high = max(high, x)
            if high - x >= prominence_db:  # a peak followed by a real dip
                count += 1
                rising, low = False, x
        else:
            low = min(low, x)
            if x - low >= prominence_db:
                rising, high = True, x
    if rising:
        count += 1  # the last peak needs no dip after it
    return max(1, count)


def is_filled_pause(sound: GapSound, options: FillerOptions | None = None) -> bool:
    """Whether a gap sounds like a vocalised hesitation rather than words."""
    o = options or FillerOptions()
    return (
        o.min_filler_s <= sound.duration_s <= o.max_duration_s
        and sound.syllables <= o.max_syllables
        and sound.pauses >= o.min_pauses
        and sound.pitch_spread_st <= o.max_pitch_spread_st
        and sound.spectral_change_db <= o.max_spectral_change_db
    )


def label_gaps(
    audio: np.ndarray, gaps: Sequence[Gap], options: FillerOptions | None = None
) -> list[Word]:
    """A filler or an unrecognised-speech span for each gap (slivers dropped)."""
    o = options or FillerOptions()
    out: list[Word] = []
    for gap in gaps:
        start, end = round(gap.start, 3), round(gap.end, 3)
        if is_filled_pause(measure_gap(audio, gap), o):
            out.append(Word(o.text, start, end, "filler"))
        elif gap.duration >= o.min_unrecognised_s:
            out.append(Word(o.unrecognised_text, start, end, "unrecognised"))
    return out


def gap_words(
    audio: np.ndarray, words: Sequence[Word], options: FillerOptions | None = None
) -> list[Word]:
    """Fillers and unrecognised spans for the voiced gaps between ``words``."""
    return apart_from_written(label_gaps(audio, voiced_gaps(audio, words, options), options),
                              words)


def normalise_filler(text: str) -> str:
    """A word as Whisper writes it ("Um,") as a filler is spelt ("um")."""
    return text.strip(" ,.?!").lower()


def is_written_filler(text: str) -> bool:
    """Whether a word as Whisper writes it ("Um,", "uh") is a filler."""
    return FILLER_TEXT.fullmatch(normalise_filler(text)) is not None


def apart_from_written(labels: Sequence[Word], words: Sequence[Word]) -> list[Word]:
    """``labels`` without the filled pauses lying within ``BESIDE_S`` of a filler in
    ``words``: such a gap is the sound of the filler Whisper wrote, which its aligner timed
    a little off (often squeezed into the next word's start), not a second filler."""
    written = [w for w in words if is_written_filler(w.text)]
    return [g for g in labels if g.kind != "filler" or not any(
        w.start < g.end + BESIDE_S and g.start < w.end + BESIDE_S for w in written)]


def detect_fillers(
    audio: np.ndarray, words: Sequence[Word], options: FillerOptions | None = None
) -> list[Word]:
    """Only the filled pauses among the voiced gaps between ``words``."""
    return [w for w in gap_words(audio, words, options) if w.kind == "filler"]


def merge_fillers(words: Sequence[Word], fillers: Sequence[Word]) -> list[Word]:
    """Words and gap words (fillers, unrecognised spans) in one list ordered by start,
    each ending no later than the next one starts: a transcript is a valid timed-words
    file (``starcoach analyze words.json`` refuses overlapping words)."""
    merged = sorted([*words, *fillers], key=lambda w: (w.start, w.end))
    out: list[Word] = []
    for k, w in enumerate(merged):
        nxt = merged[k + 1].start if k + 1 < len(merged) else w.end
        end = max(w.start, min(w.end, nxt))
        out.append(w if end == w.end else Word(w.text, w.start, end, w.kind))
    return out


def gap_words_in(source: np.ndarray, words: Sequence[Word], begin: float, upto: float,
                 options: FillerOptions, context_s: float) -> list[Word]:
    """Fillers and unrecognised spans of ``source`` (16 kHz) starting in ``[begin, upto)``
    seconds, read with ``context_s`` of audio before it for the room's noise floor."""
    if upto <= begin:
        return []
    context = max(0.0, begin - context_s)
    a, b = round(context * SAMPLE_RATE), round(upto * SAMPLE_RATE)
    local = [Word(w.text, w.start - context, w.end - context, w.kind)
             for w in words if w.end >= context and w.start <= upto]
    found = gap_words(source[a:b], local, options)
    return [Word(f.text, round(f.start + context, 3), round(f.end + context, 3), f.kind)
            for f in found if begin <= f.start + context < upto]
