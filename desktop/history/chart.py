"""The progress chart: one question's attempts side by side, drawn with QPainter.

Small multiples, one row per STAR section: each attempt is a column, its bar the seconds
spent in that section, in the section's colour, with the target as a tick across the column
(ticks join into a line while the target holds). Time past the target is hatched, so "over"
never depends on colour alone. Then a findings row (bars) and a score row (a line, 0–100).
Each row has its own scale; the attempts share the chart's whole width (when too narrow for
every attempt, the latest that fit are drawn). The axes are labelled (a vertical "Seconds"
beside the section rows, "Attempt" under the numbers and dates) and each bar and dot shows
its value; :mod:`.chart_paint` draws them. Sizes come from font metrics, colours from the
palette (light and dark). Left/Right/Home/End
choose an attempt, Enter opens it; the accessible description states the figures in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget
from starcoach.desktop import style
from starcoach.desktop.attempts.progress import ProgressPoint, ProgressSeries, section_name

FINDINGS = "findings"
SCORE = "score"


@dataclass(frozen=True, slots=True)
class _Layout:
    rows: dict[str, QRectF]  # plot area of each row (right of the labels)
    labels: dict[str, QRectF]  # the row's label cell
    axis: QRectF  # below the rows: attempt numbers, dates, the axis title
    first: int  # index of the first attempt drawn
    col_w: float
    left: float  # x of the first column
    scales: dict[str, float]  # the value at the top of each row
    y_title: QRectF  # left of the section rows' labels: "Seconds", written upwards
    values: bool  # whether the columns have room for each value beside its bar


AXIS_TITLE = "Attempt"
Y_TITLE = "Seconds"
MAX_BAR_EMS = 6.0  # bars stay bars (not slabs) when a few attempts fill a wide chart


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
        line = fm.lineSpacing()
        margin = em * 0.5
        keys = self.row_keys()
        label_w = self._label_width()
        title_w = line * 1.2  # the vertical "Seconds" strip
        axis_lines = 3 if self.height() > line * 14 else 2 if self.height() > line * 12 else 1
        axis_h = line * (axis_lines + 0.2)
        gap = em * 0.6  # between the section rows and the findings/score rows
        avail = max(1.0, self.height() - 2 * margin - axis_h - gap)
        row_h = avail / max(1, len(keys))
        plot_left = margin + title_w + label_w
        plot_w = max(1.0, self.width() - plot_left - margin)
        n = len(self.points())
        fit = max(1, int(plot_w // (em * 0.8)))
        shown = min(n, fit)
        col_w = plot_w / max(1, shown)  # the attempts share the whole width
        rows, labels, y = {}, {}, margin
        for key in keys:
            if key == FINDINGS:
                y += gap
            rows[key] = QRectF(plot_left, y, plot_w, row_h)
            labels[key] = QRectF(margin + title_w, y, label_w - em * 0.5, row_h)
            y += row_h
        axis = QRectF(margin, y, self.width() - 2 * margin, axis_h)
        section_keys = keys[:-2]
        top = margin
        bottom = rows[section_keys[-1]].bottom() if section_keys else top
        y_title = QRectF(margin, top, title_w, max(0.0, bottom - top))
        pts = self.points()[n - shown:]
        scales = {FINDINGS: float(max([p.finding_count for p in pts] + [1])), SCORE: 100.0}
        for key in section_keys:
            values = [max(p.seconds.get(key, 0.0), p.targets.get(key, 0.0)) for p in pts]
            scales[key] = max([*values, 1.0]) * 1.08
        values = row_h >= line * 0.9 and col_w * 0.36 >= fm.horizontalAdvance("000") + em * 0.4
        return _Layout(rows, labels, axis, n - shown, col_w, plot_left, scales, y_title,
                       values)

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
        width = max(1.0, min(col.width() * 0.64, self._em() * MAX_BAR_EMS))
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
        return QSize(int(self._em() * 60), int(rows * line * 2.6 + line * 4))

    def minimumSizeHint(self) -> QSize:
        line, rows = self.fontMetrics().lineSpacing(), max(4, len(self.row_keys()))
        return QSize(int(line * 1.2 + self._label_width() + self._em() * 8),
                     int(rows * line * 1.3 + line * 2))

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
        from starcoach.desktop.history.chart_paint import paint

        painter = QPainter(self)
        paint(self, painter)
        painter.end()

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
