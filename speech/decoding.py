"""What the Whisper decoding loop is configured with and hands out: its options, the
transcript and timed words it returns, its constants, and the cancellation it honours.
Shared by the session (:mod:`.decode_session`), its gap passes and the batch and live
transcribers, so none of them has to import another to name these."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from starcoach.rubric.model import Word
from starcoach.speech.fillers import FillerOptions
from starcoach.speech.vad import VadOptions

# Short and disfluent on purpose: it nudges Whisper to write "um"/"uh" instead of dropping
# them. It conditions only the re-decoding of gaps: as the prompt of the main pass it made
# tiny.en decode whole 30 s windows without timestamps and skip sentences in them.
FILLER_PROMPT = "Um, so, uh, I, like, you know, handled it."

# How much of the committed text follows the filler prompt in the prompted pass.
FILLER_PASS_CONTEXT_TOKENS = 120
# Gaps decoded again: this much audio either side, and this many words before as prompt.
RECOVER_CONTEXT_S = 1.0
MIN_WORD_S = 0.08  # a word cut back around a filler keeps at least this much
FILLER_GUESS_S = 0.3  # how long a written filler is taken to last where nothing says
RECOVER_PROMPT_WORDS = 24
# No spoken word lasts STRETCHED_WORD_S of speech (tiny.en's longest on the dev set: 1.4 s):
# the aligner stretched the last word it had text for over speech the decoder dropped (dev-set
# o28: "exceptions" over 6.5 s; o07: "the" over 2.2 s of a clause). Such a word keeps its
# first KEPT_OF_STRETCHED_S (about a median word), so the rest is a voiced gap that the gap
# pass decodes again; a word decoded there again at the same place is a repeat, not added.
STRETCHED_WORD_S = 2.0
KEPT_OF_STRETCHED_S = 0.4

# A display piece is encoded at its own length (ENCODE_PAD_FRAMES of silence after it, rounded
# up to ENCODE_STEP_FRAMES, at least ENCODE_MIN_FRAMES), not as a full 30 s window: tiny.en's
# encoder takes 0.76 s for 3000 frames and 0.09 s for 1000 on one AVX2 thread, and on dev-set
# 8 s pieces its words were no worse (WER 0.322, full windows 0.352; five answers). Committed
# windows stay full, read as bare faster-whisper reads them.
ENCODE_PAD_FRAMES = 200
ENCODE_STEP_FRAMES = 500
ENCODE_MIN_FRAMES = 1000

HOP = 160
N_FRAMES = 3000  # one 30 s window, in 10 ms frames
N_SAMPLES = N_FRAMES * HOP
LOOKAHEAD_FRAMES = 3  # a window's last spectrogram frames read this far past it
END_PADDING = 160  # faster-whisper pads a file's end with this many zeros


@dataclass(frozen=True)
class TranscribeOptions:
    """Decoding settings. Defaults are faster-whisper's, plus VAD and the gap pass."""

    beam_size: int = 5
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    initial_prompt: str | None = None
    recover_prompt: str | None = FILLER_PROMPT  # leads the prompt of the filler pass and gaps
    filler_pass: bool = True  # each window decoded again, prompted, for the fillers it writes
    condition_on_previous_text: bool = True
    compression_ratio_threshold: float | None = 2.4
    log_prob_threshold: float | None = -1.0
    no_speech_threshold: float | None = 0.6
    max_new_tokens: int | None = None  # per window; benchmarks cap it
    vad: bool = True
    vad_options: VadOptions = field(default_factory=VadOptions)
    fillers: bool = True  # label the voiced gaps between words (fillers, unrecognised)
    recover_gaps: bool = True  # ... after decoding each of them again for words
    filler_options: FillerOptions = field(default_factory=FillerOptions)


@dataclass(frozen=True)
class Transcript:
    """Timed words (fillers included, in time order) and the audio's duration in seconds."""

    words: list[Word]
    duration: float


class DecodeCancelled(Exception):
    """A decode was abandoned between model calls because its ``cancel()`` said so."""


Cancel = Callable[[], bool] | None
Progress = Callable[[float, float], None] | None  # (done_s, total_s) of a pass


@dataclass(frozen=True)
class TimedWord:
    """A decoded word in source time, with its span on the speech timeline (seconds) as the
    aligner gave it: ``tl_end`` is how far the decode reached even where ``word`` was cut
    back (:func:`unstretched`), so a word stretched to the live edge stays unsettled on the
    display and is decoded again with more audio."""

    word: Word
    tl_start: float
    tl_end: float


def unstretched(start: float, end: float) -> tuple[float, float]:
    """A decoded word's timeline span, cut back to its first :data:`KEPT_OF_STRETCHED_S`
    when it is longer than any spoken word (:data:`STRETCHED_WORD_S`)."""
    end = max(end, start)
    return (start, start + KEPT_OF_STRETCHED_S) if end - start > STRETCHED_WORD_S else (start, end)


def encoder_frames(frames: int) -> int:
    """Spectrogram frames a display piece of ``frames`` is encoded as (see above)."""
    padded = math.ceil((frames + ENCODE_PAD_FRAMES) / ENCODE_STEP_FRAMES) * ENCODE_STEP_FRAMES
    return min(N_FRAMES, max(ENCODE_MIN_FRAMES, padded))


@dataclass(frozen=True)
class Provisional:
    """Words decoded greedily for ``[start, end)`` (timeline frames), not committed."""

    words: list[TimedWord]
    start: int
    end: int


class WordRecogniser(Protocol):
    """Anything that turns 16 kHz mono audio into timed words (the model, or a test double)."""

    def recognise(self, audio: np.ndarray) -> list[Word]: ...
