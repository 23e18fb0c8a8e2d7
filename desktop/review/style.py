"""Colours, names and small formatting helpers shared by the review widgets.

Colours are derived from the widget's palette so the review reads well in light and dark
themes; nothing here knows about rubric rules beyond the section and severity names.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette, QTextCharFormat
from PySide6.QtWidgets import QStyle, QWidget

SECTION_NAMES = {
    "situation": "Situation",
    "task": "Task",
    "action": "Action",
    "result": "Result",
    "reflection": "Reflection",
}
SEVERITY_NAMES = {"major": "Major", "minor": "Minor", "info": "Info"}
SEVERITY_RANK = {"major": 2, "minor": 1, "info": 0}

# One hue per STAR section (Okabe–Ito inspired: distinguishable with common colour blindness).
_SECTION_HUES = {
    "situation": QColor("#0072B2"),
    "task": QColor("#CC79A7"),
    "action": QColor("#009E73"),
    "result": QColor("#E69F00"),
    "reflection": QColor("#56B4E9"),
}
_SEVERITY_LIGHT = {"major": QColor("#C0392B"), "minor": QColor("#B35C00"),
                   "info": QColor("#1F6FB2")}
_SEVERITY_DARK = {"major": QColor("#FF6B5E"), "minor": QColor("#FFB347"),
                  "info": QColor("#6DB6FF")}
SEVERITY_UNDERLINE = {
    "major": QTextCharFormat.UnderlineStyle.WaveUnderline,
    "minor": QTextCharFormat.UnderlineStyle.SingleUnderline,
    "info": QTextCharFormat.UnderlineStyle.DotLine,
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def blend(top: QColor, bottom: QColor, alpha: float) -> QColor:
    """``top`` laid over ``bottom`` at ``alpha`` (an opaque result, safe for text backgrounds)."""
    return QColor.fromRgbF(
        top.redF() * alpha + bottom.redF() * (1 - alpha),
        top.greenF() * alpha + bottom.greenF() * (1 - alpha),
        top.blueF() * alpha + bottom.blueF() * (1 - alpha),
    )


def section_hue(label: str) -> QColor:
    return QColor(_SECTION_HUES.get(label, QColor("#888888")))


def section_tint(label: str, palette: QPalette) -> QColor:
    """A quiet background for a section's words."""
    base = palette.color(QPalette.ColorRole.Base)
    return blend(section_hue(label), base, 0.24 if is_dark(palette) else 0.16)


def section_fill(label: str, palette: QPalette) -> QColor:
    """A stronger fill for timeline segments."""
    base = palette.color(QPalette.ColorRole.Base)
    return blend(section_hue(label), base, 0.55 if is_dark(palette) else 0.45)


def section_ink(label: str, palette: QPalette) -> QColor:
    """Text colour for a section label, readable on the section tint."""
    text = palette.color(QPalette.ColorRole.Text)
    return blend(section_hue(label), text, 0.55 if is_dark(palette) else 0.75)


def severity_color(severity: str, palette: QPalette) -> QColor:
    table = _SEVERITY_DARK if is_dark(palette) else _SEVERITY_LIGHT
    return QColor(table.get(severity, table["info"]))


def severity_icon(severity: str, widget: QWidget):
    pixmap = {
        "major": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "minor": QStyle.StandardPixmap.SP_MessageBoxWarning,
    }.get(severity, QStyle.StandardPixmap.SP_MessageBoxInformation)
    return widget.style().standardIcon(pixmap)


def section_name(label: str | None) -> str:
    if label is None:
        return "Whole answer"
    return SECTION_NAMES.get(label, label.replace("_", " ").capitalize())


def clock(seconds: float) -> str:
    """``83.4`` → ``"1:23"``."""
    total = max(0, round(seconds))
    return f"{total // 60}:{total % 60:02d}"


def seconds(value: float) -> str:
    """``83.4`` → ``"83 s"``."""
    return f"{round(value)} s"


def rule_title(rule_id: str) -> str:
    """The rule's title from the pack catalogue (falls back to the id made readable)."""
    from starcoach.rubric.packs import default_catalogue

    spec = default_catalogue().rules.get(rule_id)
    return spec.title if spec is not None else rule_id.replace("_", " ").capitalize()


def playing_format(palette: QPalette) -> QTextCharFormat:
    """The word being heard during playback: text and background swapped to the palette's
    strongest pair, bold, so it stands out over section tints and finding highlights."""
    fmt = QTextCharFormat()
    fmt.setBackground(palette.color(QPalette.ColorRole.Text))
    fmt.setForeground(palette.color(QPalette.ColorRole.Base))
    fmt.setFontWeight(700)
    return fmt


def scaled_font(font: QFont, factor: float, bold: bool = False) -> QFont:
    """``font`` ``factor`` times larger (in points, so it follows the system's size)."""
    out = QFont(font)
    if out.pointSizeF() > 0:
        out.setPointSizeF(out.pointSizeF() * factor)
    out.setBold(bold)
    return out
