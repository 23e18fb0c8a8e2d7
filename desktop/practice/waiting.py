"""What the person reads while a transcription runs: one line and a percentage per stage.

Qt-free. A :class:`JobProgress` is what a job reports (its stage, a fraction that never goes
back, and the audio seconds behind it); :func:`progress_text` says it in words, so the wait
after Stop shows something moving and how much is left instead of a still "Preparing…".
"""

from __future__ import annotations

from dataclasses import dataclass

from starcoach.rubric.clock import clock

# Stages, as jobs report them: the quick review after Stop, the exact words after it, a kept
# recording transcribed again, a follow-up reply being heard.
QUICK, EXACT, RECORDING, REPLY = "quick", "exact", "recording", "reply"


@dataclass(frozen=True)
class JobProgress:
    """How far one stage of a job has got; ``fraction`` is in [0, 1], 1 when done."""

    stage: str
    fraction: float
    done_s: float = 0.0  # audio decoded so far (seconds)
    total_s: float = 0.0  # audio the stage covers

    @property
    def percent(self) -> int:
        return max(0, min(100, int(self.fraction * 100 + 1e-9)))


def progress_text(p: JobProgress) -> str:
    """``Transcribing the last 12 s… 60%``, ``Exact words: 1:10 of 2:45``, ..."""
    if p.stage == QUICK:
        if p.total_s >= 1:
            return f"Transcribing the last {round(p.total_s)} s… {p.percent}%"
        return f"Preparing your review… {p.percent}%"
    if p.stage == EXACT:
        if p.fraction >= 1:
            return "Exact words ready."
        return f"Exact words: {clock(p.done_s)} of {clock(p.total_s)}"
    if p.stage == RECORDING:
        return (f"Transcribing the recording: {clock(p.done_s)} of "
                f"{clock(p.total_s)}")
    if p.stage == REPLY:
        return f"Transcribing your reply… {p.percent}%"
    return f"Working… {p.percent}%"


def waiting_text(position: int) -> str:
    """The line while an answer's transcription waits its turn behind ``position`` others
    (one transcription at a time: the one before it finishes first)."""
    if position <= 0:
        return "Finishing the transcript…"
    return ("Your answer is saved. Its review starts once the transcription before it "
            "(the last answer's exact words) is done…")


def queued_while_recording_text() -> str:
    return ("Recording. Live words start once the last answer's exact words are in; press "
            "Space when you are done.")
