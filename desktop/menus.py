"""The main window's menus (File, View, Help) and their shortcuts; the Questions menu is
``bank.actions``. ``Menus`` holds the actions (the window enables them as screens change)
and the help windows it opened."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QMenuBar, QMessageBox, QWidget
from starcoach.desktop.settings import THEMES
from starcoach.desktop.shell import Pages


@dataclass(frozen=True)
class MenuSlots:
    """What the File menu and the theme choice do."""

    open_answer: Callable[[], object]
    settings: Callable[[], object]
    quit: Callable[[], object]
    theme: Callable[[str], object]


class Menus:
    """The File, View and Help menus on ``bar``, their actions owned by ``parent`` (the
    window, which also parents the help windows); ``review_actions`` join the View menu."""

    def __init__(self, bar: QMenuBar, parent: QWidget, pages: Pages, slots: MenuSlots,
                 review_actions: Sequence[QAction]) -> None:
        self.parent = parent
        self.guide_dialog: QDialog | None = None
        self.shortcuts_dialog: QDialog | None = None
        w = parent
        file_menu = bar.addMenu("&File")
        self.open_action = QAction("&Open Answer…", w)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(slots.open_answer)
        file_menu.addAction(self.open_action)
        self.settings_action = QAction("&Settings…", w)
        self.settings_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Preferences),
                                           QKeySequence("Ctrl+,")])
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(slots.settings)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", w)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(slots.quit)
        file_menu.addAction(quit_action)

        view = bar.addMenu("&View")
        self.back_action = QAction("&Questions", w)
        self.back_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Back),
                                       QKeySequence("Ctrl+Shift+Q")])
        self.back_action.triggered.connect(pages.show_questions)
        view.addAction(self.back_action)
        self.review_action = QAction("&Review", w)
        self.review_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
        self.review_action.triggered.connect(pages.show_review)
        view.addAction(self.review_action)
        self.practise_action = QAction("&Practise", w)
        self.practise_action.setShortcut(QKeySequence("Ctrl+P"))
        self.practise_action.triggered.connect(pages.show_practice)
        view.addAction(self.practise_action)
        self.history_action = QAction("&History", w)
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.triggered.connect(lambda: pages.show_history())
        view.addAction(self.history_action)
        view.addSeparator()
        for action in review_actions:
            view.addAction(action)
        view.addSeparator()
        theme_menu = view.addMenu("&Theme")
        self.theme_group = QActionGroup(w)
        self.theme_actions: dict[str, QAction] = {}
        for theme, text in zip(THEMES, ("Follow &System", "&Light", "&Dark"), strict=True):
            action = QAction(text, w, checkable=True)
            action.setData(theme)
            action.triggered.connect(lambda _=False, t=theme: slots.theme(t))
            self.theme_group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[theme] = action

        help_menu = bar.addMenu("&Help")
        self.guide_action = QAction("&STAR Guide", w)
        self.guide_action.setShortcuts(_keys(QKeySequence.StandardKey.HelpContents, "F1"))
        self.guide_action.setToolTip("What each STAR section holds, and its target")
        self.guide_action.triggered.connect(lambda: self.show_help("guide"))
        help_menu.addAction(self.guide_action)
        self.shortcuts_action = QAction("&Keyboard Shortcuts", w)
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        self.shortcuts_action.triggered.connect(lambda: self.show_help("shortcuts"))
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        about = QAction("&About StarCoach", w)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(lambda: _about(w))
        help_menu.addAction(about)

    def show_help(self, which: str) -> None:
        """The STAR guide or the shortcuts, one window of each (raised when already open)."""
        from starcoach.desktop.help import ShortcutsDialog, StarGuideDialog

        attr = f"{which}_dialog"
        dialog = getattr(self, attr)
        if dialog is None:
            w = self.parent
            dialog = StarGuideDialog(w) if which == "guide" else ShortcutsDialog(w)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(lambda _=None: setattr(self, attr, None))
            setattr(self, attr, dialog)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()


def _keys(*keys: QKeySequence.StandardKey | str) -> list[QKeySequence]:
    """The distinct, non-empty sequences among ``keys`` (a standard key may be empty or
    the same as a literal one on some platforms)."""
    out: list[QKeySequence] = []
    for key in keys:
        seq = QKeySequence(key)
        if not seq.isEmpty() and seq not in out:
            out.append(seq)
    return out


def _about(w: QWidget) -> None:
    QMessageBox.about(w, "About StarCoach",
                      "<p><b>StarCoach</b></p><p>Rehearse spoken STAR answers offline: "
                      "sections timed, feedback drawn on your own words.</p><p>Nothing you say "
                      "leaves this computer.</p>")
