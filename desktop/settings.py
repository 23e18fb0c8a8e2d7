"""The window's side of the settings: opening the shared store, taking over what older
versions kept in QSettings, and following light/dark themes.

What StarCoach remembers lives in one file the command line reads too
(:mod:`starcoach.speech.settings`: folders, typed settings, atomic writes). Versions before
it kept the window's settings in QSettings (``$STARCOACH_CONFIG_DIR/starcoach.ini`` when
that is set); :func:`open_settings` takes them over once and removes them there.
"""

from __future__ import annotations

import base64
import contextlib
import os
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from starcoach.speech.settings import CONFIG_ENV, THEMES, SettingsStore, config_dir, log_dir

__all__ = ["THEMES", "SettingsStore", "apply_theme", "geometry_bytes", "geometry_text",
           "log_dir", "open_settings"]

ORGANIZATION = "StarCoach"
APPLICATION = "StarCoach"
QSETTINGS = "QSettings"  # the migration's source name
# QSettings keys of older versions → the store's fields
QSETTINGS_KEYS = {
    "speech/model": "model",
    "speech/device": "input_device",
    "speech/threads": "threads",
    "appearance/theme": "theme",
    "practice/question": "question",
    "practice/level": "level",
    "practice/lens": "lens",
    "files/lastDir": "answers_dir",
    "files/exportDir": "export_dir",
    "drill/readAloud": "read_aloud",
    "window/geometry": "window_geometry",
}
_base_palette: QPalette | None = None  # the platform's own palette, before any override


def set_application_names() -> None:
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)


def open_settings(store: SettingsStore | None = None) -> SettingsStore:
    """The settings store (default: the one file in the config folder), with what older
    versions kept in QSettings taken over first."""
    store = store if store is not None else SettingsStore()
    with contextlib.suppress(OSError):
        migrate_qsettings(store)
    return store


def legacy_qsettings() -> QSettings:
    """Where versions before the settings file kept the window's settings."""
    if os.environ.get(CONFIG_ENV):
        return QSettings(str(config_dir() / "starcoach.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


def _legacy_value(field: str, value: Any) -> Any:
    """A QSettings value as the store's field holds it (ini files hold text)."""
    if field == "threads":
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    if field == "read_aloud":
        return value not in (False, "false", "0", 0)
    if field == "window_geometry":
        return geometry_text(value) if isinstance(value, QByteArray | bytes) else None
    return str(value) if value is not None else None


def migrate_qsettings(store: SettingsStore) -> bool:
    """Take over the window's QSettings of older versions once (the store's own values
    win), then remove them there; returns whether anything was taken over."""
    if store.has_migrated(QSETTINGS):
        return False
    old = legacy_qsettings()
    keys = [k for k in QSETTINGS_KEYS if old.contains(k)]
    if not keys:
        return False
    values = {QSETTINGS_KEYS[k]: _legacy_value(QSETTINGS_KEYS[k], old.value(k)) for k in keys}
    if not store.migrate(QSETTINGS, values):
        return False
    for key in keys:
        old.remove(key)
    old.sync()
    return True


def geometry_text(geometry: QByteArray | bytes) -> str:
    """``QWidget.saveGeometry()``'s bytes as the store keeps them (base64)."""
    return base64.b64encode(bytes(geometry)).decode("ascii")


def geometry_bytes(text: str | None) -> QByteArray | None:
    """The stored geometry back as bytes for ``restoreGeometry``; ``None`` if there is none
    or it is not base64."""
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text.encode("ascii"), validate=True))
    except (ValueError, UnicodeEncodeError):
        return None


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
