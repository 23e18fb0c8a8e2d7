"""Drawing the progress chart (:mod:`.chart` owns the geometry and the interaction).

Labelled axes: the section rows share a vertical "Seconds" title, the findings and score
rows say their units under their names, and the attempts run along an "Attempt" axis with
their numbers and dates. Each bar and score dot carries its value beside it when the column
has room for it. Colours come from the palette; secondary text from
``style.muted_text`` (WCAG AA on the window).
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen
from starcoach.desktop import style
from starcoach.desktop.attempts.progress import section_name

if TYPE_CHECKING:
    from starcoach.desktop.history.chart import ProgressChart, _Layout


def paint(chart: ProgressChart, painter: QPainter) -> None:
    """The whole chart, or a calm line when there is nothing to chart."""
    from starcoach.desktop.history.chart import SCORE

    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pal = chart.palette()
    ink = pal.color(QPalette.ColorRole.WindowText)
    muted = style.muted_text(pal)
    if not chart.points():
        painter.setPen(muted)
        painter.drawText(QRectF(chart.rect()), Qt.AlignmentFlag.AlignCenter,
                         "No analysed attempts yet")
        return
    lay = chart._layout()
    _current(chart, painter, lay, pal)
    _y_title(chart, painter, lay, ink)
    for key in lay.rows:
        _row_label(chart, painter, key, lay, ink, muted)
        if key == SCORE:
            _scores(chart, painter, lay, pal, ink)
        else:
            for index in chart.visible_range():
                _bar(chart, painter, index, key, lay, pal, ink)
                if lay.values:
                    _bar_value(chart, painter, index, key, lay, ink)
    _axis(chart, painter, lay, ink, muted)


def value_text(chart: ProgressChart, index: int, key: str) -> str:
    """The figure written above a bar or a score dot: seconds, a count, a score."""
    from starcoach.desktop.history.chart import FINDINGS, SCORE

    p = chart.points()[index]
    if key == FINDINGS:
        return str(p.finding_count)
    if key == SCORE:
        return "" if p.overall is None else str(round(p.overall))
    return str(round(p.seconds.get(key, 0.0)))


def _current(chart: ProgressChart, painter: QPainter, lay: _Layout, pal: QPalette) -> None:
    if chart.current_index not in chart.visible_range():
        return
    col = chart.column_rect(chart.current_index, lay)
    base = pal.color(QPalette.ColorRole.Window)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(style.blend(pal.color(QPalette.ColorRole.Highlight), base, 0.16))
    painter.drawRect(col)
    if chart.hasFocus():
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 1.5,
                            Qt.PenStyle.DashLine))
        painter.drawRect(col.adjusted(1, 1, -1, -1))


def _y_title(chart: ProgressChart, painter: QPainter, lay: _Layout, ink: QColor) -> None:
    """ "Seconds", written bottom to top beside the section rows."""
    from starcoach.desktop.history.chart import Y_TITLE

    box = lay.y_title
    fm = chart.fontMetrics()
    if box.height() < fm.horizontalAdvance(Y_TITLE) or box.width() <= 0:
        return
    painter.save()
    painter.setPen(ink)
    painter.translate(box.left(), box.bottom())
    painter.rotate(-90)
    painter.drawText(QRectF(0, 0, box.height(), box.width()), Qt.AlignmentFlag.AlignCenter,
                     Y_TITLE)
    painter.restore()


def _row_label(chart: ProgressChart, painter: QPainter, key: str, lay: _Layout, ink: QColor,
               muted: QColor) -> None:
    from starcoach.desktop.history.chart import FINDINGS, SCORE

    fm = chart.fontMetrics()
    cell = lay.labels[key]
    name = {FINDINGS: "Findings", SCORE: "Score"}.get(key) or section_name(key)
    two_lines = cell.height() >= fm.lineSpacing() * 2
    if key in (FINDINGS, SCORE):
        sub = "count" if key == FINDINGS else "0 to 100"
    else:
        target = chart.points()[-1].targets.get(key)
        sub = f"target {round(target)} s" if target is not None else ""
    painter.setPen(ink if key in (FINDINGS, SCORE) else style.section_ink(key, chart.palette()))
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
    right = lay.rows[key].left() + lay.col_w * len(chart.visible_range())
    painter.setPen(QPen(muted, 1))
    y = chart._y(key, 0.0, lay)
    painter.drawLine(QPointF(lay.rows[key].left(), y), QPointF(right, y))


def _bar(chart: ProgressChart, painter: QPainter, index: int, key: str, lay: _Layout,
         pal: QPalette, ink: QColor) -> None:
    from starcoach.desktop.history.chart import FINDINGS, bar_color

    bar = chart.bar_rect(index, key, lay)
    if bar is None:
        return
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(bar_color(key, pal))
    painter.drawRect(bar)
    if key == FINDINGS:
        return
    target_y = chart.target_y(index, key, lay)
    if target_y is None:
        return
    if target_y > bar.top():  # over target: hatch the part above the tick
        excess = QRectF(bar.left(), bar.top(), bar.width(), target_y - bar.top())
        painter.setBrush(QBrush(style.severity_color("major", pal), Qt.BrushStyle.BDiagPattern))
        painter.drawRect(excess)
    col = chart.column_rect(index, lay)
    painter.setPen(QPen(ink, max(1.5, chart._em() / 8)))
    painter.drawLine(QPointF(col.left(), target_y), QPointF(col.right(), target_y))


def value_rect(chart: ProgressChart, index: int, key: str, lay: _Layout) -> QRectF | None:
    """Where a bar's or a dot's value is written: beside its top, right of it in the
    column (``None`` when the column has no room for it)."""
    from starcoach.desktop.history.chart import SCORE

    fm, em = chart.fontMetrics(), chart._em()
    line = fm.lineSpacing()
    col = chart.column_rect(index, lay)
    if key == SCORE:
        dot = chart.score_point(index, lay)
        if dot is None:
            return None
        left, y = dot.x() + em * 0.6, dot.y()
    else:
        bar = chart.bar_rect(index, key, lay)
        if bar is None:
            return None
        left, y = bar.right() + em * 0.3, bar.top()
    width = col.right() - left
    if width < fm.horizontalAdvance(value_text(chart, index, key) or "0") + 2:
        return None
    row = lay.rows[key]
    top = min(max(row.top(), y - line / 2), row.bottom() - line)
    return QRectF(left, top, width, line)


def _bar_value(chart: ProgressChart, painter: QPainter, index: int, key: str, lay: _Layout,
               ink: QColor) -> None:
    rect = value_rect(chart, index, key, lay)
    text = value_text(chart, index, key)
    if rect is not None and text:
        painter.setPen(ink)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)


def _scores(chart: ProgressChart, painter: QPainter, lay: _Layout, pal: QPalette,
            ink: QColor) -> None:
    """The overall score as a line through dots (a gap where an attempt has none)."""
    from starcoach.desktop.history.chart import SCORE

    color = pal.color(QPalette.ColorRole.Highlight)
    dots = [chart.score_point(index, lay) for index in chart.visible_range()]
    painter.setPen(QPen(color, max(1.5, chart._em() / 7)))
    for a, b in pairwise(dots):
        if a is not None and b is not None:
            painter.drawLine(a, b)
    radius = max(2.0, min(chart._em() / 3, lay.col_w / 3))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    for dot in dots:
        if dot is not None:
            painter.drawEllipse(dot, radius, radius)
    if lay.values:
        for index in chart.visible_range():
            _bar_value(chart, painter, index, SCORE, lay, ink)


def axis_texts(chart: ProgressChart, lay: _Layout) -> list[tuple[str, QRectF, int]]:
    """The attempt axis's texts: ``(text, rect, line)`` with line 0 the attempt numbers,
    1 the dates, 2 the axis title; labels that would touch a neighbour are left out."""
    from starcoach.desktop.history.chart import AXIS_TITLE

    fm, em = chart.fontMetrics(), chart._em()
    line = fm.lineSpacing()
    lines = max(1, int(lay.axis.height() // line))
    out: list[tuple[str, QRectF, int]] = []
    free = [math.inf, math.inf]  # left edge of the last label drawn on each line
    for index in reversed(chart.visible_range()):  # from the newest, always labelled
        p = chart.points()[index]
        center = chart.column_rect(index, lay).center().x()
        texts = [f"#{p.number}", p.short_date()][:min(2, lines)]
        for row, text in enumerate(texts):
            width = fm.horizontalAdvance(text) + 2
            x = min(max(center - width / 2, lay.left), lay.axis.right() - width)
            if x + width > free[row] - em / 2:
                continue  # would touch its right neighbour's label
            free[row] = x
            out.append((text, QRectF(x, lay.axis.top() + row * line, width, line), row))
    if lines >= 3:
        plot = QRectF(lay.left, lay.axis.top() + 2 * line, lay.axis.right() - lay.left, line)
        out.append((AXIS_TITLE, plot, 2))
    return out


def _axis(chart: ProgressChart, painter: QPainter, lay: _Layout, ink: QColor,
          muted: QColor) -> None:
    fm, em = chart.fontMetrics(), chart._em()
    visible, line = chart.visible_range(), fm.lineSpacing()
    if lay.first > 0:  # not every attempt fits: say how many are drawn
        room = int(lay.left - lay.axis.left() - em / 2)
        note = f"Latest {len(visible)} of {len(chart.points())}"
        if fm.horizontalAdvance(note) > room:
            note = f"Latest {len(visible)}"
        painter.setPen(muted)
        painter.drawText(QRectF(lay.axis.left(), lay.axis.top(), room, line),
                         Qt.AlignmentFlag.AlignLeft,
                         fm.elidedText(note, Qt.TextElideMode.ElideRight, room))
    if lay.axis.height() >= line * 2:  # a key for the target ticks, under the row labels
        y = lay.axis.top() + line * 1.5
        painter.setPen(QPen(ink, max(1.5, em / 8)))
        painter.drawLine(QPointF(lay.axis.left(), y), QPointF(lay.axis.left() + em, y))
        painter.setPen(muted)
        painter.drawText(QRectF(lay.axis.left() + em * 1.3, lay.axis.top() + line,
                                lay.left - lay.axis.left() - em * 1.3, line),
                         Qt.AlignmentFlag.AlignLeft, "target")
    for text, rect, row in axis_texts(chart, lay):
        painter.setPen(muted if row == 1 else ink)
        if row == 2:
            font = painter.font()
            font.setBold(True)
            painter.save()
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter, text)
            painter.restore()
        else:
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter, text)
