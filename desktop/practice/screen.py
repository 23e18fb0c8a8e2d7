"""The practice screen: the question large, Space to start and stop, and while speaking the
elapsed time, an input level meter and one calm cue (the section now and its clock).

Keys: Space starts/stops; 2–5 mark "Task/Action/Result/Reflection begins now" (optional;
they override the automatic split). The model loads in the background after the window
shows, and the record button says when it is ready. After Stop a progress bar and one line
say how far the quick review has got ("Transcribing the last 12 s… 60%").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop import style
from starcoach.desktop.errors import log
from starcoach.desktop.practice import faults
from starcoach.desktop.practice.cue import Cue, targets_for
from starcoach.desktop.practice.live_view import TICK_MS, LiveView
from starcoach.desktop.practice.meter import LevelMeter
from starcoach.desktop.practice.model import (
    ModelLoader,
    device_setting,
    display_name,
    model_setting,
    threads_setting,
)
from starcoach.desktop.practice.runner import shared_runner
from starcoach.desktop.practice.session import SECTION_KEYS, PracticeSession
from starcoach.desktop.practice.waiting import (
    QUICK,
    JobProgress,
    progress_text,
    queued_while_recording_text,
    waiting_text,
)
from starcoach.desktop.state.app import StoreHandle
from starcoach.desktop.state.choice import Question
from starcoach.desktop.state.practice import PracticeState
from starcoach.rubric.clock import clock
from starcoach.rubric.packs import PackLibrary


class PracticeScreen(QWidget, LiveView):
    reportReady = Signal(object, bool)  # Report, final
    recordingChanged = Signal(bool)
    modelLoading = Signal(str)  # model name, as a person reads it
    modelReady = Signal(str)  # model name
    modelNeeded = Signal(str)  # why (no model installed / would not load)
    fault = Signal(object)  # faults.Fault
    backRequested = Signal()

    def __init__(self, settings, parent: QWidget | None = None, *, loader=None,
                 store: Callable[[], Any] | None = None, stream_factory=None, runner=None,
                 state: PracticeState | None = None, library: PackLibrary | None = None) -> None:
        """``store`` opens the attempt history when an answer starts (a default store unless
        given); ``state`` is told of the attempt in progress; ``library`` holds the questions
        (the app's packs; none: the bundled ones)."""
        super().__init__(parent)
        self.setAccessibleName("Practice")
        self.runner = runner or shared_runner()
        self.settings = settings
        self.library = library if library is not None else PackLibrary()
        self._open_store = store if store is not None else StoreHandle()
        self.state = state if state is not None else PracticeState()
        self.stream_factory = stream_factory
        self.question = Question("ownership-failure", "ownership")
        self.targets: dict[str, float] = targets_for(self.question.id, self.question.principle,
                                                     self.question.level, self.question.lens,
                                                     self.library.catalogue())
        self.transcriber: Any = None
        self.model_name: str | None = None
        self.model_problem = ""
        self.session: PracticeSession | None = None
        self._forget_live()
        self.cue: Cue | None = None
        self._answer_shown = False  # the status line speaks of the last answer
        self.loader = ModelLoader(loader, self)
        self.loader.ready.connect(self._on_model_ready)
        self.loader.unavailable.connect(self._on_model_unavailable)
        self.loader.failed.connect(self._on_model_unavailable)

        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Question")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setFont(style.scaled_font(self.font(), 1.6, bold=True))
        self.subtitle = QLabel(self)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setAccessibleName("Question details")
        self.elapsed = QLabel("0:00", self)
        self.elapsed.setAccessibleName("Elapsed time")
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        mono = style.scaled_font(self.font(), 2.4)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setFamilies(["monospace"])
        self.elapsed.setFont(mono)
        self.meter = LevelMeter(self)
        self.cue_label = QLabel("", self)
        self.cue_label.setAccessibleName("Section clock")
        self.cue_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cue_label.setFont(style.scaled_font(self.font(), 1.3))
        self.marks_label = QLabel("", self)
        self.marks_label.setAccessibleName("Marks")
        self.marks_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.record_button = QPushButton("Loading speech model…", self)
        self.record_button.setAccessibleName("Start or stop the answer")
        self.record_button.setEnabled(False)
        self.record_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to the screen
        self.record_button.clicked.connect(self.toggle)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName("Review progress")
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.status = QLabel("", self)
        self.status.setAccessibleName("Practice status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel("Space: start / stop  ·  while speaking, 2 Task · 3 Action · "
                           "4 Result · 5 Reflection begins now (optional)", self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        style.set_muted(self.hint)  # quieter, yet readable (a disabled grey is not)
        self.back_button = QPushButton("← &Questions", self)
        self.back_button.setAccessibleName("Back to questions")
        self.back_button.clicked.connect(self.backRequested)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(self.fontMetrics().lineSpacing() * 2)
        layout.addWidget(self.elapsed)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.meter, 2)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.cue_label)
        layout.addWidget(self.marks_label)
        layout.addSpacing(self.fontMetrics().lineSpacing())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.progress_bar, 2)
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addStretch(2)
        layout.addWidget(self.hint)

        self.toggle_action = QAction("Start / Stop Answer", self)
        self.toggle_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.toggle_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.toggle_action.triggered.connect(self.toggle)
        self.addAction(self.toggle_action)
        self.mark_actions: dict[str, QAction] = {}
        for key, label in SECTION_KEYS.items():
            action = QAction(f"{label.capitalize()} Begins Now", self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, lab=label: self.mark(lab))
            self.addAction(action)
            self.mark_actions[label] = action
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._idle_view()

    # ----------------------------------------------------------------- setup
    @property
    def store(self) -> Any:
        """The attempt history answers are kept in (opened on first use)."""
        return self._open_store()

    def attempt_deleted(self, attempt_id: int) -> None:
        """The attempt is being deleted: if it is this screen's, nothing more of it is
        stored or shown."""
        if self.session is not None and self.session.attempt_id == attempt_id:
            self.session.cancel(deleted=True)

    def set_question(self, question: Question, text: str, details: str = "") -> None:
        if self.recording:
            return
        self.question = question
        self.title.setText(text)
        self.subtitle.setText(details)
        self.targets = targets_for(question.id, question.principle, question.level,
                                   question.lens, self.library.catalogue())
        self._idle_view()
        if self.transcriber is not None:  # a fresh practice: the last answer's news is old
            self.status.setText("")
        self._answer_shown = False

    def load_model(self) -> None:
        """Load the model named in settings on a worker thread (after the window shows)."""
        self.transcriber = None
        self.record_button.setEnabled(False)
        self.record_button.setText("Loading speech model…")
        self.status.setText("The speech model is loading; you can read the question.")
        model = model_setting(self.settings)
        self.modelLoading.emit(display_name(model))
        self.loader.load(model, threads_setting(self.settings))

    def _on_model_ready(self, transcriber: Any, name: str) -> None:
        self.transcriber, self.model_name, self.model_problem = transcriber, name, ""
        self.record_button.setEnabled(True)
        self._idle_view()
        self.status.setText(f"Speech model ready: {name}.")
        self.modelReady.emit(name)

    def _on_model_unavailable(self, message: str) -> None:
        self.transcriber, self.model_problem = None, message
        self.record_button.setEnabled(True)
        self.record_button.setText("Get a speech model…")
        self.status.setText(message)
        log.info("speech model unavailable: %s (%s)", message, self.loader.detail)

    # ----------------------------------------------------------------- recording
    @property
    def recording(self) -> bool:
        return self.session is not None and self.session.recording

    def toggle(self) -> None:
        if self.recording:
            self.stop()
        else:
            self.start()

    def start(self) -> bool:
        if self.transcriber is None:
            if not self.loader.loading:
                self.modelNeeded.emit(self.model_problem or faults.model_missing().text)
            return False
        if self.session is not None and self.session.finishing:
            return False  # the previous answer is still being finished
        from starcoach.speech.errors import SpeechError

        session = PracticeSession(self.transcriber, self.store, self.question,
                                  model_name=self.model_name,
                                  device=device_setting(self.settings),
                                  stream_factory=self.stream_factory, runner=self.runner,
                                  catalogue=self.library.catalogue(), parent=self)
        session.level.connect(self.meter.set_level)
        session.liveWords.connect(self._on_live_words)
        session.recordingFault.connect(self._on_recording_fault)
        session.saveFailed.connect(self._on_save_failed)
        session.reportReady.connect(lambda r, final, s=session: self._on_report(s, r, final))
        session.failed.connect(lambda exc, s=session: self._on_failed(s, exc))
        session.progress.connect(lambda p, s=session: self._on_progress(s, p))
        try:
            session.start()
        except Exception as exc:
            session.deleteLater()
            if not isinstance(exc, SpeechError) and not faults.is_disk_full(exc):
                raise  # the friendly error dialog, with details
            log.info("recording could not start: %s", exc)
            self.fault.emit(faults.start_fault(exc))
            return False
        self.session = session
        self._forget_live()
        self.record_button.setText("Stop (Space)")
        self.status.setText(queued_while_recording_text() if self._ahead_of(session.job) else
                            "Recording. Speak your answer; press Space when you are done.")
        self.timer.start()
        self._tick()
        self.state.started(self.question, session.attempt_id)
        self.recordingChanged.emit(True)
        return True

    def stop(self) -> None:
        if not self.recording or self.session is None:
            return
        self.session.stop()
        self.timer.stop()
        self.record_button.setEnabled(False)
        self.record_button.setText("Preparing your review…")
        ahead = self._ahead_of(self.session.job)
        self.status.setText(waiting_text(ahead))
        self.progress_bar.setRange(0, 0 if ahead else 100)  # busy until its turn comes
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self._answer_shown = True
        self.state.stopped()
        self.recordingChanged.emit(False)

    def _ahead_of(self, job) -> int:
        """How many transcriptions run or wait before ``job`` (0: its turn has come)."""
        jobs = self.runner.jobs()
        return jobs.index(job) if job in jobs else 0

    def stop_and_save(self):
        """Stop now and keep the audio (the window is closing); returns the result. The
        answer's transcription is cancelled, not waited for."""
        if self.session is None:
            return None
        self.timer.stop()
        was_recording = self.recording
        result = self.session.stop_now()
        if was_recording:
            self.state.stopped()
            self.recordingChanged.emit(False)
        return result

    def mark(self, label: str) -> None:
        if self.recording and self.session is not None:
            self.session.mark(label)
            self.marks_label.setText("Marked: " + " · ".join(
                f"{lab.capitalize()} {clock(t)}" for t, lab in self.session.marks))
            self._tick()

    # ----------------------------------------------------------------- results
    def _on_recording_fault(self, exc: BaseException) -> None:
        session = self.session
        if self.recording:
            self.stop()
        saved = max(getattr(exc, "saved_s", 0.0), session.audio_seconds if session else 0.0)
        log.info("recording stopped mid-answer after %.1f s: %s", saved, exc)
        self.fault.emit(faults.recording_fault(exc, saved))

    def _on_save_failed(self, exc: BaseException) -> None:
        session = self.session
        self.fault.emit(faults.save_fault(exc, session.audio_seconds if session else 0.0))

    def _on_progress(self, session: PracticeSession, p: JobProgress) -> None:
        if session is not self.session or self.recording or p.stage != QUICK:
            return  # the exact words' progress shows in the window's status bar
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setValue(p.percent)
        self.progress_bar.show()
        self.status.setText(progress_text(p))

    def _on_report(self, session: PracticeSession, report, final: bool) -> None:
        if session is not self.session:  # an earlier answer's exact words: stored, not shown
            return
        if not self.recording:
            self._idle_view()
        if self._answer_shown:  # not once a new practice has started meanwhile
            self.status.setText("Exact transcript ready." if final else
                                "Quick transcript ready; the exact words follow.")
        self.state.judged(report, final)
        self.reportReady.emit(report, final)

    def _on_failed(self, session: PracticeSession, exc: BaseException) -> None:
        if session is not self.session:
            raise exc
        self._idle_view()
        where = self.session.audio_path if self.session else None
        self.status.setText(f"The recording is saved ({where}) but could not be analysed.")
        raise exc  # reaches the friendly error dialog through the excepthook

