"""The one settings store: folders, typed settings, atomic writes, damaged files, migration."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from starcoach.speech import settings
from starcoach.speech.settings import Settings, SettingsStore


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config"
    monkeypatch.setenv("STARCOACH_CONFIG_DIR", str(path))
    return path


def test_folders_follow_the_environment_and_platformdirs(tmp_path, monkeypatch):
    monkeypatch.setenv("STARCOACH_CONFIG_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(tmp_path / "d"))
    assert settings.settings_path() == tmp_path / "c" / "settings.json"
    assert settings.models_dir() == tmp_path / "d" / "models"
    assert settings.user_packs_dir() == tmp_path / "d" / "packs"
    assert settings.log_dir() == tmp_path / "c" / "logs" and (tmp_path / "c" / "logs").is_dir()
    if sys.platform.startswith("linux"):  # as before: ~/.local/share/starcoach, XDG honoured
        monkeypatch.delenv("STARCOACH_CONFIG_DIR")
        monkeypatch.delenv("STARCOACH_DATA_DIR")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
        assert settings.config_dir() == tmp_path / "xdg-config" / "starcoach"
        assert settings.data_dir() == tmp_path / "xdg-data" / "starcoach"


def test_every_setting_round_trips_through_one_file(config):
    chosen = Settings(model="/models/small-ct2", input_device="USB mic", threads=3,
                      theme="dark", question="dive-deep-root-cause", level="senior",
                      lens="outcome-first", answers_dir="/answers", export_dir="/exports",
                      read_aloud=False, window_geometry="AdnQywADAAA=")
    store = SettingsStore()
    assert store.load() == Settings()  # no file: the defaults, and nothing written
    assert not (config / "settings.json").exists()
    assert store.update(**dataclasses.asdict(chosen)) == chosen
    assert SettingsStore().load() == chosen  # a fresh reader (another process) sees it all
    stored = json.loads((config / "settings.json").read_text(encoding="utf-8"))
    assert stored["model"] == "/models/small-ct2" and stored["read_aloud"] is False
    assert not list(config.glob("*.tmp"))
    back = store.update(model=None, theme="system", lens="")  # None / "" / default: reset
    assert (back.model, back.theme, back.lens) == (None, "system", None)
    assert "model" not in json.loads((config / "settings.json").read_text(encoding="utf-8"))


def test_a_value_that_does_not_fit_is_refused_on_write_and_its_default_on_read(config,
                                                                               caplog):
    store = SettingsStore()
    for bad in ({"threads": -1}, {"threads": "2"}, {"theme": "purple"}, {"read_aloud": 1},
                {"model": 7}, {"no_such_setting": 1}):
        with pytest.raises(ValueError):
            store.update(**bad)
    config.mkdir()
    (config / "settings.json").write_text(json.dumps(
        {"model": "base.en", "threads": "lots", "theme": "purple", "future_key": [1, 2]}),
        encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="starcoach.settings"):
        loaded = store.load()
    assert loaded == Settings(model="base.en")
    (line,) = [r.getMessage() for r in caplog.records]
    assert "threads, theme" in line and "\n" not in line
    store.update(level="junior")  # a key of a newer version is kept
    assert json.loads((config / "settings.json").read_text())["future_key"] == [1, 2]


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe{}", b"x" * 70_000])
def test_a_malformed_file_reads_as_the_defaults_with_one_line(config, caplog, content):
    config.mkdir()
    path = config / "settings.json"
    path.write_bytes(content)
    store = SettingsStore()
    with caplog.at_level(logging.WARNING, logger="starcoach.settings"):
        assert store.load() == Settings()
        assert store.load() == Settings()  # read again: said once
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.startswith(f"starcoach: the settings file {path} cannot be used (")
    assert line.endswith("; using the defaults") and "\n" not in line
    assert store.problem == line
    assert store.update(theme="dark").theme == "dark"  # the next change starts afresh...
    assert (config / "settings.json.damaged").read_bytes() == content  # ...keeping the old
    assert SettingsStore().load() == Settings(theme="dark")


def test_the_command_line_says_a_malformed_file_in_one_line_and_carries_on(config):
    config.mkdir()
    (config / "settings.json").write_text('{"model": ', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "starcoach.desktop", "models"],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "settings file" in line]
    assert len(said) == 1 and "using the defaults" in said[0]
    assert "Traceback" not in done.stderr
    assert "in use: tiny.en (built in)" in done.stdout


def test_a_failed_write_leaves_the_old_file_as_it_was(config):
    store = SettingsStore()
    store.update(model="base.en")
    before = (config / "settings.json").read_bytes()
    (config / "settings.tmp").symlink_to("/dev/full")  # the disk is full
    with pytest.raises(OSError):
        store.update(model="small.en")
    assert (config / "settings.json").read_bytes() == before
    assert not (config / "settings.tmp").exists()
    (config / "settings.tmp").symlink_to("/dev/full")
    assert store.remember(model="small.en") is False  # the window's remembering never raises
    assert store.load().model == "base.en"


def test_the_data_folder_settings_of_older_versions_are_taken_over_once(config, tmp_path,
                                                                        monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(data))
    data.mkdir()
    (data / "settings.json").write_text(json.dumps(
        {"model": "/models/mine", "input_device": "USB mic"}), encoding="utf-8")
    assert settings.chosen_model() == "/models/mine"
    assert settings.chosen_device() == "USB mic"
    assert json.loads((config / "settings.json").read_text())["model"] == "/models/mine"
    settings.choose_model("base.en")  # chosen since: the old file never wins again
    (data / "settings.json").write_text(json.dumps({"model": "/models/old"}), encoding="utf-8")
    assert settings.chosen_model() == "base.en"


def test_a_migration_keeps_what_the_store_already_holds(config):
    store = SettingsStore()
    store.update(theme="light")
    assert store.migrate("old place", {"theme": "dark", "level": "senior", "threads": "x",
                                       "unknown": 1})
    assert store.load() == Settings(theme="light", level="senior")
    assert store.has_migrated("old place")
    assert not store.migrate("old place", {"level": "junior"})  # once
    assert store.load().level == "senior"
