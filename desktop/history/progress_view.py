"""The "Progress for a question" panel: the progress chart and a "Since last time" list.

``set_attempts`` takes the question's stored attempts (any order; those without a report
are left out and counted) and shows each analysed attempt's section times against their
targets, findings and score, then what changed between the last two analysed attempts in
plain sentences. With fewer than two analysed attempts the list says so calmly.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget
from starcoach.desktop.attempts.progress import (
    ProgressSeries,
    SinceLastTime,
    latest_change,
    progress_series,
)
from starcoach.desktop.attempts.records import Attempt
from starcoach.desktop.history.chart import ProgressChart
from starcoach.rubric.pack_schema import Catalogue


class ProgressPanel(QWidget):
    """Chart and "Since last time" for one question's attempts."""

    attempt_chosen = Signal(int)  # attempt id the person opened from the chart

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Progress for this question")
        self.question_id: str | None = None
        self.series: ProgressSeries | None = None
        self.change: SinceLastTime | None = None

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Progress summary")
        self.chart = ProgressChart(self)
        self.chart.attempt_chosen.connect(self.attempt_chosen)
        self.since_heading = QLabel("Since last time")
        font = self.since_heading.font()
        font.setBold(True)
        self.since_heading.setFont(font)
        self.since_list = QListWidget()
        self.since_list.setAccessibleName("Since last time")
        self.since_list.setWordWrap(True)
        self.since_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.since_list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.since_heading.setBuddy(self.since_list)
        self.since_note = QLabel()
        self.since_note.setWordWrap(True)
        self.since_note.setAccessibleName("Since last time")

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 3)
        layout.addWidget(self.since_heading)
        layout.addWidget(self.since_note)
        layout.addWidget(self.since_list, 1)
        self.set_attempts(None, [])

    def set_attempts(self, question_id: str | None, attempts: Iterable[Attempt],
                     catalogue: Catalogue | None = None) -> None:
        """Show ``attempts`` of ``question_id`` (newest-first lists from the store are fine),
        timed against the targets in ``catalogue`` (none: the bundled packs')."""
        attempts = list(attempts)
        self.question_id = question_id
        self.series = progress_series(question_id, attempts, catalogue)
        self.change = latest_change(attempts, question_id, catalogue)
        self.chart.set_series(self.series)
        self.summary.setText(self._summary_text(self.series))
        self._show_change(len(self.series.points))

    @staticmethod
    def _summary_text(series: ProgressSeries) -> str:
        n = len(series.points)
        if n == 0:
            text = "No analysed attempts for this question yet."
        else:
            text = f"{n} analysed attempt{'' if n == 1 else 's'}, oldest on the left."
        if series.skipped:
            left = series.skipped
            text += (f" {left} attempt{' is' if left == 1 else 's are'} not transcribed yet "
                     "and left out.")
        return text

    def _show_change(self, analysed: int) -> None:
        self.since_list.clear()
        if self.change is None:
            if analysed == 0:
                note = "Once an answer to this question is analysed, progress shows here."
            else:
                note = ("One analysed attempt so far. Answer again to see what changed "
                        "since last time.")
            self.since_note.setText(note)
            self.since_note.show()
            self.since_list.hide()
            return
        self.since_note.hide()
        self.since_list.show()
        for sentence in self.change.sentences():
            item = QListWidgetItem(sentence)
            item.setToolTip(sentence)
            self.since_list.addItem(item)

    def sentences(self) -> list[str]:
        """What the "Since last time" area says, line by line (a note or the list)."""
        if self.since_list.isHidden():
            return [self.since_note.text()]
        return [self.since_list.item(k).text() for k in range(self.since_list.count())]
