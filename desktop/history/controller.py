"""Wiring between the history store and the screens: opening a kept attempt in the review
(with its recording), saving split corrections back, transcribing a recording that has no
transcript, and recovering interrupted recordings when the window first shows.

The main window owns one ``HistoryController``; the store work that can take time
(recovering, transcribing) runs on workers and reports back on the GUI thread. Transcribing
is a job of its attempt in the shared transcription runner, and deleting an attempt cancels
every job it owns (its live decode, exact words, re-transcription, follow-up replies).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from starcoach.desktop.errors import log
from starcoach.desktop.practice.runner import TranscriptionJob
from starcoach.desktop.practice.waiting import RECORDING
from starcoach.desktop.practice.workers import Job, start_job


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

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.jobs: dict[str, Job] = {}
        self.transcription: TranscriptionJob | None = None
        self.last_message: QMessageBox | None = None
        self.transcribing: int | None = None
        window.review.reportChanged.connect(self.save_correction)
        window.history.deleting.connect(self.cancel_work)

    def cancel_work(self, attempt_id: int) -> list[TranscriptionJob]:
        """The attempt is being deleted: cancel every transcription it owns, so none runs on
        or writes to the store afterwards."""
        jobs = self.window.practice.runner.cancel_attempt(attempt_id)
        session = self.window.practice.session
        if session is not None and session.attempt_id == attempt_id:
            session.cancel(deleted=True)
        if jobs:
            log.info("attempt %s deleted: cancelled %d transcription job(s)", attempt_id,
                     len(jobs))
        return jobs

    @property
    def store(self) -> Any:
        return self.window.practice.store

    # ----------------------------------------------------------------- open
    def open_attempt(self, attempt_id: int) -> bool:
        """Show a stored attempt in the review: its report as stored, its marks, its audio."""
        from starcoach.desktop.history.records import AttemptNotFound
        from starcoach.rubric.serial import report_from_json

        w = self.window
        from starcoach.desktop.history.records import HistoryError

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
        s = attempt.summary
        if s.question:
            w.chooser.select(s.question, s.level, s.lens)
        q = w.chooser.catalogue.questions.get(s.question or "")
        w.review.marks = list(attempt.marks)
        w.review.set_report(report, question_text=q.text if q else "", keep_marks=True)
        w.review.set_audio(self.store.audio_file(attempt_id), attempt_id)
        w.drills.show_stored(list(attempt.followups))
        w.show_review()
        self.attemptOpened.emit(attempt_id)
        return True

    def save_correction(self, report: Any) -> None:
        """The person corrected the split of a kept attempt: keep the marks and new report."""
        attempt_id = self.window.review.attempt_id
        if attempt_id is None:
            return
        try:
            self.store.finish_attempt(attempt_id, report.words, report,
                                      self.window.review.marks)
        except Exception:  # the review still shows it; the next correction retries
            log.exception("could not save the corrected split of attempt %s", attempt_id)

    # ----------------------------------------------------------------- transcribe
    def transcribe(self, attempt_id: int) -> bool:
        """Transcribe a kept recording that has no transcript, then open it."""
        practice = self.window.practice
        if self.transcribing is not None:
            return False
        if practice.recording:
            self.problem.emit("Recording in progress",
                              "Finish the answer you are recording first.")
            return False
        transcriber = self.window.ready_transcriber()
        if transcriber is None:
            return False
        from starcoach.desktop.history.recovered import transcribe_attempt

        store, model, catalogue = self.store, practice.model_name, self.window.chooser.catalogue
        self.transcribing = attempt_id

        def work(job: TranscriptionJob) -> Any:
            return transcribe_attempt(store, attempt_id, transcriber, model,
                                      cancel=job.is_cancelled, catalogue=catalogue,
                                      progress=lambda done, total: job.report(
                                          RECORDING, done / total if total else 0.0,
                                          done, total))

        self.window.statusBar().showMessage("Transcribing the recording…")
        job = TranscriptionJob(RECORDING, attempt_id, work, parent=self)
        job.done.connect(lambda _report: self._transcribed(attempt_id))
        job.failed.connect(self._transcribe_failed)
        job.cancelled.connect(self._transcribe_cancelled)
        self.transcription = practice.runner.submit(job)
        return True

    def _transcribe_cancelled(self) -> None:
        self.transcribing = None
        self.window.statusBar().clearMessage()

    def _transcribed(self, attempt_id: int) -> None:
        self.transcribing = None
        self.window.statusBar().showMessage("Transcribed.", 5000)
        self.window.history.refresh(attempt_id)
        self.transcribed.emit(attempt_id)
        self.open_attempt(attempt_id)

    def _transcribe_failed(self, exc: BaseException) -> None:
        self.transcribing = None
        self.window.statusBar().clearMessage()
        from starcoach.desktop.history.records import HistoryError
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
        from starcoach.desktop.history.records import HistoryError

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
        self.window.history.refresh()
        self.recovered.emit(list(ids))
        n = len(ids)
        box = QMessageBox(QMessageBox.Icon.Information, "Recording recovered",
                          ("StarCoach stopped while you were answering. "
                           + ("Your recording was kept" if n == 1 else
                              f"{n} recordings were kept")
                           + " up to the moment it stopped. Open it in History to transcribe "
                           "and review it."),
                          QMessageBox.StandardButton.NoButton, self._parent_widget())
        show = box.addButton("Open History", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.setObjectName("recovered")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def done() -> None:
            if box.clickedButton() is show:
                self.window.show_history(ids[0])

        box.finished.connect(lambda _r: done())
        self.last_message = box
        box.open()

    def _recover_failed(self, exc: BaseException) -> None:
        log.error("could not recover interrupted recordings: %s", exc)

    def _parent_widget(self) -> QWidget | None:
        return self.window if isinstance(self.window, QWidget) else None


def _sentence(text: str) -> str:
    """A one-line error message as a sentence: capitalised, ending in a full stop."""
    text = " ".join(text.split())
    if not text:
        return "It could not be transcribed."
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
