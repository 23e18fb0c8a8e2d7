"""The whole app's style: colours, names and small formatting helpers shared by every
screen (review, practice, drill, history, bank, help).

Colours are derived from the widget's palette so every screen reads well in light and dark
themes; every text colour here is pulled towards the palette's text colour until it meets
WCAG AA (a contrast ratio of at least 4.5:1) on each background it is drawn on
(:func:`text_pairs` lists them). Nothing here knows about rubric rules beyond the section
and severity names.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QFont, QPalette, QTextCharFormat
from PySide6.QtWidgets import QStyle, QWidget
from starcoach.rubric.model import SECTION_LABELS

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


AA_RATIO = 4.5  # WCAG 2 level AA for body text


def luminance(color: QColor) -> float:
    """WCAG relative luminance of an opaque colour (0 black … 1 white)."""
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return (0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF())
            + 0.0722 * linear(color.blueF()))


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours, 1 (none) to 21 (black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(color: QColor, palette: QPalette, *backgrounds: QColor) -> QColor:
    """``color``, moved towards the palette's text colour just far enough to reach
    ``AA_RATIO`` on every one of ``backgrounds``."""
    ink = palette.color(QPalette.ColorRole.Text)
    if color.alphaF() < 1.0 and backgrounds:  # a translucent colour as it shows (Qt's
        color = blend(QColor(color.red(), color.green(), color.blue()), backgrounds[0],
                      color.alphaF())  # default placeholder is half-transparent text)
    for step in range(21):
        out = blend(ink, color, step / 20)
        if all(contrast_ratio(out, bg) >= AA_RATIO for bg in backgrounds):
            return out
    light = all(luminance(bg) > 0.18 for bg in backgrounds)
    return QColor("#000000" if light else "#ffffff")


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


def _backgrounds(palette: QPalette) -> tuple[QColor, QColor]:
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Window)


def section_ink(label: str, palette: QPalette) -> QColor:
    """Text colour for a section label, readable on the section tint, the page and the
    window (the transcript, the model answer, the progress chart's row names)."""
    text = palette.color(QPalette.ColorRole.Text)
    hue = blend(section_hue(label), text, 0.55 if is_dark(palette) else 0.75)
    return readable(hue, palette, section_tint(label, palette), *_backgrounds(palette))


def severity_color(severity: str, palette: QPalette) -> QColor:
    """A severity's colour, for marks and for words (on the page or the window)."""
    table = _SEVERITY_DARK if is_dark(palette) else _SEVERITY_LIGHT
    return readable(QColor(table.get(severity, table["info"])), palette,
                    *_backgrounds(palette))


def muted_text(palette: QPalette) -> QColor:
    """Secondary text (key hints, chart captions, notes): quieter than the text colour,
    yet readable on the page and the window. Disabled and placeholder colours are not."""
    return readable(palette.color(QPalette.ColorRole.PlaceholderText), palette,
                    *_backgrounds(palette))


class _Muted(QObject):
    """Keeps a widget's text in :func:`muted_text` of whatever palette it inherits: only
    its text role is set, so a theme change reaches the rest and this follows."""

    def apply(self, widget: QWidget) -> None:
        pal = QPalette(widget.palette())
        ink = muted_text(pal)
        if all(pal.color(g, QPalette.ColorRole.WindowText) == ink for g in _GROUPS):
            return  # already right: no palette change, so no endless loop
        for group in _GROUPS:
            pal.setColor(group, QPalette.ColorRole.WindowText, ink)
        widget.setPalette(pal)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and isinstance(watched, QWidget):
            self.apply(watched)
        return False


_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)


def set_muted(widget: QWidget) -> None:
    """Show ``widget``'s text in :func:`muted_text` (not greyed out as if disabled), in
    whichever theme is current."""
    keeper = _Muted(widget)
    widget.installEventFilter(keeper)
    keeper.apply(widget)


def text_pairs(palette: QPalette) -> list[tuple[str, QColor, QColor]]:
    """Every text colour this module defines with each background it is drawn on:
    ``(what, text, background)``."""
    base, window = _backgrounds(palette)
    text = palette.color(QPalette.ColorRole.Text)
    pairs = []
    for label in SECTION_LABELS:
        ink = section_ink(label, palette)
        tint = section_tint(label, palette)
        pairs += [(f"{label} ink on its tint", ink, tint), (f"{label} ink on base", ink, base),
                  (f"{label} ink on window", ink, window), (f"text on {label} tint", text, tint)]
    for severity in SEVERITY_NAMES:
        ink = severity_color(severity, palette)
        pairs += [(f"{severity} on base", ink, base), (f"{severity} on window", ink, window)]
    muted = muted_text(palette)
    pairs += [("muted on base", muted, base), ("muted on window", muted, window)]
    playing = playing_format(palette)
    pairs.append(("playing word", playing.foreground().color(), playing.background().color()))
    return pairs


def severity_icon(severity: str, widget: QWidget):
    pixmap = {
        "major": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "minor": QStyle.StandardPixmap.SP_MessageBoxWarning,
    }.get(severity, QStyle.StandardPixmap.SP_MessageBoxInformation)
    return widget.style().standardIcon(pixmap)




def seconds(value: float) -> str:
    """``83.4`` → ``"83 s"``."""
    return f"{round(value)} s"


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
