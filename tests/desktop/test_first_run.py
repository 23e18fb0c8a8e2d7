"""A first run that explains itself: the first screen says which speech model is in use and
what it does, the window opens at a size that shows everything, question titles are shown
whole, the message boxes come from one builder in plain words with the technical details
behind "Copy details", and every dialog fits its text at a large font."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStyle
from starcoach.desktop import errors
from starcoach.desktop.app import MainWindow
from starcoach.desktop.practice.download import UNREACHABLE_TEXT, DownloadDialog
from starcoach.desktop.practice.faults import model_missing
from starcoach.desktop.sizing import DEFAULT_SIZE, default_size
from starcoach.rubric.inputs import InputError
from starcoach.rubric.packs import builtin_catalogue

from .layout_helpers import big_font, layout_problems

TECHNICAL = ("urlopen", "Errno", "--", "`", "Traceback", "Error:", "http")


class _Model:
    """Stands in for a loaded speech model (nothing here transcribes)."""


def _window(qtbot, size: QSize = DEFAULT_SIZE) -> MainWindow:
    win = MainWindow(loader=lambda _model, _threads: _Model())
    qtbot.addWidget(win)
    win.resize(size)
    with qtbot.waitSignal(win.practice.modelReady, timeout=10_000):
        win.show()
        qtbot.waitExposed(win)
    return win


# -- the speech model on the first screen --------------------------------------------------
def test_the_first_screen_says_what_the_speech_model_is_and_how_to_get_a_better_one(qtbot):
    win = _window(qtbot)
    banner = win.model_banner
    assert banner.isVisible() and win.stack.currentWidget() is win.chooser
    assert banner.text() == "Speech model: tiny.en (built in) — Get a more accurate model…"
    note = banner.note.text()
    assert banner.note.isVisible()
    assert "turns your spoken answer into text" in note
    assert "base.en or small.en" in note and "more accurately" in note
    assert "turns your spoken answer into text" in banner.accessibleDescription()
    banner.ready("small.en")  # the largest on offer: nothing better to point at
    assert "more accurately" not in banner.note.text()
    assert banner.button.text() == "Other speech models…"


# -- window size ---------------------------------------------------------------------------
def test_the_first_window_is_1100_by_720_clamped_to_the_screen(qtbot):
    assert default_size(QSize(1920, 1040)) == QSize(1100, 720)
    small = default_size(QSize(1024, 600))
    assert small.width() <= 1024 and small.height() <= 600 and small.width() >= 900
    win = MainWindow(loader=lambda _model, _threads: _Model())
    qtbot.addWidget(win)
    assert win.size() == default_size(win.screen().availableGeometry().size())


# -- question titles -----------------------------------------------------------------------
def _text_rect_height(view, rect: QRect, text: str) -> int:
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    box = QRect(0, 0, rect.width() - 2 * margin, 100_000)
    return view.fontMetrics().boundingRect(box, Qt.TextFlag.TextWordWrap, text).height()


@pytest.mark.parametrize("points", [None, 20])
def test_question_titles_in_the_chooser_are_shown_whole(qtbot, points):
    with big_font(points or QGuiApplication.font().pointSize()):
        win = _window(qtbot)
        tree = win.chooser.tree
        qtbot.waitUntil(lambda: tree.visualItemRect(tree.topLevelItem(0)).height() > 0)
        assert tree.textElideMode() == Qt.TextElideMode.ElideNone
        cat = builtin_catalogue()
        checked = 0
        for g in range(tree.topLevelItemCount()):
            group = tree.topLevelItem(g)
            for c in range(group.childCount()):
                item = group.child(c)
                rect = tree.visualItemRect(item)
                text = cat.questions[item.data(0, Qt.ItemDataRole.UserRole)].text
                assert item.text(0) == text and text in item.toolTip(0)
                assert rect.height() >= _text_rect_height(tree, rect, text), text
                checked += 1
        assert checked == len(cat.questions)
        # Wider: fewer lines, rows follow the new width.
        before = tree.visualItemRect(tree.topLevelItem(0).child(0)).height()
        win.chooser.splitter.setSizes([3000, 1000])
        qtbot.waitUntil(
            lambda: tree.visualItemRect(tree.topLevelItem(0).child(0)).height() <= before)


def test_the_weakest_area_list_shows_each_question_whole(qtbot):
    from starcoach.desktop.bank.picker import WeakestDialog

    cat = builtin_catalogue()
    failures = {q: Counter({"we_language": 2, "no_metric_delta": 1}) for q in cat.questions}
    dialog = WeakestDialog(cat, failures)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.list
    assert view.count() > 0
    for row in range(view.count()):
        item = view.item(row)
        rect = view.visualItemRect(item)
        assert rect.height() >= _text_rect_height(view, rect, item.text()), item.text()


# -- message boxes -------------------------------------------------------------------------
def test_every_message_box_comes_from_one_builder_with_copy_details(qtbot):
    win = _window(qtbot)
    problem = win.show_problem("Cannot play the recording", "The file is gone.",
                               details="FileNotFoundError: /tmp/x.wav")
    fault = win.show_fault(model_missing())
    known = errors.show_known_error(win, InputError("answer.txt: is empty; nothing to analyse"))
    for box in (problem, fault, known):
        assert isinstance(box, errors.MessageBox) and box.isVisible()
        assert box.textFormat() == Qt.TextFormat.PlainText
    assert fault.objectName() == "fault-model-missing" and fault.copy_button is None
    assert known.text() == "answer.txt: is empty; nothing to analyse"
    problem.copy_button.click()
    assert QGuiApplication.clipboard().text() == "FileNotFoundError: /tmp/x.wav"
    assert problem.isVisible() and problem.copy_button.text() == "Copied"  # still open
    known.copy_button.click()
    assert "InputError" in QGuiApplication.clipboard().text() and known.isVisible()
    for box in (problem, fault, known):
        box.close()


def test_the_offline_download_failure_is_plain_words_with_details_to_copy(qtbot):
    dialog = DownloadDialog("base.en", None, endpoint="http://127.0.0.1:9")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.copy_button.isVisible()
    dialog.start_download()
    qtbot.waitUntil(lambda: not dialog.downloading and dialog.download_button.isEnabled(),
                    timeout=30_000)
    assert dialog.message.text() == UNREACHABLE_TEXT
    assert "Settings → Speech model" in UNREACHABLE_TEXT
    shown = [w.text() for w in (dialog.message, dialog.detail, dialog.status) if w.isVisible()]
    for text in shown:
        assert not any(bad in text for bad in TECHNICAL), text
    assert dialog.copy_button.isVisible()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "127.0.0.1:9" in copied and "base.en" in copied  # the technical story, copied
    assert dialog.isVisible()


# -- every dialog at a large font ----------------------------------------------------------
def _download(parent):
    return DownloadDialog("base.en", None, choices=("base.en", "small.en"), parent=parent)


def _download_failed(parent):
    dialog = _download(parent)
    dialog._failed(OSError("cannot list Systran/faster-whisper-base.en at http://127.0.0.1:9 "
                           "(<urlopen error [Errno 111] Connection refused>)"))
    return dialog


def _error(parent):
    return errors.ErrorDialog("Traceback (most recent call last):\nRuntimeError: boom",
                              Path("/tmp/logs/starcoach.log"), parent)


def _known(parent):
    return errors.message_box(parent, "Cannot open this answer", "broken.json: malformed "
                              "JSON at line 1 column 2 (expecting a property name)",
                              details="InputError: broken.json", show=False)


def _weakest(parent):
    from starcoach.desktop.bank.picker import WeakestDialog

    cat = builtin_catalogue()
    return WeakestDialog(cat, {"ownership-failure": Counter({"we_language": 3})}, parent)


def _weakest_empty(parent):
    from starcoach.desktop.bank.picker import WeakestDialog

    return WeakestDialog(builtin_catalogue(), {}, parent)


def _mock(parent):
    from starcoach.desktop.bank.picker import MockDialog

    return MockDialog(parent)


def _model_answer(parent):
    from starcoach.desktop.bank.model_answer import ModelAnswerDialog

    return ModelAnswerDialog("ownership-failure", parent)


def _star_guide(parent):
    from starcoach.desktop.help import StarGuideDialog

    return StarGuideDialog(parent)


def _shortcuts(parent):
    from starcoach.desktop.help import ShortcutsDialog

    return ShortcutsDialog(parent)


def _fits(widget) -> None:
    problems = layout_problems(widget)
    assert not problems, problems


DIALOGS = [_download, _download_failed, _error, _known, _weakest, _weakest_empty, _mock,
           _model_answer, _star_guide, _shortcuts]


@pytest.mark.parametrize("make", DIALOGS, ids=lambda f: f.__name__.strip("_"))
def test_every_dialog_fits_its_text_at_a_large_font(qtbot, make):
    with big_font():
        win = _window(qtbot)
        dialog = make(win)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda: _fits(dialog), timeout=2_000)
        screen = dialog.screen().availableGeometry()
        assert dialog.width() <= max(screen.width(), DEFAULT_SIZE.width())
        dialog.close()


def test_the_first_screen_fits_its_text_at_a_large_font(qtbot):
    with big_font():
        win = _window(qtbot)
        qtbot.waitUntil(lambda: _fits(win), timeout=2_000)
        assert win.practise_button.isVisible() and win.model_banner.note.isVisible()


def test_a_longer_model_line_is_laid_out_at_once_and_the_chosen_question_shows(qtbot):
    win = MainWindow(loader=lambda _model, _threads: _Model())
    qtbot.addWidget(win)
    win.resize(DEFAULT_SIZE)
    win.chooser.select("ownership-failure", "mid", None)  # before the window shows
    with qtbot.waitSignal(win.practice.modelReady, timeout=10_000):
        win.show()
        qtbot.waitExposed(win)
    note = win.model_banner.note
    win.model_banner.unavailable("The built-in speech model is damaged. Reinstall StarCoach, "
                                 "or get a speech model.")
    assert note.height() + 1 >= note.heightForWidth(note.width())  # no event in between
    tree = win.chooser.tree
    item = tree.currentItem()
    qtbot.waitUntil(lambda: tree.viewport().rect().contains(tree.visualItemRect(item)))
    group = item.parent()
    assert tree.viewport().rect().intersects(tree.visualItemRect(group))  # its principle too
