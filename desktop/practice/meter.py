"""A quiet input level meter: a bar from -60 dBFS to 0, drawn from the palette."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DB = -60.0


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Input level")
        self.setToolTip("Microphone input level")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.db = -120.0

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("M") * 20,
                     max(8, self.fontMetrics().height() // 2))

    @property
    def fraction(self) -> float:
        return min(1.0, max(0.0, (self.db - FLOOR_DB) / -FLOOR_DB))

    def set_level(self, db: float) -> None:
        if abs(db - self.db) >= 0.5:
            self.db = db
            self.setAccessibleDescription(f"{round(max(db, -120))} dB")
            self.update()

    def reset(self) -> None:
        self.db = -120.0
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = rect.height() / 2
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(pal.color(QPalette.ColorRole.Mid))
        p.drawRoundedRect(rect, radius, radius)
        if self.fraction > 0:
            fill = QRectF(rect)
            fill.setWidth(max(rect.height(), rect.width() * self.fraction))
            color = QColor("#2E9E5B") if self.db < -3 else QColor("#D08A00")
            p.setBrush(color)
            p.drawRoundedRect(fill, radius, radius)
        p.end()
