"""The main window's menus (File, View, Help) and their shortcuts; the Questions menu is
``bank.actions``. The actions are kept on the window, which enables them as screens change."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMessageBox
from starcoach.desktop.settings import THEMES


def build_menus(w: Any) -> None:
    """Create the menus on window ``w`` and store the actions as its attributes."""
    menu = w.menuBar()
    file_menu = menu.addMenu("&File")
    w.open_action = QAction("&Open Answer…", w)
    w.open_action.setShortcut(QKeySequence.StandardKey.Open)
    w.open_action.triggered.connect(w.choose_answer_file)
    file_menu.addAction(w.open_action)
    w.settings_action = QAction("&Settings…", w)
    w.settings_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Preferences),
                                       QKeySequence("Ctrl+,")])
    w.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    w.settings_action.triggered.connect(w.open_settings_dialog)
    file_menu.addAction(w.settings_action)
    file_menu.addSeparator()
    quit_action = QAction("&Quit", w)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    quit_action.triggered.connect(w.close)
    file_menu.addAction(quit_action)

    view = menu.addMenu("&View")
    w.back_action = QAction("&Questions", w)
    w.back_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Back),
                                   QKeySequence("Ctrl+Shift+Q")])
    w.back_action.triggered.connect(w.show_questions)
    view.addAction(w.back_action)
    w.review_action = QAction("&Review", w)
    w.review_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
    w.review_action.triggered.connect(w.show_review)
    view.addAction(w.review_action)
    w.practise_action = QAction("&Practise", w)
    w.practise_action.setShortcut(QKeySequence("Ctrl+P"))
    w.practise_action.triggered.connect(w.show_practice)
    view.addAction(w.practise_action)
    w.history_action = QAction("&History", w)
    w.history_action.setShortcut(QKeySequence("Ctrl+H"))
    w.history_action.triggered.connect(lambda: w.show_history())
    view.addAction(w.history_action)
    view.addSeparator()
    view.addAction(w.review.rerecord_action)
    view.addAction(w.review.reset_action)
    view.addSeparator()
    theme_menu = view.addMenu("&Theme")
    w.theme_group = QActionGroup(w)
    w.theme_actions: dict[str, QAction] = {}
    for theme, text in zip(THEMES, ("Follow &System", "&Light", "&Dark"), strict=True):
        action = QAction(text, w, checkable=True)
        action.setData(theme)
        action.triggered.connect(lambda _=False, t=theme: w.set_theme(t))
        w.theme_group.addAction(action)
        theme_menu.addAction(action)
        w.theme_actions[theme] = action

    help_menu = menu.addMenu("&Help")
    w.guide_action = QAction("&STAR Guide", w)
    w.guide_action.setShortcuts(_keys(QKeySequence.StandardKey.HelpContents, "F1"))
    w.guide_action.setToolTip("What each STAR section holds, and its target")
    w.guide_action.triggered.connect(lambda: _show_help(w, "guide"))
    help_menu.addAction(w.guide_action)
    w.shortcuts_action = QAction("&Keyboard Shortcuts", w)
    w.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
    w.shortcuts_action.triggered.connect(lambda: _show_help(w, "shortcuts"))
    help_menu.addAction(w.shortcuts_action)
    help_menu.addSeparator()
    about = QAction("&About StarCoach", w)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: _about(w))
    help_menu.addAction(about)


def _keys(*keys: QKeySequence.StandardKey | str) -> list[QKeySequence]:
    """The distinct, non-empty sequences among ``keys`` (a standard key may be empty or
    the same as a literal one on some platforms)."""
    out: list[QKeySequence] = []
    for key in keys:
        seq = QKeySequence(key)
        if not seq.isEmpty() and seq not in out:
            out.append(seq)
    return out


def _show_help(w: Any, which: str) -> None:
    """The STAR guide or the shortcuts, one window of each (raised when already open)."""
    from starcoach.desktop.help import ShortcutsDialog, StarGuideDialog

    attr = f"{which}_dialog"
    dialog = getattr(w, attr, None)
    if dialog is None:
        dialog = StarGuideDialog(w) if which == "guide" else ShortcutsDialog(w)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _=None: setattr(w, attr, None))
        setattr(w, attr, dialog)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()


def _about(w: Any) -> None:
    QMessageBox.about(w, "About StarCoach",
                      "<p><b>StarCoach</b></p><p>Rehearse spoken STAR answers offline: "
                      "sections timed, feedback drawn on your own words.</p><p>Nothing you say "
                      "leaves this computer.</p>")
