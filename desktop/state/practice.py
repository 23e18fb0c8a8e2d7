"""The attempt in progress: the question being answered, its history attempt, and whether
the microphone is open. The practice screen writes it as a recording starts, stops and is
judged; the menus, the Questions menu and the history controller read it."""

from __future__ import annotations

from dataclasses import dataclass

from starcoach.desktop.state.choice import Question
from starcoach.desktop.state.signal import Signal
from starcoach.rubric.model import Report


@dataclass(frozen=True)
class AttemptInProgress:
    question: Question
    attempt_id: int | None  # its history row (``None`` once it could not be kept)


class PracticeState:
    """``recording_changed(on)`` fires as the microphone opens and closes;
    ``answered(report, final)`` as each transcript of the attempt is judged (the quick one,
    then the exact one)."""

    def __init__(self) -> None:
        self.attempt: AttemptInProgress | None = None
        self.recording = False
        self.recording_changed = Signal()
        self.answered = Signal()

    def started(self, question: Question, attempt_id: int | None) -> None:
        self.attempt = AttemptInProgress(question, attempt_id)
        self._set_recording(True)

    def stopped(self) -> None:
        self._set_recording(False)

    def judged(self, report: Report, final: bool) -> None:
        self.answered.emit(report, final)

    def _set_recording(self, on: bool) -> None:
        self.recording = on
        self.recording_changed.emit(on)
