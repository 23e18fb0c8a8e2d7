"""The Questions menu: what to practise next (random, weakest area, a timed mock interview),
the model answer, and importing one's own pack. It also drives a mock interview across the
practice and review screens: "Next question (2 of 5)" after each answer, a summary at the
end.

Only wiring: the dialogs are in ``picker``, ``model_answer`` and ``import_dialog``, the loop's
state in ``mock``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenuBar, QMessageBox, QPushButton, QStatusBar, QWidget
from starcoach.desktop.bank import picker
from starcoach.desktop.bank.mock import MockLoop
from starcoach.desktop.errors import message_box
from starcoach.desktop.shell import Pages
from starcoach.desktop.state.app import AppState
from starcoach.rubric.model import Report


class BankActions(QObject):
    """The Questions menu on ``bar`` (dialogs over ``parent``). It changes ``state``'s
    choice, reads the attempt in progress, shows ``pages``; during a mock interview it
    words ``practice_subtitle`` and drives the review's ``next_button``."""

    mockFinished = Signal(object)  # MockSummary

    def __init__(self, bar: QMenuBar, parent: QWidget, state: AppState, pages: Pages, *,
                 practice_subtitle: QLabel, next_button: QPushButton,
                 status: QStatusBar) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.state, self.choice, self.pages = state, state.choice, pages
        self.practice_subtitle, self.next_button, self.status = (practice_subtitle,
                                                                next_button, status)
        self.loop: MockLoop | None = None
        self.last_dialog: Any = None
        self.importer: Any = None
        menus = [a for a in bar.actions() if a.menu() is not None]
        menu = bar.addMenu("&Questions")
        if len(menus) > 1:  # after File, before View
            bar.insertMenu(menus[1], menu)
        self.menu = menu

        def action(text: str, slot, shortcut: str | None = None, tip: str = "") -> QAction:
            a = QAction(text, self)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            a.setToolTip(tip)
            a.setStatusTip(tip)
            a.triggered.connect(lambda _=False: slot())
            menu.addAction(a)
            return a

        self.random_action = action("&Random Question", self.pick_random, "Ctrl+Shift+R",
                                    "Another question on the same Leadership Principle")
        self.random_any_action = action("Random Question, &Any Principle",
                                        lambda: self.pick_random(any_principle=True))
        self.weakest_action = action("&Weakest Area…", self.show_weakest, "Ctrl+Shift+W",
                                     "Questions aimed at the feedback that came up most")
        menu.addSeparator()
        self.mock_action = action("&Mock Interview…", self.show_mock_dialog, "Ctrl+Shift+M",
                                  "Several questions in a row, each timed")
        self.end_mock_action = action("&End Mock Interview", self.finish_mock)
        menu.addSeparator()
        self.model_answer_action = action("&Model Answer", self.show_model_answer,
                                          "Ctrl+Shift+A", "A strong answer to this question, "
                                          "with its section timings")
        menu.addSeparator()
        self.import_action = action("&Import Question Pack…", self.import_pack, None,
                                    "Add your own questions from a pack file (.toml)")

        self.choice.changed.connect(self.update_actions)
        state.practice.recording_changed.connect(lambda _on: self.update_actions())
        state.practice.answered.connect(self._on_answer)
        next_button.clicked.connect(self.next_question)
        self.update_actions()

    # ----------------------------------------------------------------- state
    def update_actions(self) -> None:
        from starcoach.desktop.bank.model_answer import has_model_answer

        idle = not self.state.practice.recording
        for a in (self.random_action, self.random_any_action, self.weakest_action,
                  self.mock_action, self.import_action):
            a.setEnabled(idle and self.loop is None)
        self.end_mock_action.setEnabled(self.loop is not None)
        self.model_answer_action.setEnabled(has_model_answer(self.choice.question_id(),
                                                             self.choice.catalogue))
        nxt = self.next_button
        nxt.setVisible(self.loop is not None)
        if self.loop is not None:
            nxt.setText(self.loop.next_label())
            answered = bool(self.loop.answers[self.loop.index].attempt_ids) \
                if not self.loop.done else True
            nxt.setEnabled(answered)

    # ----------------------------------------------------------------- picks
    def pick_random(self, any_principle: bool = False) -> str | None:
        qid = picker.pick_random(self.choice, any_principle=any_principle)
        self.pages.show_questions()
        return qid

    def show_weakest(self) -> picker.WeakestDialog:
        c = self.choice
        dialog = picker.WeakestDialog(c.catalogue, self.state.store.rule_failures(),
                                      parent=self.parent_widget, n=5)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda qid: (c.select(qid, c.level_id(), c.lens_id()),
                                           self.pages.show_questions()))
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def show_model_answer(self) -> Any:
        from starcoach.desktop.bank.model_answer import ModelAnswerDialog

        qid = self.choice.question_id()
        dialog = ModelAnswerDialog(qid, self.parent_widget, self.choice.catalogue)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def import_pack(self) -> Any:
        from starcoach.desktop.bank.import_dialog import PackImporter

        self.importer = PackImporter(self.parent_widget, self.choice)
        self.importer.imported.connect(self._imported)
        return self.importer.start()

    def _imported(self, path: str, ids: list) -> None:
        self.pages.show_questions()  # the catalogue's observers have the new questions
        n = len(ids)
        self.status.showMessage(f"Imported {n} question{'s' if n != 1 else ''} from "
                                  f"{path}.", 8000)

    # ----------------------------------------------------------------- mock interview
    def show_mock_dialog(self) -> picker.MockDialog:
        dialog = picker.MockDialog(self.parent_widget, self.choice.catalogue)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self.start_mock)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def start_mock(self, question_ids: list, minutes: int) -> None:
        self.loop = MockLoop(list(question_ids), minutes)
        self._ask_current()

    def _ask_current(self) -> None:
        loop = self.loop
        if loop is None or loop.current is None:
            return
        self.choice.select(loop.current, self.choice.level_id(), None)
        self.pages.show_practice()
        n, of = loop.position
        subtitle = self.practice_subtitle
        subtitle.setText(f"Mock interview: question {n} of {of} · about "
                         f"{loop.minutes_per_answer:g} min per answer · " + subtitle.text())
        self.update_actions()

    def _on_answer(self, report: Report, final: bool) -> None:
        attempt = self.state.practice.attempt
        loop = self.loop
        if loop is None or loop.done or not final or attempt is None \
                or attempt.attempt_id is None or attempt.question.id != loop.current:
            return
        loop.record(attempt.attempt_id, report.duration_s)
        self.update_actions()

    def next_question(self) -> None:
        if self.loop is None:
            return
        if self.loop.next() is None:
            self.finish_mock()
        else:
            self._ask_current()

    def finish_mock(self) -> QMessageBox | None:
        loop, self.loop = self.loop, None
        self.update_actions()
        if loop is None:
            return None
        loop.stop()
        summary = loop.summary()
        box = message_box(self.parent_widget, "Mock interview",
                          summary.text() + " Every answer is in History.",
                          name="mock-summary", icon=QMessageBox.Icon.Information)
        self.last_dialog = box
        self.mockFinished.emit(summary)
        return box
