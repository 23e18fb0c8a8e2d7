"""The window and the command line share one settings store: what older versions kept in
QSettings is taken over once, and a model folder chosen in the window is the CLI's too."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QFileDialog
from starcoach.desktop.app import MainWindow
from starcoach.desktop.practice.settings_dialog import SettingsDialog
from starcoach.desktop.settings import (
    QSETTINGS_KEYS,
    geometry_bytes,
    geometry_text,
    legacy_qsettings,
    open_settings,
)
from starcoach.speech.models import model_label, resolve_model
from starcoach.speech.settings import Settings, SettingsStore


def test_everything_older_versions_kept_in_qsettings_is_taken_over_once(config_dir):
    old = legacy_qsettings()
    geometry = QByteArray(b"\x01\xd9\xd0\xcb\x00\x03")
    for key, value in {"speech/model": "/models/mine", "speech/device": "USB mic",
                       "speech/threads": 2, "appearance/theme": "dark",
                       "practice/question": "dive-deep-root-cause", "practice/level": "senior",
                       "practice/lens": "outcome-first", "files/lastDir": "/answers",
                       "files/exportDir": "/exports", "drill/readAloud": False,
                       "window/geometry": geometry}.items():
        old.setValue(key, value)
    old.sync()
    SettingsStore().update(theme="light")  # chosen since (say, by the CLI): it stays
    assert open_settings().load() == Settings(
        model="/models/mine", input_device="USB mic", threads=2, theme="light",
        question="dive-deep-root-cause", level="senior", lens="outcome-first",
        answers_dir="/answers", export_dir="/exports", read_aloud=False,
        window_geometry=geometry_text(geometry))
    again = legacy_qsettings()
    assert not any(again.contains(key) for key in QSETTINGS_KEYS)  # moved, not copied
    again.setValue("practice/level", "junior")  # an older version ran once more
    again.sync()
    assert open_settings().load().level == "senior"  # taken over once only


def test_the_window_geometry_survives_the_store():
    raw = QByteArray(bytes(range(256)))
    assert geometry_bytes(geometry_text(raw)) == raw
    assert geometry_bytes("not base64!") is None and geometry_bytes(None) is None


def test_a_model_folder_chosen_in_the_window_is_the_one_starcoach_models_uses(
        qtbot, test_model, monkeypatch, tmp_path):
    win = MainWindow(loader=lambda _m, _t: object())
    qtbot.addWidget(win)
    dialog = SettingsDialog(win.settings, win)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(test_model)))
    dialog.choose_model_folder()
    assert "model" in dialog.save()
    assert resolve_model() == test_model.resolve()  # what `starcoach analyze` loads
    done = subprocess.run([sys.executable, "-m", "starcoach.desktop", "models"],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert f"in use: {model_label(str(test_model))}\n" in done.stdout
    assert done.stderr == ""
