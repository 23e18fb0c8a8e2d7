"""The selected attempt in the history: what it was, what can be done with it, its notes.

Only presents and asks: the history view does the store work on its signals. Notes are
handed over (``notesEdited``) a moment after typing stops and whenever the selection moves.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop import wording
from starcoach.desktop.attempts.records import AttemptSummary
from starcoach.desktop.history.table import STATUS_TEXT, local_time
from starcoach.rubric.clock import clock

EXPORTS = (("pdf", "PDF report"), ("html", "HTML report"), ("md", "Markdown report"),
           ("flac", "Audio (FLAC)"))
NOTES_SAVE_MS = 600


def describe(s: AttemptSummary) -> str:
    """One line about an attempt: when, how long, the verdict and findings, level, model."""
    when = local_time(s.started_at)
    parts = [f"{when:%A} {wording.local_datetime(when)}" if when else "Unknown date",
             f"{clock(s.duration_s)} long"]
    if s.status == "analysed":
        parts.append(s.verdict or "no verdict")
        n = s.finding_count or 0
        parts.append(f"{n} finding{'s' if n != 1 else ''}")
    else:
        parts.append(STATUS_TEXT.get(s.status, s.status))
    parts.append(wording.level_name(s.level)
                 + (f", {wording.lens_name(s.lens)} lens" if s.lens else ""))
    if s.model:
        parts.append(f"speech model {wording.model_name(s.model)}")
    return " · ".join(parts)


class AttemptDetail(QWidget):
    openRequested = Signal(int)
    transcribeRequested = Signal(int)
    practiseRequested = Signal(str)  # question id
    exportRequested = Signal(int, str)  # attempt id, format
    deleteRequested = Signal(int)
    notesEdited = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary: AttemptSummary | None = None
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Attempt question")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("Attempt details")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        def button(text: str, name: str, tip: str, slot) -> QPushButton:
            b = QPushButton(text, self)
            b.setAccessibleName(name)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            return b

        self.open_button = button("&Open in review", "Open in review",
                                  "Replay it with the transcript following along (Enter)",
                                  lambda: self._emit(self.openRequested))
        self.transcribe_button = button(
            "&Transcribe recording", "Transcribe recording",
            "This recording has no transcript yet (it was recovered after StarCoach "
            "stopped, or never finished): transcribe and review it now",
            lambda: self._emit(self.transcribeRequested))
        self.practise_button = button("&Practise again", "Practise this question again",
                                      "Answer the same question again",
                                      self._practise)
        self.export_button = QPushButton("&Export", self)
        self.export_button.setAccessibleName("Export")
        menu = QMenu(self.export_button)
        self.export_actions = {}
        for fmt, text in EXPORTS:
            action = menu.addAction(text + "…")
            action.setObjectName(f"export-{fmt}")
            action.triggered.connect(lambda _=False, f=fmt: self._export(f))
            self.export_actions[fmt] = action
        self.export_button.setMenu(menu)
        self.delete_button = button("&Delete…", "Delete attempt",
                                    "Delete this attempt and its recording (Delete)",
                                    lambda: self._emit(self.deleteRequested))
        self.notes = QPlainTextEdit(self)
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("Notes for this attempt: what to change next time…")
        self.notes.setTabChangesFocus(True)
        self._notes_timer = QTimer(self, singleShot=True, interval=NOTES_SAVE_MS)
        self._notes_timer.timeout.connect(self.flush_notes)
        self.notes.textChanged.connect(self._notes_timer.start)

        col = QVBoxLayout(self)
        col.addWidget(self.title)
        col.addWidget(self.facts)
        buttons = QHBoxLayout()
        for b in (self.open_button, self.transcribe_button, self.practise_button,
                  self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        col.addLayout(buttons)
        notes_label = QLabel("&Notes", self)
        notes_label.setBuddy(self.notes)
        col.addWidget(notes_label)
        col.addWidget(self.notes, 1)
        self.show_summary(None, "")

    def show_summary(self, s: AttemptSummary | None, question_text: str) -> None:
        """Show attempt ``s`` (``None``: nothing selected); pending notes are handed over
        first."""
        self.flush_notes()
        self.summary = s
        analysed = s is not None and s.status == "analysed"
        for w in (self.practise_button, self.export_button, self.delete_button, self.notes):
            w.setEnabled(s is not None)
        self.practise_button.setEnabled(s is not None and bool(s.question))
        self.transcribe_button.setVisible(s is not None and s.status in ("recorded",
                                                                         "recovered"))
        self.open_button.setVisible(not self.transcribe_button.isVisibleTo(self))
        self.open_button.setEnabled(analysed)
        for fmt in ("pdf", "html", "md"):
            self.export_actions[fmt].setEnabled(analysed)
        self.notes.blockSignals(True)
        self.notes.setPlainText(s.notes if s is not None else "")
        self.notes.blockSignals(False)
        self.title.setText(question_text if s is not None else "")
        self.facts.setText(describe(s) if s is not None else "")

    def flush_notes(self) -> None:
        self._notes_timer.stop()
        s = self.summary
        if s is not None and self.notes.toPlainText() != s.notes:
            text = self.notes.toPlainText()
            from dataclasses import replace

            self.summary = replace(s, notes=text)
            self.notesEdited.emit(s.id, text)

    # ----------------------------------------------------------------- internals
    def _emit(self, signal) -> None:
        if self.summary is not None:
            signal.emit(self.summary.id)

    def _practise(self) -> None:
        if self.summary is not None and self.summary.question:
            self.practiseRequested.emit(self.summary.question)

    def _export(self, fmt: str) -> None:
        if self.summary is not None:
            self.exportRequested.emit(self.summary.id, fmt)

    def hideEvent(self, event) -> None:
        self.flush_notes()
        super().hideEvent(event)
