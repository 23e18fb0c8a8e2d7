"""Window sizes from the font, never larger than the screen the window opens on."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME = QSize(40, 60)  # left for the window frame and a panel
DEFAULT_SIZE = QSize(1100, 720)  # the main window: every screen shows in full, nothing elided


def default_size(available: QSize) -> QSize:
    """The first window's size: ``DEFAULT_SIZE``, shrunk to fit the screen's free area
    (less a margin for the window frame)."""
    room = QSize(max(1, available.width() - FRAME.width()),
                 max(1, available.height() - FRAME.height()))
    return DEFAULT_SIZE.boundedTo(room)


def screen_room(widget: QWidget) -> QSize:
    """The free area of ``widget``'s screen (the primary one before it shows), less a frame."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    free = screen.availableGeometry().size() if screen is not None else QSize(1280, 800)
    return QSize(max(1, free.width() - FRAME.width()), max(1, free.height() - FRAME.height()))


def resize_in_ems(widget: QWidget, ems: float, lines: float) -> QSize:
    """Resize ``widget`` to ``ems`` widths of "M" by ``lines`` lines of its font, shrunk to
    fit its screen; returns the size given."""
    m = widget.fontMetrics()
    size = QSize(round(m.horizontalAdvance("M") * ems), round(m.lineSpacing() * lines))
    size = size.boundedTo(screen_room(widget))
    widget.resize(size)
    return size
