"""Checks that a shown window fits its text: every label as tall as its wrapped text needs
(no clipped first line), as wide as an unwrapped one, buttons wide enough for their
words, and no two labels overlapping. Used with a large application font."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QWidget,
)

BIG_POINTS = 20


@contextmanager
def big_font(points: int = BIG_POINTS) -> Iterator[QFont]:
    """The application font at ``points`` while the block runs (widgets made inside it
    take it), then the previous font again."""
    app = QApplication.instance()
    before = QFont(app.font())
    font = QFont(before)
    font.setPointSize(points)
    app.setFont(font)
    try:
        yield font
    finally:
        app.setFont(before)


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.width() > 0 and not widget.isHidden()


def _rect_in(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())


def _clip_rect(widget: QWidget, top: QWidget) -> QRect:
    """What of ``widget`` shows through its ancestors (a scroll area clips on purpose)."""
    rect = _rect_in(widget, top)
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        rect = rect.intersected(_rect_in(parent, top))
        parent = parent.parentWidget()
    return rect.intersected(top.rect())


def _scrolled(widget: QWidget, top: QWidget) -> bool:
    """Inside a scroll area: what does not show is reached by scrolling, not cut."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def layout_problems(top: QWidget) -> list[str]:
    """Every way ``top``'s labels and buttons fail to fit their text (empty: all fit)."""
    problems: list[str] = []
    labels = [w for w in top.findChildren(QLabel) if _shown(w, top) and w.text().strip()]
    for label in labels:
        name = f"{type(label).__name__} {label.text()[:50]!r}"
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if label.height() + 1 < need:
                problems.append(f"{name}: {label.height()} px high, its text needs {need}")
        else:
            hint = label.sizeHint()
            if label.width() + 1 < hint.width():
                problems.append(f"{name}: {label.width()} px wide, its text needs "
                                f"{hint.width()}")
            if label.height() + 1 < label.fontMetrics().height():
                problems.append(f"{name}: {label.height()} px high, a line needs "
                                f"{label.fontMetrics().height()}")
        if not _scrolled(label, top) and _clip_rect(label, top).height() + 1 < min(
                label.height(), label.fontMetrics().height()):
            problems.append(f"{name}: cut off by the window")
    for button in top.findChildren(QAbstractButton):
        if not _shown(button, top) or not button.text():
            continue
        need = button.fontMetrics().horizontalAdvance(button.text().replace("&", ""))
        if button.width() < need:
            problems.append(f"button {button.text()!r}: {button.width()} px wide, its "
                            f"words need {need}")
    rects = [(label, _clip_rect(label, top)) for label in labels]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            overlap = ra.intersected(rb)
            if overlap.width() > 1 and overlap.height() > 1:
                problems.append(f"{a.text()[:30]!r} overlaps {b.text()[:30]!r}")
    return problems
