"""The end of a drill: each probe's outcome, and how the main answer's rating moved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop import style
from starcoach.desktop.drill.progress import DrillProgress


class DrillSummary(QWidget):
    backRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Follow-up summary")
        self.title = QLabel("How the follow-ups went", self)
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.rating = QLabel(self)
        self.rating.setWordWrap(True)
        self.rating.setAccessibleName("Rating after the follow-ups")
        self.rating.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.items = QListWidget(self)
        self.items.setAccessibleName("Each follow-up and how your reply did")
        self.items.setWordWrap(True)
        self.items.setSpacing(max(2, self.fontMetrics().height() // 4))
        self.back_button = QPushButton("Back to the &review", self)
        self.back_button.setAccessibleName("Back to the review")
        self.back_button.clicked.connect(self.backRequested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.rating)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)

    def set_progress(self, progress: DrillProgress) -> None:
        scores = progress.scores()
        self.rating.setText(progress.rating_change())
        moved = bool(scores.get("followup_effect"))
        ink = style.severity_color("major", self.palette()).name() if moved else ""
        self.rating.setStyleSheet(f"color: {ink}; font-weight: bold;" if moved else "")
        self.rating.setProperty("moved", moved)
        self.items.clear()
        for outcome in progress.outcomes:
            line = f"{outcome.label}: “{outcome.followup.probe}”"
            if outcome.result is not None and outcome.result.weak:
                line += f"\n{outcome.followup.why_weak}"
            item = QListWidgetItem(line, self.items)
            item.setData(Qt.ItemDataRole.UserRole, outcome.followup.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, line)
