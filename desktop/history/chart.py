"""The progress chart: one question's attempts side by side, drawn with QPainter.

Small multiples, one row per STAR section: each attempt is a column, its bar the seconds
spent in that section, in the section's colour, with the target as a tick across the column
(ticks join into a line while the target holds). Time past the target is hatched, so "over"
never depends on colour alone. Then a findings row (bars) and a score row (a line, 0–100).
Each row has its own scale; when too narrow for every attempt, the latest that fit are drawn.
Sizes come from font metrics, colours from the palette (light and dark). Left/Right/Home/End
choose an attempt, Enter opens it; the accessible description states the figures in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget
from starcoach.desktop.history.progress import ProgressPoint, ProgressSeries, section_name
from starcoach.desktop.review import style

FINDINGS = "findings"
SCORE = "score"


@dataclass(frozen=True, slots=True)
class _Layout:
    rows: dict[str, QRectF]  # plot area of each row (right of the labels)
    labels: dict[str, QRectF]  # the row's label cell
    axis: QRectF  # below the rows, for attempt numbers and dates
    first: int  # index of the first attempt drawn
    col_w: float
    left: float  # x of the first column
    scales: dict[str, float]  # the value at the top of each row


def bar_color(key: str, pal: QPalette) -> QColor:
    """A bar's fill: the section's hue from the review palette, strong enough to read on a
    thin bar in light and dark themes; findings in a neutral ink."""
    window = pal.color(QPalette.ColorRole.Window)
    if key == FINDINGS:
        return style.blend(pal.color(QPalette.ColorRole.WindowText), window, 0.45)
    return style.blend(style.section_hue(key), window, 0.85 if style.is_dark(pal) else 0.75)


class ProgressChart(QWidget):
    """Section durations against targets, findings and score, per attempt."""

    attempt_chosen = Signal(int)  # attempt id: Enter, Space or a double click on a column
    current_changed = Signal(int)  # attempt id of the attempt chosen with keys or a click

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series: ProgressSeries | None = None
        self._current = -1
        self.setAccessibleName("Progress chart")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._describe()

    # ----------------------------------------------------------------- data
    @property
    def series(self) -> ProgressSeries | None:
        return self._series

    def set_series(self, series: ProgressSeries | None) -> None:
        self._series = series
        self._current = len(series.points) - 1 if series is not None else -1
        self.updateGeometry()
        self._describe()
        self.update()

    def points(self) -> tuple[ProgressPoint, ...]:
        return self._series.points if self._series is not None else ()

    def row_keys(self) -> list[str]:
        if self._series is None:
            return []
        return [*self._series.sections, FINDINGS, SCORE]

    @property
    def current_index(self) -> int:
        return self._current

    def set_current(self, index: int) -> None:
        visible = self.visible_range()
        if not visible:
            return
        index = min(max(index, visible.start), visible.stop - 1)
        if index != self._current:
            self._current = index
            self._describe()
            self.update()
            self.current_changed.emit(self.points()[index].attempt_id)

    # ----------------------------------------------------------------- geometry
    def _em(self) -> float:
        return float(self.fontMetrics().horizontalAdvance("M"))

    def _label_width(self) -> float:
        fm = self.fontMetrics()
        texts = [section_name(k) for k in self.row_keys()] + ["Findings", "Score",
                                                              "target 120 s"]
        return max(fm.horizontalAdvance(t) for t in texts) + self._em()

    def _layout(self) -> _Layout:
        fm, em = self.fontMetrics(), self._em()
        margin = em * 0.5
        keys = self.row_keys()
        label_w = self._label_width()
        axis_h = fm.lineSpacing() * (2.2 if self.height() > fm.lineSpacing() * 12 else 1.2)
        gap = em * 0.6  # between the section rows and the findings/score rows
        avail = max(1.0, self.height() - 2 * margin - axis_h - gap)
        row_h = avail / max(1, len(keys))
        plot_left = margin + label_w
        plot_w = max(1.0, self.width() - plot_left - margin)
        n = len(self.points())
        fit = max(1, int(plot_w // (em * 0.8)))
        shown = min(n, fit)
        col_w = min(plot_w / max(1, shown), em * 5)
        rows, labels, y = {}, {}, margin
        for key in keys:
            if key == FINDINGS:
                y += gap
            rows[key] = QRectF(plot_left, y, plot_w, row_h)
            labels[key] = QRectF(margin, y, label_w - em * 0.5, row_h)
            y += row_h
        axis = QRectF(margin, y, self.width() - 2 * margin, axis_h)
        pts = self.points()[n - shown:]
        scales = {FINDINGS: float(max([p.finding_count for p in pts] + [1])), SCORE: 100.0}
        for key in keys[:-2]:
            values = [max(p.seconds.get(key, 0.0), p.targets.get(key, 0.0)) for p in pts]
            scales[key] = max([*values, 1.0]) * 1.08
        return _Layout(rows, labels, axis, n - shown, col_w, plot_left, scales)

    def visible_range(self) -> range:
        """Indices (into the series' points) of the attempts drawn."""
        n = len(self.points())
        return range(self._layout().first, n) if n else range(0)

    def column_rect(self, index: int, lay: _Layout | None = None) -> QRectF:
        lay = lay or self._layout()
        top = min(r.top() for r in lay.rows.values())
        x = lay.left + (index - lay.first) * lay.col_w
        return QRectF(x, top, lay.col_w, lay.axis.top() - top)

    def _y(self, key: str, value: float, lay: _Layout) -> float:
        row = lay.rows[key]
        pad = row.height() * 0.12
        inner = max(1.0, row.height() - 2 * pad)
        return row.bottom() - pad - inner * min(1.0, value / lay.scales[key])

    def bar_rect(self, index: int, key: str, lay: _Layout | None = None) -> QRectF | None:
        """The bar of attempt ``index`` in a section row or the findings row."""
        lay = lay or self._layout()
        if key not in lay.rows or key == SCORE or not lay.first <= index < len(self.points()):
            return None
        p = self.points()[index]
        value = float(p.finding_count) if key == FINDINGS else p.seconds.get(key, 0.0)
        col = self.column_rect(index, lay)
        width = max(1.0, col.width() * 0.64)
        bottom = self._y(key, 0.0, lay)
        top = self._y(key, value, lay)
        return QRectF(col.center().x() - width / 2, top, width, bottom - top)

    def target_y(self, index: int, key: str, lay: _Layout | None = None) -> float | None:
        lay = lay or self._layout()
        target = self.points()[index].targets.get(key)
        return None if target is None or key not in lay.rows else self._y(key, target, lay)

    def score_point(self, index: int, lay: _Layout | None = None) -> QPointF | None:
        lay = lay or self._layout()
        p = self.points()[index]
        if p.overall is None or index < lay.first:
            return None
        col = self.column_rect(index, lay)
        return QPointF(col.center().x(), self._y(SCORE, p.overall, lay))

    def sizeHint(self) -> QSize:
        line, rows = self.fontMetrics().lineSpacing(), max(4, len(self.row_keys()))
        return QSize(int(self._em() * 36), int(rows * line * 2.4 + line * 3))

    def minimumSizeHint(self) -> QSize:
        line, rows = self.fontMetrics().lineSpacing(), max(4, len(self.row_keys()))
        return QSize(int(self._label_width() + self._em() * 8), int(rows * line * 1.3 + line * 2))

    # ----------------------------------------------------------------- words
    def tooltip_at(self, pos: QPointF) -> str | None:
        """What hovering ``pos`` shows: the attempt, then the row's figures."""
        index = self._index_at(pos)
        if index is None:
            return None
        lay = self._layout()
        p = self.points()[index]
        for key, row in lay.rows.items():
            if row.top() <= pos.y() < row.bottom():
                if key in (FINDINGS, SCORE):
                    return f"{p.title()}\n{p.score_caption()}"
                return f"{p.title()}\n{p.section_caption(key)}"
        if lay.axis.contains(pos):
            return f"{p.title()}\n{p.long_date()}"
        return None

    def _describe(self) -> None:
        series = self._series
        if series is None or not series.points:
            self.setAccessibleDescription("No analysed attempts to chart yet.")
            return
        visible = self.visible_range()
        text = series.describe(last=len(visible))
        if 0 <= self._current < len(series.points):
            text = (f"Selected: {series.points[self._current].describe(series.sections)} "
                    + text)
        self.setAccessibleDescription(text)

    # ----------------------------------------------------------------- painting
    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        ink = pal.color(QPalette.ColorRole.WindowText)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        if not self.points():
            painter.setPen(muted)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter,
                             "No analysed attempts yet")
            return
        lay = self._layout()
        visible = self.visible_range()
        self._paint_current(painter, lay, pal)
        for key in lay.rows:
            self._paint_row_label(painter, key, lay, ink, muted)
            if key == SCORE:
                self._paint_scores(painter, lay, pal)
            else:
                for index in visible:
                    self._paint_bar(painter, index, key, lay, pal, ink)
        self._paint_axis(painter, lay, ink, muted)
        painter.end()

    def _paint_current(self, painter: QPainter, lay: _Layout, pal: QPalette) -> None:
        if self._current not in self.visible_range():
            return
        col = self.column_rect(self._current, lay)
        base = pal.color(QPalette.ColorRole.Window)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.blend(pal.color(QPalette.ColorRole.Highlight), base, 0.16))
        painter.drawRect(col)
        if self.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 1.5,
                                Qt.PenStyle.DashLine))
            painter.drawRect(col.adjusted(1, 1, -1, -1))

    def _paint_row_label(self, painter: QPainter, key: str, lay: _Layout, ink: QColor,
                         muted: QColor) -> None:
        fm = self.fontMetrics()
        cell = lay.labels[key]
        name = {FINDINGS: "Findings", SCORE: "Score"}.get(key) or section_name(key)
        two_lines = cell.height() >= fm.lineSpacing() * 2
        if key in (FINDINGS, SCORE):
            sub = "count" if key == FINDINGS else "0 to 100"
        else:
            target = self.points()[-1].targets.get(key)
            sub = f"target {round(target)} s" if target is not None else ""
        painter.setPen(ink if key in (FINDINGS, SCORE) else style.section_ink(key, self.palette()))
        font = painter.font()
        font.setBold(True)
        painter.save()
        painter.setFont(font)
        name_rect = QRectF(cell.left(), cell.center().y() - (fm.lineSpacing() if two_lines
                                                             else fm.lineSpacing() / 2),
                           cell.width(), fm.lineSpacing())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft,
                         fm.elidedText(name, Qt.TextElideMode.ElideRight, int(cell.width())))
        painter.restore()
        if two_lines and sub:
            painter.setPen(muted)
            painter.drawText(name_rect.translated(0, fm.lineSpacing()), Qt.AlignmentFlag.AlignLeft,
                             fm.elidedText(sub, Qt.TextElideMode.ElideRight, int(cell.width())))
        # The row's baseline.
        right = lay.rows[key].left() + lay.col_w * len(self.visible_range())
        painter.setPen(QPen(muted, 1))
        y = self._y(key, 0.0, lay)
        painter.drawLine(QPointF(lay.rows[key].left(), y), QPointF(right, y))

    def _paint_bar(self, painter: QPainter, index: int, key: str, lay: _Layout,
                   pal: QPalette, ink: QColor) -> None:
        bar = self.bar_rect(index, key, lay)
        if bar is None:
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bar_color(key, pal))
        painter.drawRect(bar)
        if key == FINDINGS:
            return
        target_y = self.target_y(index, key, lay)
        if target_y is None:
            return
        if target_y > bar.top():  # over target: hatch the part above the tick
            excess = QRectF(bar.left(), bar.top(), bar.width(), target_y - bar.top())
            painter.setBrush(QBrush(style.severity_color("major", pal),
                                    Qt.BrushStyle.BDiagPattern))
            painter.drawRect(excess)
        col = self.column_rect(index, lay)
        painter.setPen(QPen(ink, max(1.5, self._em() / 8)))
        painter.drawLine(QPointF(col.left(), target_y), QPointF(col.right(), target_y))

    def _paint_scores(self, painter: QPainter, lay: _Layout, pal: QPalette) -> None:
        """The overall score as a line through dots (a gap where an attempt has none)."""
        color = pal.color(QPalette.ColorRole.Highlight)
        dots = [self.score_point(index, lay) for index in self.visible_range()]
        painter.setPen(QPen(color, max(1.5, self._em() / 7)))
        for a, b in pairwise(dots):
            if a is not None and b is not None:
                painter.drawLine(a, b)
        radius = max(2.0, min(self._em() / 3, lay.col_w / 3))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        for dot in dots:
            if dot is not None:
                painter.drawEllipse(dot, radius, radius)

    def _paint_axis(self, painter: QPainter, lay: _Layout, ink: QColor, muted: QColor) -> None:
        fm, em = self.fontMetrics(), self._em()
        visible, line = self.visible_range(), self.fontMetrics().lineSpacing()
        if lay.first > 0:  # not every attempt fits: say how many are drawn
            room = int(lay.left - lay.axis.left() - em / 2)
            note = f"Latest {len(visible)} of {len(self.points())}"
            if fm.horizontalAdvance(note) > room:
                note = f"Latest {len(visible)}"
            painter.setPen(muted)
            painter.drawText(QRectF(lay.axis.left(), lay.axis.top(), room, line),
                             Qt.AlignmentFlag.AlignLeft,
                             fm.elidedText(note, Qt.TextElideMode.ElideRight, room))
        dates = lay.axis.height() >= line * 2
        if dates:  # a key for the target ticks, under the row labels
            y = lay.axis.top() + line * 1.5
            painter.setPen(QPen(ink, max(1.5, em / 8)))
            painter.drawLine(QPointF(lay.axis.left(), y), QPointF(lay.axis.left() + em, y))
            painter.setPen(muted)
            painter.drawText(QRectF(lay.axis.left() + em * 1.3, lay.axis.top() + line,
                                    lay.left - lay.axis.left() - em * 1.3, line),
                             Qt.AlignmentFlag.AlignLeft, "target")
        free = [math.inf, math.inf]  # left edge of the last label drawn on each line
        for index in reversed(visible):  # from the newest, which is always labelled
            p = self.points()[index]
            center = self.column_rect(index, lay).center().x()
            texts = [f"#{p.number}", p.short_date()] if dates else [f"#{p.number}"]
            for row, (text, pen) in enumerate(zip(texts, (ink, muted), strict=False)):
                width = fm.horizontalAdvance(text) + 2
                x = min(max(center - width / 2, lay.left), lay.axis.right() - width)
                if x + width > free[row] - em / 2:
                    continue  # would touch its right neighbour's label
                free[row] = x
                painter.setPen(pen)
                painter.drawText(QRectF(x, lay.axis.top() + row * line, width, line),
                                 Qt.AlignmentFlag.AlignHCenter, text)

    # ----------------------------------------------------------------- interaction
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._current not in self.visible_range() and self.points():
            self._current = len(self.points()) - 1
        self._describe()

    def keyPressEvent(self, event) -> None:
        key, visible = event.key(), self.visible_range()
        if not visible:
            super().keyPressEvent(event)
            return
        moves = {Qt.Key.Key_Left: self._current - 1, Qt.Key.Key_Right: self._current + 1,
                 Qt.Key.Key_Home: visible.start, Qt.Key.Key_End: visible.stop - 1}
        if key in moves:
            self.set_current(moves[key])
            self._show_current_tip()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.attempt_chosen.emit(self.points()[self._current].attempt_id)
        else:
            super().keyPressEvent(event)

    def _show_current_tip(self) -> None:
        """Sighted keyboard users see the chosen attempt's figures beside its column."""
        if self._current < 0 or self._series is None:
            return
        p = self.points()[self._current]
        text = "\n".join([p.title(), *(p.section_caption(k) for k in self._series.sections),
                          p.score_caption()])
        col = self.column_rect(self._current)
        QToolTip.showText(self.mapToGlobal(col.topRight().toPoint()), text, self)

    def _index_at(self, pos: QPointF) -> int | None:
        if not self.points():
            return None
        lay = self._layout()
        if pos.x() < lay.left:
            return None
        index = lay.first + math.floor((pos.x() - lay.left) / lay.col_w)
        return index if index in self.visible_range() else None

    def mousePressEvent(self, event) -> None:
        index = self._index_at(event.position())
        if index is not None:
            self.set_current(index)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        index = self._index_at(event.position())
        if index is not None:
            self.attempt_chosen.emit(self.points()[index].attempt_id)
        else:
            super().mouseDoubleClickEvent(event)
