"""Wiring between the history store and the screens: opening a kept attempt in the review
(with its recording), saving split corrections back, transcribing a recording that has no
transcript, and recovering interrupted recordings when the window first shows.

The main window owns one ``HistoryController`` and hands it what it works on: the app
state (the choice, the answer under review, the attempt in progress, the store), the review
and history views, the transcription runner, the speech model and the pages. The store
work that can take time (recovering, transcribing) runs on workers and reports back on the
GUI thread. Transcribing is a job of its attempt in the shared transcription runner, and
deleting an attempt cancels every job it owns (its live decode, exact words,
re-transcription, follow-up replies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget
from starcoach.desktop.errors import MessageBox, log
from starcoach.desktop.jobs import Job, start_job
from starcoach.desktop.practice.runner import TranscriptionJob, TranscriptionRunner
from starcoach.desktop.practice.waiting import RECORDING
from starcoach.desktop.shell import Pages, SpeechModel
from starcoach.desktop.state.app import AppState

if TYPE_CHECKING:
    from starcoach.desktop.history.view import HistoryView
    from starcoach.desktop.review.screen import ReviewScreen


def history_unavailable(exc: BaseException) -> str:
    """The sentence shown when the history cannot be opened at all."""
    from starcoach.rubric.safety import one_line

    return (f"Your attempt history cannot be opened: {one_line(str(exc), 600)}. Nothing in "
            "it was changed; attempts are not kept until this is fixed.")


class HistoryController(QObject):
    attemptOpened = Signal(int)  # shown in the review
    transcribed = Signal(int)  # a recording became an analysed attempt
    recovered = Signal(list)  # ids of recordings recovered at start
    problem = Signal(str, str)  # title, one line
    followupsOpened = Signal(list)  # the stored follow-ups of the attempt just opened

    def __init__(self, parent: QWidget, state: AppState, *, review: ReviewScreen,
                 history: HistoryView, runner: TranscriptionRunner, speech: SpeechModel,
                 pages: Pages, status: QStatusBar) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.state = state
        self.review, self.history, self.runner = review, history, runner
        self.speech, self.pages, self.status = speech, pages, status
        self.jobs: dict[str, Job] = {}
        self.transcription: TranscriptionJob | None = None
        self.last_message: QMessageBox | None = None
        self.transcribing: int | None = None
        state.review.corrected.connect(self.save_correction)
        history.deleting.connect(self.cancel_work)

    def cancel_work(self, attempt_id: int) -> list[TranscriptionJob]:
        """The attempt is being deleted: cancel every transcription it owns, so none runs on
        or writes to the store afterwards (the practice screen drops its own session)."""
        jobs = self.runner.cancel_attempt(attempt_id)
        if jobs:
            log.info("attempt %s deleted: cancelled %d transcription job(s)", attempt_id,
                     len(jobs))
        return jobs

    @property
    def store(self) -> Any:
        return self.state.store

    # ----------------------------------------------------------------- open
    def open_attempt(self, attempt_id: int) -> bool:
        """Show a stored attempt in the review: its report as stored, its marks, its audio."""
        from starcoach.desktop.attempts.records import AttemptNotFound, HistoryError
        from starcoach.rubric.serial import report_from_json

        try:
            attempt = self.store.get(attempt_id)
            report = report_from_json(attempt.report) if attempt.report else None
        except (AttemptNotFound, HistoryError) as exc:
            self.problem.emit("Cannot open this attempt", str(exc))
            return False
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            log.warning("attempt %s: the stored report is damaged: %r", attempt_id, exc)
            self.problem.emit("Cannot open this attempt",
                              "This attempt's stored review is damaged, so it cannot be "
                              "shown. Its recording is kept.")
            return False
        if report is None:
            return self.transcribe(attempt_id)
        s, choice = attempt.summary, self.state.choice
        if s.question:
            choice.select(s.question, s.level, s.lens)
        q = choice.catalogue.questions.get(s.question or "")
        self.state.review.marks = list(attempt.marks)
        self.review.set_report(report, question_text=q.text if q else "", keep_marks=True)
        self.review.set_audio(self.store.audio_file(attempt_id), attempt_id)
        self.followupsOpened.emit(list(attempt.followups))
        self.pages.show_review()
        self.attemptOpened.emit(attempt_id)
        return True

    def save_correction(self, report: Any) -> None:
        """The person corrected the split of a kept attempt: keep the marks and new report."""
        shown = self.state.review
        attempt_id = shown.attempt_id
        if attempt_id is None:
            return
        try:
            self.store.finish_attempt(attempt_id, report.words, report, shown.marks)
        except Exception:  # the review still shows it; the next correction retries
            log.exception("could not save the corrected split of attempt %s", attempt_id)

    # ----------------------------------------------------------------- transcribe
    def transcribe(self, attempt_id: int) -> bool:
        """Transcribe a kept recording that has no transcript, then open it."""
        if self.transcribing is not None:
            return False
        if self.state.practice.recording:
            self.problem.emit("Recording in progress",
                              "Finish the answer you are recording first.")
            return False
        transcriber = self.speech.ready_transcriber()
        if transcriber is None:
            return False
        from starcoach.desktop.attempts.recovered import transcribe_attempt

        store, model, catalogue = self.store, self.speech.model_name, self.state.catalogue
        self.transcribing = attempt_id

        def work(job: TranscriptionJob) -> Any:
            return transcribe_attempt(store, attempt_id, transcriber, model,
                                      cancel=job.is_cancelled, catalogue=catalogue,
                                      progress=lambda done, total: job.report(
                                          RECORDING, done / total if total else 0.0,
                                          done, total))

        self.status.showMessage("Transcribing the recording…")
        job = TranscriptionJob(RECORDING, attempt_id, work, parent=self)
        job.done.connect(lambda _report: self._transcribed(attempt_id))
        job.failed.connect(self._transcribe_failed)
        job.cancelled.connect(self._transcribe_cancelled)
        self.transcription = self.runner.submit(job)
        return True

    def _transcribe_cancelled(self) -> None:
        self.transcribing = None
        self.status.clearMessage()

    def _transcribed(self, attempt_id: int) -> None:
        self.transcribing = None
        self.status.showMessage("Transcribed.", 5000)
        self.history.refresh(attempt_id)
        self.transcribed.emit(attempt_id)
        self.open_attempt(attempt_id)

    def _transcribe_failed(self, exc: BaseException) -> None:
        self.transcribing = None
        self.status.clearMessage()
        from starcoach.desktop.attempts.records import HistoryError
        from starcoach.speech.errors import SpeechError

        if not isinstance(exc, SpeechError | HistoryError):
            raise exc  # the friendly error dialog, with details
        log.info("could not transcribe a kept recording: %s", exc)
        plain = getattr(exc, "plain", "") or _sentence(str(exc))
        self.problem.emit("Cannot transcribe this recording", f"{plain} The recording is kept.")

    # ----------------------------------------------------------------- start-up
    def recover_on_start(self) -> None:
        """Mark recordings a crash interrupted as recovered (on a worker: their durations are
        read from the audio), then tell the person; a database that had to be set aside is
        reported too."""
        from starcoach.desktop.attempts.records import HistoryError

        try:
            store = self.store
        except HistoryError as exc:  # refused, left untouched: say so plainly
            self.problem.emit("History unavailable", history_unavailable(exc))
            return
        if store.notice:
            self.problem.emit("History set aside", store.notice)
        self.jobs["recover"] = start_job(store.recover, "recover-attempts", self,
                                         self._recovered, self._recover_failed)

    def _recovered(self, ids: list[int]) -> None:
        if not ids:
            return
        log.info("recovered interrupted recordings: %s", ids)
        self.history.refresh()
        self.recovered.emit(list(ids))
        n = len(ids)
        box = MessageBox(QMessageBox.Icon.Information, "Recording recovered",
                          ("StarCoach stopped while you were answering. "
                           + ("Your recording was kept" if n == 1 else
                              f"{n} recordings were kept")
                           + " up to the moment it stopped. Open it in History to transcribe "
                           "and review it."),
                          QMessageBox.StandardButton.NoButton, self.parent_widget)
        show = box.addButton("Open History", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.setObjectName("recovered")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def done() -> None:
            if box.clickedButton() is show:
                self.pages.show_history(ids[0])

        box.finished.connect(lambda _r: done())
        self.last_message = box
        box.open()

    def _recover_failed(self, exc: BaseException) -> None:
        log.error("could not recover interrupted recordings: %s", exc)


def _sentence(text: str) -> str:
    """A one-line error message as a sentence: capitalised, ending in a full stop."""
    text = " ".join(text.split())
    if not text:
        return "It could not be transcribed."
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
