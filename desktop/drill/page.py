"""The drill's probe page: the interviewer's question large, the reply controls, and the
panel that shows how the reply landed (the screen wires them; this only lays them out)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from starcoach.desktop import style
from starcoach.desktop.drill.result import ReplyPanel
from starcoach.desktop.practice.meter import LevelMeter


class ProbePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Follow-up question")
        self.back_button = QPushButton("← Review", self)
        self.back_button.setAccessibleName("Back to the review")
        self.counter = QLabel(self)
        self.counter.setAccessibleName("Follow-up number")
        self.finish_button = QPushButton("Finish (F)", self)
        self.finish_button.setAccessibleName("Finish the follow-ups")
        self.probe = QLabel(self)
        self.probe.setWordWrap(True)
        self.probe.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.probe.setAccessibleName("Interviewer's question")
        self.probe.setFont(style.scaled_font(self.font(), 1.6, bold=True))
        self.elapsed = QLabel("0:00", self)
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.elapsed.setAccessibleName("Elapsed time")
        self.elapsed.setFont(style.scaled_font(self.font(), 1.8))
        self.meter = LevelMeter(self)
        self.record_button = QPushButton("Answer (Space)", self)
        self.record_button.setAccessibleName("Start or stop your reply")
        self.record_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to the screen
        self.repeat_button = QPushButton("Read it again (R)", self)
        self.repeat_button.setAccessibleName("Read the question aloud again")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setAccessibleName("Follow-up status")
        self.panel = ReplyPanel(self)
        self.panel.hide()
        self.next_button = QPushButton("Skip (N)", self)
        self.next_button.setAccessibleName("Next follow-up")

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        top.addWidget(self.counter)
        top.addStretch(1)
        top.addWidget(self.finish_button)
        meter_row = QHBoxLayout()
        meter_row.addStretch(1)
        meter_row.addWidget(self.meter, 2)
        meter_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.repeat_button)
        buttons.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addStretch(1)
        layout.addWidget(self.probe)
        layout.addSpacing(self.fontMetrics().lineSpacing())
        layout.addWidget(self.elapsed)
        layout.addLayout(meter_row)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.panel, 4)
        layout.addStretch(1)
        layout.addLayout(bottom)

