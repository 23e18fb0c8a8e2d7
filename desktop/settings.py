"""Where StarCoach keeps its settings and logs, and how it follows light/dark themes.

``STARCOACH_CONFIG_DIR`` (used by tests) moves the settings file to
``$STARCOACH_CONFIG_DIR/starcoach.ini`` and the logs to ``$STARCOACH_CONFIG_DIR/logs``.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

ORGANIZATION = "StarCoach"
APPLICATION = "StarCoach"
CONFIG_ENV = "STARCOACH_CONFIG_DIR"
THEMES = ("system", "light", "dark")
_base_palette: QPalette | None = None  # the platform's own palette, before any override


def set_application_names() -> None:
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)


def config_override() -> Path | None:
    value = os.environ.get(CONFIG_ENV)
    return Path(value) if value else None


def open_settings() -> QSettings:
    override = config_override()
    if override is not None:
        override.mkdir(parents=True, exist_ok=True)
        return QSettings(str(override / "starcoach.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


def log_dir() -> Path:
    """The user log folder (created on demand)."""
    override = config_override()
    if override is not None:
        path = override / "logs"
    else:
        location = getattr(QStandardPaths.StandardLocation, "StateLocation",
                           QStandardPaths.StandardLocation.AppLocalDataLocation)
        base = QStandardPaths.writableLocation(location)
        path = Path(base or Path.home() / ".starcoach") / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def theme_setting(settings: QSettings) -> str:
    value = str(settings.value("appearance/theme", "system"))
    return value if value in THEMES else "system"


def apply_theme(theme: str) -> None:
    """Follow the system (``"system"``) or force light/dark.

    Uses ``QStyleHints.setColorScheme`` so native styles switch like native apps; where the
    platform cannot (older Qt, headless/offscreen, some Linux desktops) a matching palette
    is set instead so the choice still takes effect.
    """
    app = QGuiApplication.instance()
    if app is None:
        return
    global _base_palette
    if _base_palette is None:
        _base_palette = QPalette(app.palette())
    base = _base_palette
    hints = app.styleHints()
    wanted = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(theme)
    if hasattr(hints, "setColorScheme"):
        if wanted is None:
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(wanted)
    honoured = wanted is None or hints.colorScheme() == wanted
    if honoured:
        app.setPalette(base)
    else:
        base_dark = base.color(QPalette.ColorRole.Window).lightness() < 128
        want_dark = wanted == Qt.ColorScheme.Dark
        app.setPalette(base if base_dark == want_dark else
                       (dark_palette() if want_dark else light_palette()))
    app.setProperty("starcoachTheme", theme)


def effective_dark() -> bool:
    app = QGuiApplication.instance()
    return bool(app) and app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _palette(colors: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    pal = QPalette()
    for role, value in colors.items():
        pal.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return pal


def dark_palette() -> QPalette:
    r = QPalette.ColorRole
    return _palette({
        r.Window: "#2b2b2b", r.WindowText: "#ececec", r.Base: "#1f1f1f",
        r.AlternateBase: "#262626", r.ToolTipBase: "#3a3a3a", r.ToolTipText: "#ececec",
        r.PlaceholderText: "#9a9a9a", r.Text: "#ececec", r.Button: "#353535",
        r.ButtonText: "#ececec", r.BrightText: "#ff6b5e", r.Light: "#4a4a4a",
        r.Midlight: "#3f3f3f", r.Mid: "#2f2f2f", r.Dark: "#1a1a1a", r.Shadow: "#000000",
        r.Highlight: "#3d6fc4", r.HighlightedText: "#ffffff", r.Link: "#7fb0ff",
        r.LinkVisited: "#c39bff", r.Accent: "#3d6fc4",
    }, "#7a7a7a")


def light_palette() -> QPalette:
    r = QPalette.ColorRole
    return _palette({
        r.Window: "#efefef", r.WindowText: "#1e1e1e", r.Base: "#ffffff",
        r.AlternateBase: "#f5f5f5", r.ToolTipBase: "#ffffdc", r.ToolTipText: "#000000",
        r.PlaceholderText: "#6e6e6e", r.Text: "#1e1e1e", r.Button: "#efefef",
        r.ButtonText: "#1e1e1e", r.BrightText: "#ffffff", r.Light: "#ffffff",
        r.Midlight: "#cacaca", r.Mid: "#b8b8b8", r.Dark: "#9f9f9f", r.Shadow: "#767676",
        r.Highlight: "#308cc6", r.HighlightedText: "#ffffff", r.Link: "#0000ff",
        r.LinkVisited: "#ff00ff", r.Accent: "#308cc6",
    }, "#8c8c8c")
