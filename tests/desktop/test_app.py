"""The main window: opens fast, chooses questions, loads answers, persists settings and
reports errors in plain words."""

from __future__ import annotations

import json
import sys
import time

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from starcoach.desktop import errors
from starcoach.desktop.app import MainWindow
from starcoach.desktop.settings import open_settings
from starcoach.rubric.inputs import InputError
from starcoach.rubric.packs import builtin_catalogue
from starcoach.rubric.text import estimate_words

from .conftest import WEAK_ANSWER


@pytest.fixture
def window(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_window_opens_fast_and_lists_every_question_by_principle(qtbot):
    started = time.perf_counter()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert time.perf_counter() - started < 2.0
    cat = builtin_catalogue()
    tree = win.chooser.tree
    groups = {tree.topLevelItem(g).text(0): tree.topLevelItem(g).childCount()
              for g in range(tree.topLevelItemCount())}
    assert sum(groups.values()) == len(cat.questions)
    assert groups[cat.principles["ownership"]["name"]] == sum(
        1 for q in cat.questions.values() if q.principle == "ownership")
    assert win.chooser.question_id() == "ownership-failure"
    assert win.chooser.question.text() == cat.questions["ownership-failure"].text
    assert win.chooser.question.font().pointSizeF() > QGuiApplication.font().pointSizeF()
    for widget in (win.chooser.tree, win.chooser.level, win.chooser.lens, win.open_button):
        assert widget.accessibleName()


def test_lens_picker_offers_the_questions_lenses(window):
    window.chooser.select("ownership-failure", "senior", "dive-deep")
    assert window.chooser.level_id() == "senior"
    assert window.chooser.lens_id() == "dive-deep"
    lenses = [window.chooser.lens.itemData(i) for i in range(window.chooser.lens.count())]
    assert lenses == [None, *builtin_catalogue().questions["ownership-failure"].lenses]


def test_open_text_answer_shows_the_review(qtbot, window, tmp_path):
    path = tmp_path / "answer.txt"
    path.write_text(WEAK_ANSWER, encoding="utf-8")
    window.chooser.select("ownership-failure", "senior", None)
    with qtbot.waitSignal(window.answerLoaded) as blocker:
        assert window.open_answer(path)
    report = blocker.args[0]
    assert window.stack.currentWidget() is window.review
    assert report.question == "ownership-failure" and report.level == "senior"
    assert report.timing == "estimated"
    assert window.review.title.text() == window.chooser.question_text()
    assert window.review.findings.tree.topLevelItemCount() == len(report.findings)
    window.menus.back_action.trigger()
    assert window.stack.currentWidget() is window.chooser


def test_open_json_words_answer(qtbot, window, tmp_path):
    words = [w.to_json() for w in estimate_words(WEAK_ANSWER)]
    path = tmp_path / "answer.json"
    path.write_text(json.dumps({"words": words}), encoding="utf-8")
    with qtbot.waitSignal(window.answerLoaded) as blocker:
        window.open_answer(path)
    assert blocker.args[0].timing == "words"
    assert len(blocker.args[0].words) == len(words)


def test_bad_answer_file_is_one_plain_line(window, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    assert not window.open_answer(path)
    box = window.last_message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "malformed JSON" in box.text() and "\n" not in box.text()
    assert "Traceback" not in box.text()
    assert window.stack.currentWidget() is window.chooser
    box.close()


def test_unexpected_error_dialog_copies_details_and_logs(window, config_dir):
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        dialog = window.handle_exception(type(exc), exc, exc.__traceback__)
    assert isinstance(dialog, errors.ErrorDialog) and dialog.isVisible()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "RuntimeError: boom in a slot" in copied and "Traceback" in copied
    log = (config_dir / "logs" / errors.LOG_NAME).read_text(encoding="utf-8")
    assert "RuntimeError: boom in a slot" in log
    dialog.toggle_button.click()
    assert dialog.details.isVisible()
    dialog.close()


def test_known_errors_through_the_handler_are_plain(window):
    exc = InputError("answer.txt: is empty; nothing to analyse")
    box = window.handle_exception(InputError, exc, None)
    assert isinstance(box, QMessageBox)
    assert box.text() == "answer.txt: is empty; nothing to analyse"
    box.close()


def test_settings_persist_in_the_config_dir(qtbot, window, config_dir):
    window.set_theme("dark")
    window.chooser.select("dive-deep-root-cause", "junior", None)
    window.close()
    assert (config_dir / "settings.json").is_file()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.menus.theme_actions["dark"].isChecked()
    assert again.chooser.question_id() == "dive-deep-root-cause"
    assert again.chooser.level_id() == "junior"
    assert open_settings().load().theme == "dark"
    again.set_theme("system")


def test_dark_theme_darkens_the_palette(window):
    try:
        window.set_theme("dark")
        assert QApplication.palette().color(QApplication.palette().ColorRole.Window) \
            .lightness() < 128
        window.set_theme("light")
        assert QApplication.palette().color(QApplication.palette().ColorRole.Window) \
            .lightness() > 128
    finally:
        window.set_theme("system")


def test_starcoach_opens_the_window_and_quits(tmp_path):
    """`starcoach` with no arguments opens the main window (own process, offscreen): the
    whole start path, run() included, exactly as a person launches it."""
    import os
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STARCOACH_QUIT_AFTER_MS": "300",
           "STARCOACH_CONFIG_DIR": str(tmp_path), "STARCOACH_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "starcoach.desktop"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    logs = list((tmp_path / "logs").glob("*.log"))
    assert logs and "StarCoach started" in logs[0].read_text()


def test_screenshots_script(tmp_path, monkeypatch):
    from starcoach.desktop import screenshots

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    saved = screenshots.save_screenshots(tmp_path)
    names = sorted(p.name for p in saved)
    assert names == sorted(f"{shot}-{theme}.png" for theme in ("light", "dark")
                           for shot in ("first-run", "history", "practice", "progress",
                                        "questions", "review", "star-guide"))
    for p in saved:
        assert p.stat().st_size > 10_000
