"""The StarCoach main window and ``run()``, which the ``starcoach`` command calls with no
arguments.

The window chooses a question, records a spoken answer on the practice screen (the speech
model loads in the background once the window shows) and reviews it; a written or timed
answer (.txt/.json) can be opened into the review screen too.

What the screens show lives in one Qt-free ``AppState`` (``desktop.state``): the app's
question packs (its ``PackLibrary``: the bundled and the person's), the choice, the attempt
in progress, the answer under review and the history store. The window owns it, the
settings store (``desktop.settings.open_settings``) and the transcription runner, builds
the screens and the controllers over them, and hands each exactly what it uses; it switches
pages (``shell.Pages``) and lends the speech model (``shell.SpeechModel``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")  # before onnxruntime can load (speech/)

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)
from starcoach.desktop import errors
from starcoach.desktop.chooser import QuestionChooser
from starcoach.desktop.history.controller import HistoryController
from starcoach.desktop.history.view import HistoryView
from starcoach.desktop.menus import Menus, MenuSlots
from starcoach.desktop.model_dialogs import SpeechModelDialogs
from starcoach.desktop.practice.runner import shared_runner
from starcoach.desktop.practice.screen import PracticeScreen
from starcoach.desktop.review.screen import ReviewScreen
from starcoach.desktop.settings import (
    SettingsStore,
    apply_theme,
    geometry_bytes,
    geometry_text,
    open_settings,
    set_application_names,
)
from starcoach.desktop.sizing import default_size
from starcoach.desktop.state.app import AppState

ANSWER_FILTER = "Answers (*.txt *.json);;Text transcripts (*.txt);;Timed words (*.json)"


class MainWindow(QMainWindow, SpeechModelDialogs):
    rerecordRequested = Signal(str)  # question id
    answerLoaded = Signal(object)  # Report

    def __init__(self, settings: SettingsStore | None = None, parent: QWidget | None = None,
                 *, loader=None, store=None, stream_factory=None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else open_settings()
        self.setWindowTitle("StarCoach")
        self.setAccessibleName("StarCoach")
        self.last_message: QMessageBox | None = None
        self.last_dialog = None
        from starcoach.desktop.bank.imports import open_user_library

        library, self.pack_problems = open_user_library()  # before any question shows
        self.state = AppState(store, library)  # the app's packs: bundled and the person's
        self.runner = shared_runner()
        state = self.state
        self.chooser = QuestionChooser(self, state.choice)
        self.review = ReviewScreen(self, state.review, library)
        self.practice = PracticeScreen(self.settings, self, loader=loader,
                                       store=state.open_store, stream_factory=stream_factory,
                                       runner=self.runner, state=state.practice,
                                       library=library)
        self.history = HistoryView(state.open_store, self, library)
        self.history_control = HistoryController(
            self, state, review=self.review, history=self.history, runner=self.runner,
            speech=self, pages=self, status=self.statusBar())
        self._model_requested = False
        self.stack = QStackedWidget(self)
        home = QWidget(self)
        self.practise_button = QPushButton("&Practise this question", home)
        self.practise_button.setAccessibleName("Practise this question")
        self.practise_button.setToolTip("Answer out loud with a live section clock (Ctrl+P)")
        self.open_button = QPushButton("&Open answer…", home)
        self.open_button.setAccessibleName("Open answer")
        self.open_button.setToolTip("Review a written (.txt) or timed (.json) answer")
        self.history_button = QPushButton("&History", home)
        self.history_button.setAccessibleName("History")
        self.history_button.setToolTip("Every attempt you recorded, to replay and compare "
                                       "(Ctrl+H)")
        row = QHBoxLayout()
        row.addWidget(self.history_button)
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addWidget(self.practise_button)
        from starcoach.desktop.practice.model_banner import ModelBanner

        self.model_banner = ModelBanner(home)
        self.chooser.footer.addWidget(self.model_banner)
        self.chooser.footer.addLayout(row)
        self.stack.addWidget(self.chooser)
        self.stack.addWidget(self.review)
        self.stack.addWidget(self.practice)
        self.stack.addWidget(self.history)
        self.setCentralWidget(self.stack)

        self.menus = Menus(self.menuBar(), self, self, MenuSlots(
            open_answer=self.choose_answer_file, settings=self.open_settings_dialog,
            quit=self.close, theme=self.set_theme),
            [self.review.rerecord_action, self.review.reset_action])
        state.practice.answered.connect(self._on_practice_report)
        from starcoach.desktop.bank.actions import BankActions

        self.bank = BankActions(self.menuBar(), self, state, self,
                                practice_subtitle=self.practice.subtitle,
                                next_button=self.review.next_button, status=self.statusBar())
        from starcoach.desktop.drill.controller import DrillController

        self.drills = DrillController(self, state, review=self.review, speech=self,
                                      pages=self, settings=self.settings,
                                      stream_factory=stream_factory)
        self.stack.addWidget(self.drills.screen)
        self.drills.screen.recordingChanged.connect(self._update_actions)
        self.history_control.followupsOpened.connect(self.drills.show_stored)
        self.history.deleting.connect(self.practice.attempt_deleted)
        state.choice.catalogue_changed.connect(self.history.reload_catalogue)
        self.bank.menu.addSeparator()
        self.bank.menu.addAction(self.drills.read_aloud_action)
        self.open_button.clicked.connect(self.menus.open_action.trigger)
        self.practise_button.clicked.connect(self.menus.practise_action.trigger)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.history.openRequested.connect(self.history_control.open_attempt)
        self.history.transcribeRequested.connect(self.history_control.transcribe)
        self.history.practiseRequested.connect(self.practise_question)
        self.history.exported.connect(
            lambda path: self.statusBar().showMessage(f"Exported to {path}", 5000))
        self.history_control.problem.connect(self.show_problem)
        self.review.playback.problem.connect(
            lambda text: self.show_problem("Cannot play the recording", text))
        self.practice.modelNeeded.connect(self.offer_model)
        self.practice.modelReady.connect(
            lambda name: self.statusBar().showMessage(f"Speech model {name} is ready.", 5000))
        self.practice.modelLoading.connect(self.model_banner.loading)
        self.practice.modelReady.connect(self.model_banner.ready)
        self.practice.loader.unavailable.connect(self.model_banner.unavailable)
        self.practice.loader.failed.connect(self.model_banner.unavailable)
        self.model_banner.upgradeRequested.connect(self._on_model_banner)
        self.practice.fault.connect(self.show_fault)
        self.practice.backRequested.connect(self.show_questions)
        state.practice.recording_changed.connect(self._update_actions)
        self.review.rerecordRequested.connect(self._on_rerecord)
        self.stack.currentChanged.connect(self._update_actions)
        self._restore()
        self._update_actions()
        from starcoach.desktop.practice.work_status import WorkStatus

        self.work_status = WorkStatus(self.runner, self)
        self.statusBar().addPermanentWidget(self.work_status)
        self.statusBar().showMessage("Choose a question, then open an answer to review it.")

    # ----------------------------------------------------------------- actions
    def _update_actions(self, _index: int = 0) -> None:
        m, report = self.menus, self.state.review.report
        on_review = self.stack.currentWidget() is self.review
        recording = self.state.practice.recording or self.drills.recording
        m.back_action.setEnabled(not recording and self.stack.currentWidget()
                                 is not self.chooser)
        m.practise_action.setEnabled(not recording)
        m.open_action.setEnabled(not recording)
        m.history_action.setEnabled(not recording)
        self.history_button.setEnabled(not recording)
        m.review_action.setEnabled(not on_review and report is not None)
        self.review.rerecord_action.setEnabled(on_review)
        self.review.followups_action.setEnabled(on_review and report is not None
                                                and bool(report.question))

    # ----------------------------------------------------------------- pages
    def show_questions(self) -> None:
        self.stack.setCurrentWidget(self.chooser)
        self.chooser.tree.setFocus()

    def show_history(self, attempt_id: int | None = None) -> None:
        """The history list, newest first (``attempt_id``: select that attempt)."""
        if self.practice.recording:
            return
        self.history.refresh(attempt_id)
        self.stack.setCurrentWidget(self.history)
        self.history.table.setFocus()
        self._update_actions()

    def practise_question(self, question_id: str) -> None:
        choice = self.state.choice
        choice.select(question_id, choice.level_id(), choice.lens_id())
        self.show_practice()

    def show_practice(self) -> None:
        if self.practice.recording:
            return
        choice = self.state.choice
        self.practice.set_question(choice.question(), choice.question_text(), choice.details())
        self.show_page(self.practice)

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        page.setFocus()
        self._update_actions()

    def _on_practice_report(self, report, final: bool) -> None:
        session = self.practice.session
        corrected = self.state.review.take_marks(
            report, list(session.marks) if session is not None else [], final)
        self.review.set_report(report, question_text=self.practice.title.text(),
                               keep_marks=True, keep_view=final)
        if session is not None:
            self.review.set_audio(session.audio_path, session.attempt_id)
        if corrected:
            self.review.reanalyse()
        if self.stack.currentWidget() is self.practice:
            self.stack.setCurrentWidget(self.review)
            self.review.transcript.setFocus()
        self.statusBar().showMessage("Exact transcript in." if final else
                                     "Quick transcript shown; the exact words follow.", 5000)
        self._update_actions()
        self.answerLoaded.emit(report)

    def show_review(self) -> None:
        if self.review.report is not None:
            self.stack.setCurrentWidget(self.review)
            self.review.transcript.setFocus()

    # ----------------------------------------------------------------- answers
    def choose_answer_file(self) -> None:
        start = self.settings.load().answers_dir or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open Answer", start, ANSWER_FILTER)
        if path:
            self.settings.remember(answers_dir=str(Path(path).parent))
            self.open_answer(Path(path))

    def open_answer(self, path: Path) -> bool:
        """Read, analyse and review ``path``; known problems become one plain line."""
        from starcoach.rubric.analyze import analyze
        from starcoach.rubric.inputs import read_answer

        choice = self.state.choice
        try:
            words, timing = read_answer(Path(path))
            report = analyze(words, question=choice.question_id(), level=choice.level_id(),
                             lens=choice.lens_id(), timing=timing, catalogue=choice.catalogue)
        except KeyError as exc:  # unknown question/lens: the message is for people
            self.last_message = errors.show_known_error(
                self, ValueError(exc.args[0] if exc.args else str(exc)))
            return False
        except Exception as exc:
            if not errors.is_known(exc):
                raise
            self.last_message = errors.show_known_error(self, exc)
            return False
        self.review.set_report(report, question_text=choice.question_text())
        self.review.set_audio(None)
        self.stack.setCurrentWidget(self.review)
        self.review.transcript.setFocus()
        self.statusBar().showMessage(f"Reviewing {Path(path).name}", 5000)
        self._update_actions()
        self.answerLoaded.emit(report)
        return True

    def _on_rerecord(self) -> None:
        qid = self.state.choice.question_id() or ""
        self.show_practice()
        self.rerecordRequested.emit(qid)

    # ----------------------------------------------------------------- problems
    def show_problem(self, title: str, text: str, details: str = "") -> QMessageBox:
        """One plain line about something that could not be done (nothing is lost)."""
        self.last_message = errors.message_box(self, title, text, name="problem",
                                               details=details)
        return self.last_message

    def show_fault(self, fault) -> QMessageBox:
        self.last_message = errors.message_box(self, fault.title, fault.text,
                                               name=f"fault-{fault.kind}")
        return self.last_message

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._model_requested:  # the window first, then the model
            self._model_requested = True
            QTimer.singleShot(0, self.practice.load_model)
            QTimer.singleShot(0, self.history_control.recover_on_start)
            if self.pack_problems:
                from starcoach.desktop.bank.import_dialog import show_pack_problems

                self.last_message = show_pack_problems(self, self.pack_problems)

    # ----------------------------------------------------------------- errors
    def handle_exception(self, exc_type, exc, tb):
        dialog = errors.handle_exception(exc_type, exc, tb, self)
        if isinstance(dialog, QMessageBox):
            self.last_message = dialog
        else:
            self.last_dialog = dialog
        return dialog

    # ----------------------------------------------------------------- settings
    def set_theme(self, theme: str) -> None:
        self.settings.remember(theme=theme)
        self.menus.theme_actions[theme].setChecked(True)
        apply_theme(theme)

    def _restore(self) -> None:
        s = self.settings.load()
        self.menus.theme_actions[s.theme].setChecked(True)
        geometry = geometry_bytes(s.window_geometry)
        if geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(default_size(self.screen().availableGeometry().size()))
        choice = self.state.choice
        choice.select(s.question or "ownership-failure", s.level, s.lens)
        # saved once the person settles (arrow keys through the list would otherwise write
        # the settings file on every row), and at close
        self._save_timer = QTimer(self, singleShot=True, interval=500)
        self._save_timer.timeout.connect(self._save_choice)
        choice.changed.connect(self._save_timer.start)

    def _save_choice(self) -> None:
        choice = self.state.choice
        self.settings.remember(question=choice.question_id(), level=choice.level_id(),
                               lens=choice.lens_id())

    def confirm_close_while_recording(self) -> bool:
        answer = QMessageBox.question(
            self, "Recording in progress",
            "You are recording an answer. Stop the recording, save it and close?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event) -> None:
        if self.practice.recording:
            if not self.confirm_close_while_recording():
                event.ignore()
                return
            self.practice.stop_and_save()  # the audio is on disk before the window goes
        elif self.practice.session is not None:  # its audio is on disk: stop its decoding
            self.practice.session.stop_now()
        self.drills.stop_and_save()  # a follow-up reply being recorded is kept too
        self.runner.shutdown(1.0)  # cancelled work never holds the window up
        self.settings.remember(window_geometry=geometry_text(self.saveGeometry()))
        self._save_choice()
        super().closeEvent(event)



def run(argv: list[str] | None = None) -> int:
    """Start the app; returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    set_application_names()
    QApplication.setApplicationDisplayName("StarCoach")
    errors.setup_logging()
    settings = open_settings()
    apply_theme(settings.load().theme)
    window = MainWindow(settings)
    errors.install_excepthook(lambda: window if window.isVisible() else None)
    window.show()
    QTimer.singleShot(0, window.chooser.tree.setFocus)
    errors.log.info("StarCoach started")
    quit_after = os.environ.get("STARCOACH_QUIT_AFTER_MS", "")
    if quit_after.isdigit():  # smoke tests and the packaged-bundle check: show, then quit
        QTimer.singleShot(int(quit_after), app.quit)
    status = int(app.exec())
    from starcoach.desktop.jobs import wait_all

    wait_all()  # a model still loading finishes before Python tears Qt down
    return status


if __name__ == "__main__":
    sys.exit(run())
