"""The first screen's lines about the speech model: which one hears you, what a speech model
does (it turns the spoken answer into the text the feedback reads), and the way to a more
accurate one ("Speech model: tiny.en (built in) — Get a more accurate model…")."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

UPGRADE_TEXT = "Get a more accurate model…"
NEEDED_TEXT = "Get a speech model…"
OTHER_TEXT = "Other speech models…"
WHAT_IT_DOES = ("The speech model turns your spoken answer into text, here on this computer; "
                "the timings and feedback are read from that text.")


def upgrade_note(name: str) -> str:
    """The second line: what a speech model is, and (for the built-in or a smaller model)
    which models on offer hear more accurately."""
    from starcoach.speech.models import UPGRADES

    if "built in" in name or name == "tiny.en":
        bigger, now = list(UPGRADES), "The built-in model is small and quick"
    elif name in UPGRADES:
        bigger, now = list(UPGRADES[UPGRADES.index(name) + 1:]), f"{name} is a good choice"
    else:
        bigger, now = [], ""
    if not bigger:
        return WHAT_IT_DOES
    return (f"{WHAT_IT_DOES} {now}; {' or '.join(bigger)} hears you more accurately "
            "(a one-time download).")


class ModelBanner(QWidget):
    """``upgradeRequested`` when the person asks for another model."""

    upgradeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("Speech model: loading…", self)
        self.label.setAccessibleName("Speech model in use")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setWordWrap(True)  # a large font wraps the line rather than widen the window
        self.button = QPushButton(UPGRADE_TEXT, self)
        self.button.setAccessibleName("Get a more accurate speech model")
        self.button.setFlat(True)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(self.upgradeRequested)
        self.button.setStyleSheet("QPushButton { color: palette(link); border: none; "
                                  "padding: 0; text-decoration: underline; }")
        self.note = QLabel(WHAT_IT_DOES, self)
        self.note.setAccessibleName("What the speech model does")
        self.note.setWordWrap(True)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.label, 1)
        self.row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(max(2, self.fontMetrics().lineSpacing() // 6))
        column.addLayout(self.row)
        column.addWidget(self.note)

    def text(self) -> str:
        """What the first line says, as one sentence (tests and screen readers)."""
        return f"{self.label.text()} — {self.button.text()}"

    def _say(self, text: str, note: str) -> None:
        self.label.setText(text)
        self.note.setText(note)
        self.setAccessibleDescription(f"{text} {note}")
        self.updateGeometry()
        node: QWidget | None = self
        while node is not None:  # lay the lines out for the new text now, not on an event
            if node.layout() is not None:
                node.layout().activate()
            node = node.parentWidget()

    def loading(self, name: str) -> None:
        self._say(f"Speech model: {name}, loading…", upgrade_note(name))
        self._button(UPGRADE_TEXT)

    def ready(self, name: str) -> None:
        from starcoach.speech.models import UPGRADES

        self._say(f"Speech model: {name}", upgrade_note(name))
        smaller = ("tiny.en", *UPGRADES[:-1])  # a more accurate one is on offer
        self._button(UPGRADE_TEXT if name in smaller or "built in" in name else OTHER_TEXT)

    def unavailable(self, message: str) -> None:
        self._say(f"Speech model: none usable. {message}",
                  "Without a speech model StarCoach cannot turn your spoken answer into "
                  "text; you can still open a written answer.")
        self._button(NEEDED_TEXT)

    def _button(self, text: str) -> None:
        self.button.setText(text)
        self.button.setAccessibleName(text.rstrip("…"))
