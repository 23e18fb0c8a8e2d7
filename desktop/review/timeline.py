"""The timeline bar: each section's duration against its target.

Each section gets a slot as wide as the longer of its duration and its target, all on one
time scale, so segment widths stay proportional to how long each section took. A marker
shows the target; time past it is hatched and the caption says "over by N s" in words,
so an over-long section never depends on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget
from starcoach.desktop import style, wording
from starcoach.rubric.model import Report


@dataclass(frozen=True, slots=True)
class Segment:
    """One section as drawn: geometry in widget pixels along the bar."""

    label: str
    duration_s: float
    target_s: float | None
    over: bool
    x0: float  # slot start
    x1: float  # end of the filled (spoken) part
    slot_end: float  # end of the slot (target or duration, whichever is longer)
    marker_x: float | None  # target marker

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def caption(self) -> str:
        name = wording.section_name(self.label)
        if self.target_s is None:
            return f"{name}: {style.seconds(self.duration_s)}"
        text = f"{name}: {style.seconds(self.duration_s)} of {style.seconds(self.target_s)}"
        if self.over:
            text += f", over by {style.seconds(self.duration_s - self.target_s)}"
        return text


@dataclass(frozen=True, slots=True)
class Caption:
    """A section's caption as drawn below the bar: its name and its time."""

    label: str
    name: str  # as drawn (elided only when even the names alone cannot fit)
    time: str
    name_rect: QRectF
    time_rect: QRectF


def place(wants: list[float], widths: list[float], left: float, right: float,
          space: float) -> list[float] | None:
    """Left edges for blocks of ``widths`` as near their wanted ``wants`` as possible, in
    order, ``space`` apart, within ``left``…``right``; ``None`` when they cannot fit."""
    if sum(widths) + space * (len(widths) - 1) > right - left:
        return None
    xs: list[float] = []
    edge = left
    for want, width in zip(wants, widths, strict=True):  # left to right: no overlap
        xs.append(max(want, edge))
        edge = xs[-1] + width + space
    limit = right
    for i in range(len(xs) - 1, -1, -1):  # right to left: nothing past the edge
        xs[i] = min(xs[i], limit - widths[i])
        limit = xs[i] - space
    return xs


class TimelineBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: Report | None = None
        self.setAccessibleName("Section timeline")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def set_report(self, report: Report) -> None:
        self.report = report
        summary = "; ".join(s.caption() for s in self.segments())
        self.setAccessibleDescription(summary)
        self.setToolTip("")
        self.updateGeometry()
        self.update()

    # ----------------------------------------------------------------- geometry
    def _margin(self) -> float:
        return self.fontMetrics().horizontalAdvance("M") * 0.5

    def _bar_rect(self) -> QRectF:
        fm = self.fontMetrics()
        m = self._margin()
        return QRectF(m, m, max(1.0, self.width() - 2 * m), fm.height() * 1.4)

    def segments(self, width: float | None = None) -> list[Segment]:
        """The drawn segments; ``width`` overrides the bar width (for tests)."""
        if self.report is None or not self.report.sections:
            return []
        bar = self._bar_rect()
        avail = bar.width() if width is None else width
        left = bar.left() if width is None else 0.0
        slots = [max(s.duration_s, s.target_s or 0.0) for s in self.report.sections]
        total = sum(slots) or 1.0
        scale = avail / total
        out, x = [], left
        for s, slot in zip(self.report.sections, slots, strict=True):
            marker = None if s.target_s is None else x + s.target_s * scale
            out.append(Segment(s.label, s.duration_s, s.target_s, s.over_target, x,
                               x + s.duration_s * scale, x + slot * scale, marker))
            x += slot * scale
        return out

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        m = self._margin()
        return QSize(fm.horizontalAdvance("M") * 40,
                     int(2 * m + fm.height() * 1.4 + fm.lineSpacing() * 2.4))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("M") * 12, self.sizeHint().height())

    def captions(self) -> list[Caption]:
        """Each section's name and time below the bar, whole where they fit side by side
        (moved along from under their slot if need be), elided only when they cannot."""
        segs = self.segments()
        if not segs:
            return []
        fm = self.fontMetrics()
        bold_font = self.font()
        bold_font.setBold(True)
        bold = QFontMetricsF(bold_font)
        bar = self._bar_rect()
        gap = max(1.0, fm.height() / 10)
        space = fm.horizontalAdvance(" ") * 1.5
        names = [wording.section_name(seg.label) for seg in segs]
        times = [_short_time(seg) for seg in segs]
        name_w = [bold.horizontalAdvance(n) + 2 for n in names]
        time_w = [fm.horizontalAdvance(t) + 2 for t in times]
        wants = [seg.x0 for seg in segs]
        left, right = bar.left(), bar.right()
        widths = [max(n, t) for n, t in zip(name_w, time_w, strict=True)]
        xs = place(wants, widths, left, right, space) or place(wants, name_w, left, right,
                                                               space)
        elide_names = xs is None
        if xs is None:  # not even the names fit: each keeps its own slot
            xs = wants
        top = bar.bottom() + gap * 3
        out = []
        for i, seg in enumerate(segs):
            room_end = xs[i + 1] - space if i + 1 < len(segs) else right
            if elide_names:
                room_end = seg.slot_end - gap * 2
            room = max(1.0, room_end - xs[i])
            name = (bold.elidedText(names[i], Qt.TextElideMode.ElideRight, room)
                    if elide_names or name_w[i] > room else names[i])
            time = fm.elidedText(times[i], Qt.TextElideMode.ElideRight, int(room))
            name_rect = QRectF(xs[i], top, min(room, max(name_w[i], 1.0)), fm.lineSpacing())
            time_rect = QRectF(xs[i], top + fm.lineSpacing(), room, fm.lineSpacing())
            out.append(Caption(seg.label, name, time, name_rect, time_rect))
        return out

    # ----------------------------------------------------------------- painting
    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        bar = self._bar_rect()
        fm = self.fontMetrics()
        text_color = pal.color(QPalette.ColorRole.WindowText)
        muted = style.muted_text(pal)
        over_color = style.severity_color("major", pal)
        gap = max(1.0, fm.height() / 10)
        segs = self.segments()
        if not segs:
            painter.setPen(muted)
            painter.drawText(bar, Qt.AlignmentFlag.AlignVCenter, "No sections yet")
            return
        for seg in segs:
            slot = QRectF(seg.x0, bar.top(), seg.slot_end - seg.x0 - gap, bar.height())
            # Unused allowance: an outlined, empty slot.
            painter.setPen(QPen(muted, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(slot.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
            fill = QRectF(seg.x0, bar.top(), max(0.0, seg.width - gap), bar.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.section_fill(seg.label, pal))
            painter.drawRoundedRect(fill, 3, 3)
            if seg.over and seg.marker_x is not None:
                excess = QRectF(seg.marker_x, bar.top(), max(0.0, seg.x1 - seg.marker_x - gap),
                                bar.height())
                painter.setBrush(QBrush(over_color, Qt.BrushStyle.BDiagPattern))
                painter.drawRect(excess)
            if seg.marker_x is not None:
                painter.setPen(QPen(text_color, max(2.0, gap * 1.5)))
                mx = min(seg.marker_x, seg.slot_end - gap)
                painter.drawLine(int(mx), int(bar.top() - gap * 2), int(mx),
                                 int(bar.bottom() + gap * 2))
        painter.setPen(text_color)
        bold = painter.font()
        bold.setBold(True)
        for cap, seg in zip(self.captions(), segs, strict=True):
            painter.save()
            painter.setFont(bold)
            painter.drawText(cap.name_rect, Qt.AlignmentFlag.AlignLeft, cap.name)
            painter.restore()
            painter.setPen(over_color if seg.over else text_color)
            painter.drawText(cap.time_rect, Qt.AlignmentFlag.AlignLeft, cap.time)
            painter.setPen(text_color)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            x = event.pos().x()
            for seg in self.segments():
                if seg.x0 <= x < seg.slot_end:
                    QToolTip.showText(event.globalPos(), seg.caption(), self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)


def _short_time(seg: Segment) -> str:
    if seg.target_s is None:
        return style.seconds(seg.duration_s)
    text = f"{style.seconds(seg.duration_s)} / {style.seconds(seg.target_s)}"
    if seg.over:
        text += f" · {style.seconds(seg.duration_s - seg.target_s)} over"
    return text
