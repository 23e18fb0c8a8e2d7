"""The history list as a Qt table model: one row per attempt, newest first.

Rows are the store's cheap :class:`AttemptSummary` records (no words, no report), so a
thousand attempts list in milliseconds. The model sorts itself (no proxy): dates,
durations and scores sort as values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from starcoach.desktop.attempts.records import AttemptSummary
from starcoach.rubric.clock import clock

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Date", "Question", "Principle", "Length", "Verdict", "Findings", "Notes")
STATUS_TEXT = {
    "recording": "Recording…",
    "recorded": "Not analysed yet",
    "recovered": "Recovered: not transcribed",
}

_Index = QModelIndex | QPersistentModelIndex


def local_time(started_at: str) -> datetime | None:
    try:
        return datetime.fromisoformat(started_at).astimezone()
    except (ValueError, OverflowError, OSError):  # not a date, or one the clock cannot show
        return None




class AttemptTableModel(QAbstractTableModel):
    """Attempt summaries for a ``QTableView``; ``question_text`` and ``principle_name``
    turn ids into what people read."""

    def __init__(self, question_text: dict[str, str] | None = None,
                 principle_name: dict[str, str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[AttemptSummary] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.question_text = question_text or {}
        self.principle_name = principle_name or {}

    def set_rows(self, rows: list[AttemptSummary]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python by each column's value (dates, seconds, scores as numbers): a
        thousand rows sort in about a millisecond, with no per-cell calls through Qt."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()  # the view's current row and selection
        ids = [self.rows[i.row()].id if i.isValid() else None for i in before]
        self._sort = (column, order)
        self._sort_rows(column, order)
        self.changePersistentIndexList(
            before, [self.index(self.row_of(i), old.column()) if i is not None
                     else QModelIndex() for old, i in zip(before, ids, strict=True)])
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        name = COLUMNS[column]

        def key(r: AttemptSummary) -> Any:
            value = self._sort_key(r, name)
            return (value is None, value if value is not None
                    else self._display(r, name).casefold(), r.id)

        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def row_of(self, attempt_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == attempt_id), -1)

    # ----------------------------------------------------------------- model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "Question":
                return self.question_text.get(r.question or "", r.question or "")
            if column == "Notes" and r.notes:
                return r.notes
            if column == "Verdict" and r.status != "analysed":
                return "Open it to transcribe the recording and see its review."
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("Length", "Findings"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, r: AttemptSummary, column: str) -> str:
        if column == "Date":
            from starcoach.desktop.wording import local_datetime

            return local_datetime(r.started_at) or "Unknown date"
        if column == "Question":
            return self.question_text.get(r.question or "", r.question or "(no question)")
        if column == "Principle":
            return self.principle_name.get(r.principle or "", r.principle or "")
        if column == "Length":
            return clock(r.duration_s)
        if column == "Verdict":
            return r.verdict or STATUS_TEXT.get(r.status, r.status)
        if column == "Findings":
            return "" if r.finding_count is None else str(r.finding_count)
        return r.notes.splitlines()[0] if r.notes else ""

    @staticmethod
    def _sort_key(r: AttemptSummary, column: str) -> Any:
        if column == "Date":
            return r.started_at
        if column == "Length":
            return r.duration_s
        if column == "Findings":
            return -1 if r.finding_count is None else r.finding_count
        if column == "Verdict":
            return -1 if r.overall is None else r.overall
        return None
