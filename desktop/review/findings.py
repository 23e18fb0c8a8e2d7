"""The findings list: every finding in spoken order with its severity, title and section,
plus a details pane for the selected one (what was heard, why it costs, what to say)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop import style, wording
from starcoach.rubric.clock import clock
from starcoach.rubric.model import Report

INDEX_ROLE = Qt.ItemDataRole.UserRole


class FindingsPanel(QWidget):
    """Sorted by time; ``findingSelected`` carries the index into ``report.findings``."""

    findingSelected = Signal(int)  # -1 when the selection is cleared

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: Report | None = None
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Findings")
        self.tree.setAccessibleDescription("Feedback on your answer in spoken order. "
                                           "Selecting one highlights its words.")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Time", "Severity", "Finding", "Section"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._on_current)

        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details.setAccessibleName("Selected finding")
        self.details.setSizePolicy(QSizePolicy.Policy.Preferred,
                                   QSizePolicy.Policy.MinimumExpanding)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details_area = QScrollArea(self)
        self.details_area.setWidget(self.details)
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)

        caption = QLabel("&Findings", self)
        caption.setBuddy(self.tree)
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caption)
        layout.addWidget(self.tree, 3)
        layout.addWidget(self.details_area, 2)
        self._show_details(-1)

    def set_report(self, report: Report) -> None:
        self.report = report
        self.tree.blockSignals(True)
        self.tree.clear()
        order = sorted(range(len(report.findings)),
                       key=lambda k: (report.findings[k].start_s,
                                      -style.SEVERITY_RANK.get(report.findings[k].severity, 0)))
        for k in order:
            f = report.findings[k]
            severity = style.SEVERITY_NAMES.get(f.severity, f.severity)
            title = wording.rule_title(f.rule)
            item = QTreeWidgetItem([clock(f.start_s), severity, title,
                                    wording.section_name(f.section)])
            item.setData(0, INDEX_ROLE, k)
            item.setIcon(1, style.severity_icon(f.severity, self))
            item.setToolTip(2, f.message)
            for col in range(4):
                item.setData(col, Qt.ItemDataRole.AccessibleTextRole,
                             f"{severity}: {title}, {wording.section_name(f.section)}, "
                             f"at {clock(f.start_s)}")
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        self._show_details(-1)

    def item_for(self, index: int) -> QTreeWidgetItem | None:
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item.data(0, INDEX_ROLE) == index:
                return item
        return None

    def select_finding(self, index: int) -> None:
        """Select finding ``index`` (emits ``findingSelected`` if it changes)."""
        item = self.item_for(index)
        if item is None:
            self.tree.setCurrentItem(None)  # type: ignore[arg-type]
            self.tree.clearSelection()
            return
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)

    def selected_finding(self) -> int:
        item = self.tree.currentItem()
        return -1 if item is None else int(item.data(0, INDEX_ROLE))

    def row_order(self) -> list[int]:
        """Finding indices in displayed order."""
        return [int(self.tree.topLevelItem(r).data(0, INDEX_ROLE))
                for r in range(self.tree.topLevelItemCount())]

    def _on_current(self, current: QTreeWidgetItem | None, _previous) -> None:
        index = -1 if current is None else int(current.data(0, INDEX_ROLE))
        self._show_details(index)
        self.findingSelected.emit(index)

    def _show_details(self, index: int) -> None:
        if self.report is None or not 0 <= index < len(self.report.findings):
            count = len(self.report.findings) if self.report else 0
            self.details.setText(
                "No feedback on this answer." if self.report and not count else
                "Select a finding, or click underlined words in the transcript, to see "
                "what was heard, why it costs and what to say instead.")
            return
        f = self.report.findings[index]
        heard = (f"<p><b>Heard</b> ({clock(f.start_s)}): “{html.escape(f.heard)}”</p>"
                 if f.heard else "")
        self.details.setText(
            f"<p><b>{html.escape(wording.rule_title(f.rule))}</b> · "
            f"{style.SEVERITY_NAMES.get(f.severity, f.severity)} · "
            f"{wording.section_name(f.section)}</p>{heard}"
            f"<p><b>Why it costs:</b> {html.escape(f.message)}</p>"
            f"<p><b>Stronger:</b> {html.escape(f.suggestion)}</p>")
