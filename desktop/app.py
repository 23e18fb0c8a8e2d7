"""The StarCoach main window and ``run()``, which the ``starcoach`` command calls with no
arguments.

The window chooses a question, records a spoken answer on the practice screen (the speech
model loads in the background once the window shows) and reviews it; a written or timed
answer (.txt/.json) can be opened into the review screen too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")  # before onnxruntime can load (speech/)

from PySide6.QtCore import QSize, Qt, QTimer, Signal
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
from starcoach.desktop import errors, wording
from starcoach.desktop.chooser import QuestionChooser
from starcoach.desktop.history.controller import HistoryController
from starcoach.desktop.history.view import HistoryView
from starcoach.desktop.practice import PracticeScreen
from starcoach.desktop.practice.session import Question
from starcoach.desktop.review import ReviewScreen
from starcoach.desktop.settings import (
    SettingsStore,
    apply_theme,
    geometry_bytes,
    geometry_text,
    open_settings,
    set_application_names,
)

ANSWER_FILTER = "Answers (*.txt *.json);;Text transcripts (*.txt);;Timed words (*.json)"
DEFAULT_SIZE = QSize(1100, 720)  # every screen shows in full at this size, nothing elided


def default_size(available: QSize) -> QSize:
    """The first window's size: ``DEFAULT_SIZE``, shrunk to fit the screen's free area
    (less a margin for the window frame)."""
    from starcoach.desktop.sizing import FRAME

    room = QSize(max(1, available.width() - FRAME.width()),
                 max(1, available.height() - FRAME.height()))
    return DEFAULT_SIZE.boundedTo(room)


class MainWindow(QMainWindow):
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

        # The window's packs: the bundled ones and the person's, before any question shows.
        self.library, self.pack_problems = open_user_library()
        self.chooser = QuestionChooser(self, self.library)
        self.review = ReviewScreen(self, self.library)
        self.practice = PracticeScreen(self.settings, self, loader=loader, store=store,
                                       stream_factory=stream_factory, library=self.library)
        self.history = HistoryView(lambda: self.practice.store, self, self.library)
        self.history_control = HistoryController(self)
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

        self._build_actions()
        from starcoach.desktop.bank.actions import BankActions

        self.bank = BankActions(self)
        self.practice.recordingChanged.connect(lambda _r: self.bank.update_actions())
        from starcoach.desktop.drill.controller import DrillController

        self.drills = DrillController(self, stream_factory)
        self.bank.menu.addSeparator()
        self.bank.menu.addAction(self.drills.read_aloud_action)
        self.open_button.clicked.connect(self.open_action.trigger)
        self.practise_button.clicked.connect(self.practise_action.trigger)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.history.openRequested.connect(self.history_control.open_attempt)
        self.history.transcribeRequested.connect(self.history_control.transcribe)
        self.history.practiseRequested.connect(self.practise_question)
        self.history.exported.connect(
            lambda path: self.statusBar().showMessage(f"Exported to {path}", 5000))
        self.history_control.problem.connect(self.show_problem)
        self.review.playback.problem.connect(
            lambda text: self.show_problem("Cannot play the recording", text))
        self.practice.reportReady.connect(self._on_practice_report)
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
        self.practice.recordingChanged.connect(self._update_actions)
        self.review.rerecordRequested.connect(self._on_rerecord)
        self.stack.currentChanged.connect(self._update_actions)
        self._restore()
        self._update_actions()
        from starcoach.desktop.practice.work_status import WorkStatus

        self.work_status = WorkStatus(self.practice.runner, self)
        self.statusBar().addPermanentWidget(self.work_status)
        self.statusBar().showMessage("Choose a question, then open an answer to review it.")

    # ----------------------------------------------------------------- actions
    def _build_actions(self) -> None:
        from starcoach.desktop.menus import build_menus

        build_menus(self)

    def _update_actions(self, _index: int = 0) -> None:
        on_review = self.stack.currentWidget() is self.review
        recording = self.practice.recording or self.drills.recording
        self.back_action.setEnabled(not recording and self.stack.currentWidget()
                                    is not self.chooser)
        self.practise_action.setEnabled(not recording)
        self.open_action.setEnabled(not recording)
        self.history_action.setEnabled(not recording)
        self.history_button.setEnabled(not recording)
        self.review_action.setEnabled(not on_review and self.review.report is not None)
        self.review.rerecord_action.setEnabled(on_review)
        self.review.followups_action.setEnabled(on_review and self.review.report is not None
                                                and bool(self.review.report.question))

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
        self.chooser.select(question_id, self.chooser.level_id(), self.chooser.lens_id())
        self.show_practice()

    def show_practice(self) -> None:
        if self.practice.recording:
            return
        qid = self.chooser.question_id()
        cat = self.chooser.catalogue
        q = cat.questions.get(qid) if qid else None
        question = Question(qid, q.principle if q else None, self.chooser.level_id(),
                            self.chooser.lens_id(), q.pack if q else None)
        details = [cat.principles[q.principle]["name"]] if q else []
        details.append(wording.level_name(self.chooser.level_id()))
        if self.chooser.lens_id():
            details.append(self.chooser.lens.currentText() + " lens")
        self.practice.set_question(question, self.chooser.question_text(), " · ".join(details))
        self.stack.setCurrentWidget(self.practice)
        self.practice.setFocus()
        self._update_actions()

    def _on_practice_report(self, report, final: bool) -> None:
        from starcoach.desktop.practice.session import marks_to_words

        session = self.practice.session
        timed = list(session.marks) if session is not None else []
        shown = self.review.report
        corrected = final and shown is not None and bool(self.review.marks)
        if corrected:
            # The person corrected the split on the first transcript: carry those marks
            # to the exact words by time, so the final report keeps them.
            timed = [(shown.words[i].start, label) for i, label in self.review.marks
                     if i < len(shown.words)]
        self.review.marks = marks_to_words(timed, report.words)
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

        try:
            words, timing = read_answer(Path(path))
            report = analyze(words, question=self.chooser.question_id(),
                             level=self.chooser.level_id(), lens=self.chooser.lens_id(),
                             timing=timing, catalogue=self.library.catalogue())
        except KeyError as exc:  # unknown question/lens: the message is for people
            self.last_message = errors.show_known_error(
                self, ValueError(exc.args[0] if exc.args else str(exc)))
            return False
        except Exception as exc:
            if not errors.is_known(exc):
                raise
            self.last_message = errors.show_known_error(self, exc)
            return False
        self.review.set_report(report, question_text=self.chooser.question_text())
        self.review.set_audio(None)
        self.stack.setCurrentWidget(self.review)
        self.review.transcript.setFocus()
        self.statusBar().showMessage(f"Reviewing {Path(path).name}", 5000)
        self._update_actions()
        self.answerLoaded.emit(report)
        return True

    def _on_rerecord(self) -> None:
        qid = self.chooser.question_id() or ""
        self.show_practice()
        self.rerecordRequested.emit(qid)

    # ----------------------------------------------------------------- model, faults
    def offer_model(self, reason: str = "") -> None:
        """Offer base.en / small.en for download (with ``reason``, plain words: why no model
        can be used now), or a model folder the person copied."""
        from starcoach.desktop.practice.download import DownloadDialog
        from starcoach.desktop.practice.model import model_setting
        from starcoach.speech.models import UPGRADES

        wanted = model_setting(self.settings)
        index = UPGRADES.index(wanted) + 1 if wanted in UPGRADES else 0
        name = UPGRADES[min(index, len(UPGRADES) - 1)]
        dialog = DownloadDialog(name, self.settings, choices=UPGRADES, reason=reason,
                                parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.installed.connect(lambda _model: self._reload_model())
        self.last_dialog = dialog
        dialog.open()

    def _on_model_banner(self) -> None:
        practice = self.practice
        reason = practice.model_problem if practice.transcriber is None else ""
        if practice.loader.loading:
            reason = ""
        self.offer_model(reason)

    def _reload_model(self) -> None:
        if not self.practice.recording:
            self.practice.load_model()

    def ready_transcriber(self) -> Any:
        """The loaded speech model for work outside the practice screen (transcribing a kept
        recording, hearing a follow-up reply); ``None`` after saying why: still loading, or
        none installed (then the download is offered)."""
        practice = self.practice
        if practice.transcriber is None:
            if practice.loader.loading:
                self.show_problem("Speech model loading",
                                  "The speech model is still loading; try again in a moment.")
            else:
                self.offer_model(practice.model_problem)
        return practice.transcriber

    def show_problem(self, title: str, text: str, details: str = "") -> QMessageBox:
        """One plain line about something that could not be done (nothing is lost)."""
        self.last_message = errors.message_box(self, title, text, name="problem",
                                               details=details)
        return self.last_message

    def show_fault(self, fault) -> QMessageBox:
        self.last_message = errors.message_box(self, fault.title, fault.text,
                                               name=f"fault-{fault.kind}")
        return self.last_message

    def open_settings_dialog(self) -> None:
        from starcoach.desktop.practice.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog

        def accepted() -> None:
            changed = dialog.save()
            if "theme" in changed:
                self.set_theme(str(changed["theme"]))
            if ("model" in changed or "threads" in changed) and not self.practice.recording:
                self.practice.load_model()
            if "input_device" in changed:
                self.statusBar().showMessage("The new microphone is used from the next "
                                             "answer.", 5000)

        dialog.accepted.connect(accepted)
        dialog.open()

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
        self.theme_actions[theme].setChecked(True)
        apply_theme(theme)

    def _restore(self) -> None:
        s = self.settings.load()
        self.theme_actions[s.theme].setChecked(True)
        geometry = geometry_bytes(s.window_geometry)
        if geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(default_size(self.screen().availableGeometry().size()))
        self.chooser.select(s.question or "ownership-failure", s.level, s.lens)
        self.chooser.selectionChanged.connect(self._save_choice)

    def _save_choice(self) -> None:
        self.settings.remember(question=self.chooser.question_id(),
                               level=self.chooser.level_id(), lens=self.chooser.lens_id())

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
        self.practice.runner.shutdown(1.0)  # cancelled work never holds the window up
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
    from starcoach.desktop.practice.workers import wait_all

    wait_all()  # a model still loading finishes before Python tears Qt down
    return status


if __name__ == "__main__":
    sys.exit(run())
