"""Every text colour the review style defines meets WCAG AA (4.5:1) on each background it
is drawn on, in the light and the dark palette; so does the practice screen's key hint."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from starcoach.desktop import style
from starcoach.desktop.settings import apply_theme, dark_palette, light_palette

PALETTES = {"light": light_palette, "dark": dark_palette}


def test_the_contrast_ratio_is_wcags():
    assert style.contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert style.contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(
        4.48, abs=0.01)
    assert style.contrast_ratio(QColor("#123456"), QColor("#123456")) == pytest.approx(1.0)


@pytest.mark.parametrize("theme", PALETTES)
def test_every_text_colour_of_the_style_meets_aa(theme):
    pal = PALETTES[theme]()
    pairs = style.text_pairs(pal)
    assert len(pairs) >= 5 * 4 + 3 * 2 + 2 + 1
    low = [(what, round(style.contrast_ratio(fg, bg), 2)) for what, fg, bg in pairs
           if style.contrast_ratio(fg, bg) < style.AA_RATIO]
    assert not low, low


@pytest.mark.parametrize("theme", PALETTES)
def test_the_key_hint_line_is_readable_in_either_theme(qtbot, theme):
    from starcoach.desktop.app import MainWindow

    apply_theme(theme)
    try:
        win = MainWindow(loader=lambda _m, _t: object())
        qtbot.addWidget(win)
        hint = win.practice.hint
        assert hint.isEnabled() and hint.wordWrap()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            ink = hint.palette().color(group, QPalette.ColorRole.WindowText)
            window = QApplication.palette().color(group, QPalette.ColorRole.Window)
            assert style.contrast_ratio(ink, window) >= style.AA_RATIO, theme
        assert hint.palette().color(QPalette.ColorRole.WindowText) != \
            QApplication.palette().color(QPalette.ColorRole.WindowText)  # still quieter
    finally:
        apply_theme("system")


def test_the_key_hint_follows_a_theme_change(qtbot):
    from starcoach.desktop.app import MainWindow

    apply_theme("light")
    try:
        win = MainWindow(loader=lambda _m, _t: object())
        qtbot.addWidget(win)
        win.set_theme("dark")
        hint = win.practice.hint
        qtbot.waitUntil(lambda: style.contrast_ratio(
            hint.palette().color(QPalette.ColorRole.WindowText),
            QApplication.palette().color(QPalette.ColorRole.Window)) >= style.AA_RATIO)
    finally:
        win.set_theme("system")
