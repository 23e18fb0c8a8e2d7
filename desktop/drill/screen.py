"""The follow-up drill: after a main answer the interviewer asks follow-ups one at a time.

Each probe is shown large (and read aloud where the system can), Space starts and stops the
spoken reply (elapsed time and a level meter while speaking), and the reply comes back with
the words heard, the weak-making words marked, "Strong reply" / "Weak reply" and why, and
on request a weak and a strong example. N goes to the next probe (or skips this one), F
finishes, and the summary says how the main rating moved. Escape returns to the review.
Every reply is saved to history as soon as it is judged.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget
from starcoach.desktop.drill.page import ProbePage
from starcoach.desktop.drill.progress import DrillProgress, Outcome
from starcoach.desktop.drill.session import Reply, ReplySession
from starcoach.desktop.drill.summary import DrillSummary
from starcoach.desktop.errors import log
from starcoach.desktop.practice import faults
from starcoach.rubric.clock import clock
from starcoach.rubric.model import Report
from starcoach.rubric.pack_schema import Catalogue
from starcoach.rubric.packs import builtin_catalogue
from starcoach.speech import tts

NO_SPEECH = "No speech heard; try again (Space)."


class DrillScreen(QWidget):
    finished = Signal(object)  # the main answer's scores after the follow-ups (rescore)
    backRequested = Signal()
    replyJudged = Signal(object)  # Outcome: a reply was heard and judged
    replyFinished = Signal(object)  # Outcome: any reply done (judged, unheard or failed)
    recordingChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, settings: Any = None,
                 stream_factory: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Follow-up questions")
        self.settings = settings
        self.stream_factory = stream_factory
        self.progress: DrillProgress | None = None
        self.session: ReplySession | None = None
        self.transcriber: Any = None
        self.read_aloud = False
        self.speech: tts.Speech | None = None
        self.scores: dict | None = None
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._tick)

    def _build(self) -> None:
        self.stack = QStackedWidget(self)
        page = ProbePage(self.stack)
        self.drill_page = page
        self.back_button, self.counter = page.back_button, page.counter
        self.finish_button, self.probe, self.elapsed = page.finish_button, page.probe, page.elapsed
        self.meter, self.record_button = page.meter, page.record_button
        self.repeat_button, self.status = page.repeat_button, page.status
        self.panel, self.next_button = page.panel, page.next_button
        self.back_button.clicked.connect(self.back)
        self.finish_button.clicked.connect(self.finish)
        self.record_button.clicked.connect(self.toggle)
        self.repeat_button.clicked.connect(self.read_probe)
        self.next_button.clicked.connect(self.next_probe)
        self.summary = DrillSummary(self.stack)
        self.summary.backRequested.connect(self.back)
        self.stack.addWidget(page)
        self.stack.addWidget(self.summary)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.toggle_action = self._action("Start / Stop Reply", Qt.Key.Key_Space, self.toggle)
        self.next_action = self._action("Next Follow-up", Qt.Key.Key_N, self.next_probe)
        self.finish_action = self._action("Finish Follow-ups", Qt.Key.Key_F, self.finish)
        self.repeat_action = self._action("Read the Question Again", Qt.Key.Key_R,
                                          self.read_probe)
        self.back_action = self._action("Back to the Review", Qt.Key.Key_Escape, self.back)

    def _action(self, text: str, key: Qt.Key, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # ----------------------------------------------------------------- the drill
    def start(self, attempt_id: int | None, main_report: Report, question_id: str | None,
              level: str | None = None, lens: str | None = None, transcriber: Any = None,
              store: Any = None, read_aloud: bool = True, *,
              catalogue: Catalogue | None = None) -> None:
        """Begin the follow-ups of ``main_report`` (its question's probes, in pack order).
        ``attempt_id=None`` (an answer opened from a file): replies are not stored.
        ``level`` defaults to the report's; ``transcriber`` is the practice screen's."""
        self._retire()
        cat = catalogue or builtin_catalogue()
        question = cat.questions.get(question_id or "")
        followups = question.followups if question is not None else ()
        self.progress = DrillProgress(main_report, question_id or "", followups,
                                      level=level or main_report.level, lens=lens,
                                      attempt_id=attempt_id, store=store, catalogue=catalogue)
        self.transcriber, self.read_aloud, self.scores = transcriber, read_aloud, None
        self.repeat_button.setVisible(read_aloud)
        self.repeat_action.setEnabled(read_aloud)
        self.stack.setCurrentWidget(self.drill_page)
        self.show_probe()

    @property
    def recording(self) -> bool:
        return self.session is not None and self.session.recording

    @property
    def busy(self) -> bool:
        """Recording or finishing a reply: the probe cannot change now."""
        return self.recording or (self.session is not None and self.session.finishing)

    def show_probe(self) -> None:
        progress = self.progress
        outcome = progress.current if progress is not None else None
        self.panel.hide()
        self.panel.clear()
        self._idle()
        if outcome is None:
            self.counter.setText("No follow-ups")
            self.probe.setText("This question has no follow-up questions.")
            self.status.setText("Press Escape to go back to the review.")
            self.record_button.setEnabled(False)
            self._set_navigation(False)
            return
        self.counter.setText(f"Follow-up {progress.index + 1} of {progress.count}")
        self.probe.setText(outcome.followup.probe)
        self.status.setText("Answer out loud, as you would to the interviewer. "
                            "Press Space to start and again when you are done.")
        self.next_button.setText("Skip (N)")
        self.record_button.setEnabled(self.transcriber is not None)
        if self.transcriber is None:
            self.status.setText("The speech model is not ready yet, so replies cannot be "
                                "heard. Wait for it on the practice screen, then come back.")
        self.read_probe()
        self.setFocus()

    def read_probe(self) -> None:
        outcome = self.progress.current if self.progress is not None else None
        if self.read_aloud and outcome is not None and not self.recording:
            self.speech = tts.speak(outcome.followup.probe)

    def toggle(self) -> None:
        if self.recording:
            self.stop_reply()
        else:
            self.start_reply()

    def start_reply(self) -> bool:
        progress = self.progress
        outcome = progress.current if progress is not None else None
        if (outcome is None or self.transcriber is None or self.busy or outcome.judged
                or self.stack.currentWidget() is not self.drill_page):
            return False
        tts.stop()
        from starcoach.speech.errors import SpeechError

        try:
            path = progress.audio_path(outcome)
        except Exception as exc:
            log.exception("no audio file for a follow-up reply")
            self.status.setText(faults.start_fault(exc).text if faults.is_disk_full(exc) else
                                "Your reply cannot be recorded: its file could not be made "
                                "in the StarCoach data folder.")
            return False
        session = ReplySession(self.transcriber, path,
                               lambda words, p=progress, fu=outcome.followup: p.judge(fu, words),
                               device=self._device(), stream_factory=self.stream_factory,
                               attempt_id=progress.attempt_id, parent=self)
        session.level.connect(self.meter.set_level)
        session.deviceLost.connect(self._on_device_lost)
        session.replyReady.connect(lambda reply, p=progress, o=outcome: self._on_reply(p, o, reply))
        session.failed.connect(lambda exc, p=progress, o=outcome, s=session:
                               self._on_failed(p, o, s, exc))
        try:
            session.start()
        except SpeechError as exc:
            session.deleteLater()
            log.info("a follow-up reply could not start recording: %s", exc)
            self.status.setText(faults.start_fault(exc).text)
            return False
        self.session = session
        self.panel.hide()
        self.record_button.setText("Stop (Space)")
        self.status.setText("Listening. Press Space when you have answered.")
        self._set_navigation(False)
        self.timer.start()
        self._tick()
        self.recordingChanged.emit(True)
        return True

    def stop_reply(self) -> None:
        if not self.recording or self.session is None:
            return
        self.session.stop()
        self.timer.stop()
        self.record_button.setEnabled(False)
        self.record_button.setText("Listening back…")
        if not self.status.property("problem"):
            self.status.setText("Transcribing your reply…")
        self.recordingChanged.emit(False)

    def stop_and_save(self):
        """Stop now and keep the reply's audio (the window is closing); no verdict."""
        if self.session is None or self.progress is None:
            return None
        self.timer.stop()
        tts.stop()
        was_recording = self.recording
        result = self.session.stop_now()
        outcome = self.progress.current
        if was_recording and result is not None and outcome is not None:
            self.progress.record(outcome, [], result.duration, None, None)
        self.recordingChanged.emit(False)
        return result

    def next_probe(self) -> None:
        if self.progress is None or self.busy or self.stack.currentWidget() is self.summary:
            return
        if self.progress.advance():
            self.show_probe()
        else:
            self.show_summary()

    def finish(self) -> None:
        if self.progress is None or self.busy or self.stack.currentWidget() is self.summary:
            return
        self.progress.finish()
        self.show_summary()

    def show_summary(self) -> None:
        assert self.progress is not None
        tts.stop()
        self.summary.set_progress(self.progress)
        self.stack.setCurrentWidget(self.summary)
        self.summary.back_button.setFocus()
        self.scores = self.progress.scores()
        self.progress.cleanup()
        self.finished.emit(self.scores)

    def back(self) -> None:
        """Escape: stop any reply (it still finishes and is saved) and return to the review."""
        tts.stop()
        if self.recording:
            self.stop_reply()
        self.backRequested.emit()

    # ----------------------------------------------------------------- replies
    def _on_device_lost(self, exc: BaseException) -> None:
        saved = self.session.recorder.duration if self.session and self.session.recorder \
            else 0.0
        self.status.setText(faults.recording_fault(exc, saved, what="reply").text)
        self.status.setProperty("problem", True)
        log.info("the recording of a follow-up reply stopped: %s", exc)
        self.stop_reply()

    def _on_reply(self, progress: DrillProgress, outcome: Outcome, reply: Reply) -> None:
        progress.record(outcome, list(reply.transcript.words), reply.recording.duration,
                        reply.heard, reply.result)
        self.replyFinished.emit(outcome)
        if progress is not self.progress:
            progress.cleanup()
        if progress is not self.progress or outcome is not progress.current:
            return  # a reply finished after the person left it: saved, not shown
        problem = self.status.text() if self.status.property("problem") else ""
        self._idle()
        if not reply.heard:
            self.status.setText(" ".join(filter(None, [problem, NO_SPEECH])))
            return
        self.status.setText(problem)
        self.panel.set_result(reply.result, list(reply.transcript.words))
        self.panel.show()
        self.record_button.setEnabled(False)
        last = progress.index + 1 >= progress.count
        self.next_button.setText("See the summary (N)" if last else "Next follow-up (N)")
        self.next_button.setFocus()
        self.replyJudged.emit(outcome)

    def _on_failed(self, progress: DrillProgress, outcome: Outcome, session: ReplySession,
                   exc: BaseException) -> None:
        log.error("a follow-up reply could not be transcribed: %s", exc, exc_info=exc)
        duration = session.result.duration if session.result is not None else 0.0
        progress.record(outcome, [], duration, None, None)
        self.replyFinished.emit(outcome)
        if progress is not self.progress:
            progress.cleanup()
        else:
            self._idle()
            from starcoach.speech.errors import SpeechError

            # A speech error's message is written for people; anything else is for the log.
            first = (str(exc).strip().splitlines() or [""])[0] \
                if isinstance(exc, SpeechError) else ""
            self.status.setText("Your reply is saved but could not be transcribed"
                                + (f": {first}" if first else "; the details are in the log."))

    # ----------------------------------------------------------------- view
    def _idle(self) -> None:
        self.timer.stop()
        self.meter.reset()
        self.elapsed.setText("0:00")
        self.status.setProperty("problem", False)
        self.record_button.setText("Answer (Space)")
        self.record_button.setEnabled(self.transcriber is not None)
        self._set_navigation(True)

    def _set_navigation(self, enabled: bool) -> None:
        for widget in (self.next_button, self.finish_button, self.next_action,
                       self.finish_action):
            widget.setEnabled(enabled)

    def _tick(self) -> None:
        if self.session is not None:
            self.elapsed.setText(clock(self.session.elapsed()))

    def _device(self) -> str | None:
        if self.settings is None:
            return None
        from starcoach.desktop.practice.model import device_setting

        return device_setting(self.settings)

    def _retire(self) -> None:
        """Leave the current drill: a reply still finishing is saved when it arrives."""
        tts.stop()
        if self.recording and self.session is not None:
            self.session.stop()
            self.timer.stop()
        if self.progress is not None and not self.busy:
            self.progress.cleanup()
        self.session = None

