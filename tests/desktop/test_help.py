"""The Help menu: STAR guide (F1), Keyboard shortcuts (Ctrl+/), About. The guide's sections
and targets come from the packs; the shortcuts window lists the window's real shortcuts."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from starcoach.desktop import wording
from starcoach.desktop.app import MainWindow
from starcoach.desktop.help import SECTION_ADVICE, ShortcutsDialog, StarGuideDialog, shortcuts
from starcoach.rubric.packs import builtin_catalogue


@pytest.fixture
def window(qtbot):
    win = MainWindow(loader=lambda _m, _t: object())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _help_menu(win):
    return next(a.menu() for a in win.menuBar().actions() if a.text() == "&Help")


def test_the_help_menu_offers_the_guide_the_shortcuts_and_about(window):
    texts = [a.text() for a in _help_menu(window).actions() if not a.isSeparator()]
    assert texts == ["&STAR Guide", "&Keyboard Shortcuts", "&About StarCoach"]
    assert QKeySequence("F1") in window.menus.guide_action.shortcuts()
    assert window.menus.shortcuts_action.shortcut() == QKeySequence("Ctrl+/")


def test_the_guide_opens_with_f1_and_reads_its_targets_from_the_packs(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.menus.guide_dialog is not None)
    guide = window.menus.guide_dialog
    assert isinstance(guide, StarGuideDialog) and guide.isVisible()
    cat = builtin_catalogue()
    rows = guide.sections()
    assert [r[0] for r in rows] == list(cat.expected_sections)
    text = guide.text()
    for label, name, target, advice in rows:
        assert name == wording.section_name(label) and target == cat.targets[label]
        assert f"{name} — under {round(target)} s" in text
        assert advice and advice in text
    assert f"about {round(cat.targets['answer'])} s" in text
    window.menus.guide_action.trigger()
    assert window.menus.guide_dialog is guide  # one guide, raised again


def test_the_guide_follows_a_changed_target(qtbot):
    cat = dataclasses.replace(builtin_catalogue())
    cat.targets = {**cat.targets, "situation": 33.0}
    guide = StarGuideDialog(catalogue=cat)
    qtbot.addWidget(guide)
    assert "Situation — under 33 s" in guide.text()
    assert set(SECTION_ADVICE) == set(cat.expected_sections)


def test_the_shortcuts_window_lists_the_real_shortcuts(qtbot, window):
    window.menus.shortcuts_action.trigger()
    dialog = window.menus.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    listed = dialog.listed()
    native = QKeySequence.SequenceFormat.NativeText

    def keys(action: QAction) -> str:
        return ", ".join(dict.fromkeys(s.toString(native) for s in action.shortcuts()
                                       if not s.isEmpty()))

    expected = {("Everywhere", "Practise", keys(window.menus.practise_action)),
                ("Everywhere", "STAR Guide", keys(window.menus.guide_action)),
                ("Everywhere", "Keyboard Shortcuts", "Ctrl+/"),
                ("Everywhere", "Model Answer", keys(window.bank.model_answer_action)),
                ("Practice", "Start / Stop Answer", "Space"),
                ("Review", "Play / Pause Recording", "Ctrl+Space")}
    assert expected <= set(listed)
    # Everything with a shortcut in the window is listed, and nothing else.
    with_keys = [a for a in window.findChildren(QAction) if keys(a)]
    assert len(listed) == len({(r.area, r.action) for r in shortcuts(window)})
    assert len(listed) >= len({a.text() for a in with_keys}) - 1
    assert all(k for _area, _action, k in listed)


def test_a_new_shortcut_shows_without_editing_the_window(qtbot, window):
    extra = QAction("Say Hello", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+H"))
    window.addAction(extra)
    assert ("Everywhere", "Say Hello", "Ctrl+Alt+H") in ShortcutsDialog(window).listed()
