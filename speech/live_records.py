"""What live transcription hands out: updates while speaking, progress and the two-stage
result after Stop, and the work counters benchmarks and tests read (``speech/live.py``)."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

from starcoach.rubric.model import Word
from starcoach.speech.decoding import Transcript


@dataclass(frozen=True)
class LiveUpdate:
    """What the GUI shows while recording, and the transcripts after Stop."""

    words: list[Word]  # committed words then provisional ones, in time order
    committed: int  # how many of ``words`` are committed model words (and fillers among them)
    heard_s: float  # how much of the audio the words are based on (seconds from the start)
    complete: bool = False  # covers the whole answer (published after Stop)
    final: bool = False  # the exact words, equal to a batch pass (implies ``complete``)


@dataclass(frozen=True)
class LiveProgress:
    """How far a stage after Stop has got: ``fraction`` never decreases and ends at 1.0."""

    stage: str  # "first" (the quick transcript) or "final" (the exact words)
    fraction: float
    done_s: float  # audio of the stage done so far (first: of its tail; final: of the answer)
    total_s: float


FIRST_STEPS = 4  # encoder, decoder, word timing, fillers: the quick transcript's model calls
MAIN_SHARE = 0.9  # of the exact stage, the windows; the rest re-decodes gaps between words


@dataclass(frozen=True)
class LiveResult:
    """What ``stop()`` returns: a complete transcript now, the exact one when it is done."""

    first: Transcript  # committed words + a quick greedy decode of the tail: provisional
    final: Future[Transcript]  # equal to a batch pass over the same audio


@dataclass
class LiveStats:
    """Work done, for benchmarks and tests (seconds are on the speech timeline)."""

    committed_windows: int = 0  # 30 s windows committed while the person spoke
    display_decodes: int = 0
    displayed_s: float = 0.0  # audio received when the latest display update began
    abandoned_decodes: int = 0  # decodes in flight at Stop, given up at their next model call
    stop_decodes: int = 0  # decodes between Stop and the first transcript
    stop_decoded_s: float = 0.0  # audio those decodes read
    stop_reused: int = 0  # first transcripts that kept the last display piece (speech over)
    redecoded_windows: int = 0  # windows decoded again while speaking (a louder moment)
    final_windows: int = 0  # windows decoded after the first transcript for the exact words
