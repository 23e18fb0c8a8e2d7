"""The first screen's line about the speech model: which one hears you, and the way to a
more accurate one ("Speech model: tiny.en (built in) — Get a more accurate model…")."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

UPGRADE_TEXT = "Get a more accurate model…"
NEEDED_TEXT = "Get a speech model…"
OTHER_TEXT = "Other speech models…"


class ModelBanner(QWidget):
    """``upgradeRequested`` when the person asks for another model."""

    upgradeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("Speech model: loading…", self)
        self.label.setAccessibleName("Speech model in use")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(UPGRADE_TEXT, self)
        self.button.setAccessibleName("Get a more accurate speech model")
        self.button.setFlat(True)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(self.upgradeRequested)
        self.button.setStyleSheet("QPushButton { color: palette(link); border: none; "
                                  "padding: 0; text-decoration: underline; }")
        self.dash = QLabel("—", self)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.label)
        self.row.addWidget(self.dash)
        self.row.addWidget(self.button)
        self.row.addStretch(1)

    def text(self) -> str:
        """What the line says, as one sentence (tests and screen readers)."""
        return f"{self.label.text()} — {self.button.text()}"

    def _say(self, text: str, *, long: bool = False) -> None:
        """One line; a long message wraps and takes the width instead."""
        self.label.setWordWrap(long)
        self.row.setStretchFactor(self.label, 1 if long else 0)
        self.label.setText(text)
        self.row.activate()  # lay the line out for the new text now, not on a later event

    def loading(self, name: str) -> None:
        self._say(f"Speech model: {name}, loading…")
        self._button(UPGRADE_TEXT)

    def ready(self, name: str) -> None:
        from starcoach.speech.models import UPGRADES

        self._say(f"Speech model: {name}")
        smaller = ("tiny.en", *UPGRADES[:-1])  # a more accurate one is on offer
        self._button(UPGRADE_TEXT if name in smaller or "built in" in name else OTHER_TEXT)

    def unavailable(self, message: str) -> None:
        self._say(f"Speech model: none usable. {message}", long=True)
        self._button(NEEDED_TEXT)

    def _button(self, text: str) -> None:
        self.button.setText(text)
        self.button.setAccessibleName(text.rstrip("…"))
