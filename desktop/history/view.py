"""The history view: every kept attempt, searchable and filterable, with its notes.

Attempts are listed by date with question, Leadership Principle, length, verdict and the
number of findings; the filters (text, principle, question, period) run as SQL in the
store. The selected attempt can be opened in the review, transcribed (a recovered
recording), exported, annotated or deleted (after a confirmation). The "Progress" tab shows
how that question went across attempts. Question texts, principle names, progress targets
and exports come from the library it is given (the app's, ``AppState.library``; none: the
bundled packs), read again when the choice's catalogue changes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop.attempts.records import AttemptNotFound, AttemptSummary
from starcoach.desktop.errors import MessageBox
from starcoach.desktop.history.detail import AttemptDetail, describe
from starcoach.desktop.history.export_choice import ExportChoice
from starcoach.desktop.history.table import COLUMNS, ID_ROLE, AttemptTableModel
from starcoach.rubric.packs import PackLibrary

PERIODS = (("Any time", None), ("Today", 0), ("Last 7 days", 7), ("Last 30 days", 30))
PROGRESS_ATTEMPTS = 20  # the chart shows a question's latest attempts


class HistoryView(QWidget, ExportChoice):
    openRequested = Signal(int)  # attempt id: show it in the review
    transcribeRequested = Signal(int)  # attempt id: a recording without a transcript
    practiseRequested = Signal(str)  # question id
    changed = Signal()  # an attempt was deleted or its notes saved
    deleting = Signal(int)  # attempt id, just before it is deleted: stop its work first
    exported = Signal(str)  # the file written

    def __init__(self, store: Callable[[], Any], parent: QWidget | None = None,
                 library: PackLibrary | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("History")
        self._store = store
        self.library = library if library is not None else PackLibrary()
        self.last_message: QMessageBox | None = None
        self._progress_question: str | None = None
        self.skipped: list[str] = []  # damaged attempts the last refresh left out
        self.model = AttemptTableModel(parent=self)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search transcripts and notes")
        self.search.setAccessibleName("Search attempts")
        self.search.setClearButtonEnabled(True)
        self.principle = QComboBox(self)
        self.principle.setAccessibleName("Principle filter")
        self.question = QComboBox(self)
        self.question.setAccessibleName("Question filter")
        self.question.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.question.setMinimumContentsLength(16)
        # Long principle names ("Success and Scale Bring Broad Responsibility") show in the
        # open list; the closed box does not widen the window past the screen at large fonts.
        self.principle.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.principle.setMinimumContentsLength(12)
        self.reload_catalogue()
        self.period = QComboBox(self)
        self.period.setAccessibleName("Period filter")
        for text, days in PERIODS:
            self.period.addItem(text, days)
        self._refresh_timer = QTimer(self, singleShot=True, interval=150)
        self._refresh_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._refresh_timer.start())
        for combo in (self.principle, self.question, self.period):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Attempts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row size hints
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() + 8)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(40)  # column widths from the first rows, not all
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Question"), QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMNS.index("Notes"), QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._on_selected())
        # Enter or a double click (a single click where the platform activates on one)
        self.table.activated.connect(lambda _i: self.open_selected())
        self.empty = QLabel("No attempts yet. Answer a question and it is kept here, with its "
                            "recording, to replay and compare.", self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName("No attempts")
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self._build_detail()
        self._build_actions()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.principle, 1)
        filters.addWidget(self.question, 2)
        filters.addWidget(self.period, 0)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list_stack)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self.damage_note = QLabel(self)  # damaged attempts the list had to leave out
        self.damage_note.setObjectName("damage-note")
        self.damage_note.setWordWrap(True)
        self.damage_note.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.damage_note)
        layout.addWidget(splitter, 1)
        self._on_selected()

    # ----------------------------------------------------------------- building
    def _build_detail(self) -> None:
        from starcoach.desktop.history.progress_view import ProgressPanel

        self.detail = AttemptDetail(self)
        self.detail.openRequested.connect(self.openRequested)
        self.detail.transcribeRequested.connect(self.transcribeRequested)
        self.detail.practiseRequested.connect(self.practiseRequested)
        self.detail.exportRequested.connect(lambda i, fmt: self.choose_export(fmt))
        self.detail.deleteRequested.connect(lambda _i: self.confirm_delete())
        self.detail.notesEdited.connect(self._save_notes)
        self.progress = ProgressPanel(self)
        self.progress.attempt_chosen.connect(self.openRequested)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Attempt")
        self.tabs.addTab(self.detail, "Details")
        self.tabs.addTab(self.progress, "Progress on this question")
        self.tabs.currentChanged.connect(lambda _i: self._update_progress())

    def _build_actions(self) -> None:
        if sys.platform == "darwin":  # item views do not activate on Enter there
            self.open_action = QAction("Open in Review", self)
            self.open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return),
                                           QKeySequence(Qt.Key.Key_Enter)])
            self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.open_action.triggered.connect(self.open_selected)
            self.table.addAction(self.open_action)
        self.delete_action = QAction("Delete Attempt…", self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.confirm_delete)
        self.table.addAction(self.delete_action)
        find = QAction("Find", self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self.addAction(find)

    def reload_catalogue(self) -> None:
        """Question texts and principle names from the library's catalogue (again after a
        pack is imported), keeping the filters chosen."""
        cat = self.library.catalogue()
        self.model.question_text = {q.id: q.text for q in cat.questions.values()}
        self.model.principle_name = {p: v["name"] for p, v in cat.principles.items()}
        for combo, items, first in (
                (self.principle, [(v["name"], p) for p, v in cat.principles.items()],
                 "All principles"),
                (self.question, [(q.text, q.id) for q in cat.questions.values()],
                 "All questions")):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            combo.blockSignals(False)

    # ----------------------------------------------------------------- data
    @property
    def store(self) -> Any:
        return self._store()

    def filters(self) -> dict[str, Any]:
        days = self.period.currentData()
        since = None
        if days is not None:
            today = datetime.now().astimezone().replace(hour=0, minute=0, second=0,
                                                        microsecond=0)
            since = today - timedelta(days=int(days))
        return {"text": self.search.text().strip() or None,
                "principle": self.principle.currentData(),
                "question": self.question.currentData(), "since": since}

    def refresh(self, select_id: int | None = None) -> None:
        """Reload the list with the current filters, keeping (or moving to) a selection."""
        self.save_notes()
        keep = select_id if select_id is not None else self.selected_id()
        filters = self.filters()
        from starcoach.desktop.attempts.records import HistoryError

        try:
            store = self.store
            rows = store.list(**filters)
        except (HistoryError, sqlite3.DatabaseError) as exc:
            from starcoach.desktop.history.controller import history_unavailable

            self.model.set_rows([])
            self.empty.setText(history_unavailable(exc))
            self.list_stack.setCurrentWidget(self.empty)
            self.select_row(-1)
            return
        self.skipped = list(getattr(store, "skipped", []))
        self.damage_note.setVisible(bool(self.skipped))
        if self.skipped:
            from starcoach.desktop.errors import log

            log.warning("history: damaged attempts left out: %s", "; ".join(self.skipped))
            n = len(self.skipped)
            self.damage_note.setText(
                (f"{n} damaged attempts are" if n > 1 else "1 damaged attempt is")
                + " not listed: " + "; ".join(self.skipped[:3]) + ("; …" if n > 3 else "")
                + ". Nothing was deleted.")
        self._progress_question = None  # new or changed attempts: draw it again
        self.model.set_rows(rows)
        filtered = any(v for v in filters.values())
        self.empty.setText("No attempt matches these filters." if filtered else
                           "No attempts yet. Answer a question and it is kept here, with "
                           "its recording, to replay and compare.")
        self.list_stack.setCurrentWidget(self.table if rows else self.empty)
        row = self.model.row_of(keep) if keep is not None else -1
        self.select_row(max(row, 0) if rows else -1)

    def select_row(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            self.table.clearSelection()
            self.table.setCurrentIndex(self.model.index(-1, -1))
            self._on_selected()
            return
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def select_attempt(self, attempt_id: int) -> bool:
        row = self.model.row_of(attempt_id)
        if row < 0:
            return False
        self.select_row(row)
        return True

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = self.model.data(index, ID_ROLE)
        return int(value) if value is not None else None

    def selected(self) -> AttemptSummary | None:
        attempt_id = self.selected_id()
        row = self.model.row_of(attempt_id) if attempt_id is not None else -1
        return self.model.rows[row] if row >= 0 else None

    # ----------------------------------------------------------------- detail
    def _on_selected(self) -> None:
        s = self.selected()
        text = ""
        if s is not None:
            text = self.model.question_text.get(s.question or "", s.question
                                                or "Answer without a question")
        self.detail.show_summary(s, text)
        self._update_progress()

    def _update_progress(self) -> None:
        if self.tabs.currentWidget() is not self.progress:
            return
        s = self.selected()
        question = s.question if s is not None else None
        if question == self._progress_question:
            return
        self._progress_question = question
        from starcoach.desktop.attempts.progress import load_attempts

        attempts = load_attempts(self.store, question, PROGRESS_ATTEMPTS) if question else []
        self.progress.set_attempts(question, attempts, self.library.catalogue())

    # ----------------------------------------------------------------- notes
    def _save_notes(self, attempt_id: int, text: str) -> None:
        try:
            self.store.set_notes(attempt_id, text)
        except AttemptNotFound:
            return
        row = self.model.row_of(attempt_id)
        if row >= 0:
            self.model.rows[row] = replace(self.model.rows[row], notes=text)
            index = self.model.index(row, COLUMNS.index("Notes"))
            self.model.dataChanged.emit(index, index)
        self.changed.emit()

    def save_notes(self) -> None:
        """Store notes still being typed (before the list reloads or the view hides)."""
        self.detail.flush_notes()

    # ----------------------------------------------------------------- actions
    def open_selected(self) -> None:
        s = self.selected()
        if s is None:
            return
        if s.status == "analysed":
            self.openRequested.emit(s.id)
        elif s.status in ("recorded", "recovered"):
            self.transcribeRequested.emit(s.id)

    def confirm_delete(self) -> QMessageBox | None:
        """Ask first; the attempt and its recording go only on "Delete"."""
        s = self.selected()
        if s is None:
            return None
        box = MessageBox(QMessageBox.Icon.Warning, "Delete attempt",
                          f"Delete the attempt of {describe(s).split(' · ')[0]} and its "
                          "recording? This cannot be undone.",
                          QMessageBox.StandardButton.Cancel, self)
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("confirm-delete")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        attempt_id = s.id

        def done() -> None:
            if box.clickedButton() is delete:
                self.delete(attempt_id)

        box.finished.connect(lambda _r: done())
        self.last_message = box
        box.open()
        return box

    def delete(self, attempt_id: int) -> None:
        row = self.model.row_of(attempt_id)
        self.deleting.emit(attempt_id)
        with contextlib.suppress(AttemptNotFound):
            self.store.delete(attempt_id)
        self._progress_question = None
        self.refresh()
        self.select_row(min(max(row, 0), self.model.rowCount() - 1))
        self.changed.emit()
