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
from PySide6.QtWidgets import QMessageBox
from starcoach.desktop.bank import picker
from starcoach.desktop.bank.mock import MockLoop


class BankActions(QObject):
    mockFinished = Signal(object)  # MockSummary

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.loop: MockLoop | None = None
        self.last_dialog: Any = None
        self.importer: Any = None
        bar = window.menuBar()
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

        window.chooser.selectionChanged.connect(self.update_actions)
        window.practice.reportReady.connect(self._on_answer)
        window.review.next_button.clicked.connect(self.next_question)
        self.update_actions()

    # ----------------------------------------------------------------- state
    def update_actions(self) -> None:
        from starcoach.desktop.bank.model_answer import has_model_answer

        w = self.window
        idle = not w.practice.recording
        for a in (self.random_action, self.random_any_action, self.weakest_action,
                  self.mock_action, self.import_action):
            a.setEnabled(idle and self.loop is None)
        self.end_mock_action.setEnabled(self.loop is not None)
        self.model_answer_action.setEnabled(has_model_answer(w.chooser.question_id(),
                                                             w.chooser.catalogue))
        nxt = w.review.next_button
        nxt.setVisible(self.loop is not None)
        if self.loop is not None:
            nxt.setText(self.loop.next_label())
            answered = bool(self.loop.answers[self.loop.index].attempt_ids) \
                if not self.loop.done else True
            nxt.setEnabled(answered)

    # ----------------------------------------------------------------- picks
    def pick_random(self, any_principle: bool = False) -> str | None:
        qid = picker.pick_random(self.window.chooser, any_principle=any_principle)
        self.window.show_questions()
        return qid

    def show_weakest(self) -> picker.WeakestDialog:
        w = self.window
        dialog = picker.WeakestDialog(w.chooser.catalogue, w.practice.store.rule_failures(),
                                      parent=w, n=5)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda qid: (w.chooser.select(qid, w.chooser.level_id(),
                                                            w.chooser.lens_id()),
                                           w.show_questions()))
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def show_model_answer(self) -> Any:
        from starcoach.desktop.bank.model_answer import ModelAnswerDialog

        qid = self.window.chooser.question_id()
        dialog = ModelAnswerDialog(qid, self.window, self.window.chooser.catalogue)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def import_pack(self) -> Any:
        from starcoach.desktop.bank.import_dialog import PackImporter

        self.importer = PackImporter(self.window, self.window.chooser)
        self.importer.imported.connect(self._imported)
        return self.importer.start()

    def _imported(self, path: str, ids: list) -> None:
        w = self.window
        w.history.reload_catalogue()
        w.show_questions()
        n = len(ids)
        w.statusBar().showMessage(f"Imported {n} question{'s' if n != 1 else ''} from "
                                  f"{path}.", 8000)

    # ----------------------------------------------------------------- mock interview
    def show_mock_dialog(self) -> picker.MockDialog:
        dialog = picker.MockDialog(self.window, self.window.chooser.catalogue)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self.start_mock)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def start_mock(self, question_ids: list, minutes: int) -> None:
        self.loop = MockLoop(list(question_ids), minutes)
        self._ask_current()

    def _ask_current(self) -> None:
        w, loop = self.window, self.loop
        if loop is None or loop.current is None:
            return
        w.chooser.select(loop.current, w.chooser.level_id(), None)
        w.show_practice()
        n, of = loop.position
        w.practice.subtitle.setText(f"Mock interview: question {n} of {of} · about "
                                    f"{loop.minutes_per_answer:g} min per answer · "
                                    + w.practice.subtitle.text())
        self.update_actions()

    def _on_answer(self, report: Any, final: bool) -> None:
        session = self.window.practice.session
        loop = self.loop
        if loop is None or loop.done or not final or session is None \
                or session.attempt_id is None or session.question.id != loop.current:
            return
        loop.record(session.attempt_id, report.duration_s)
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
        box = QMessageBox(QMessageBox.Icon.Information, "Mock interview", summary.text()
                          + " Every answer is in History.", QMessageBox.StandardButton.Ok,
                          self.window)
        box.setObjectName("mock-summary")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = box
        box.open()
        self.mockFinished.emit(summary)
        return box
