"""Desktop tests run headless, with settings, logs and data in a per-test folder.

A fake microphone (tests/speech's ALSA file-plugin FakeMic, fed through a FIFO) is set up
here, at import: PortAudio reads ALSA's configuration once, when ``sounddevice`` is first
imported, so ``ALSA_CONFIG_PATH`` must name the fake device before any test imports it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported anywhere

import pytest
from PySide6.QtCore import QStandardPaths
from starcoach.rubric.analyze import analyze
from starcoach.rubric.text import estimate_words

QStandardPaths.setTestModeEnabled(True)  # never the user's own folders
HERE = Path(__file__).resolve().parent


def speech_helpers():
    """tests/speech/conftest.py as a module: FakeMic, espeak-ng speech, the test model."""
    name = "_speech_conftest_for_desktop"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE.parent / "speech" / "conftest.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


FAKEMIC = None  # the session's fake microphone, when PortAudio could be pointed at it
FAKEMIC_PROBLEM = "ALSA configuration not installed"
if "sounddevice" in sys.modules:
    FAKEMIC_PROBLEM = "sounddevice was imported before tests/desktop/conftest.py"
elif Path("/usr/share/alsa/alsa.conf").exists():
    _MIC_DIR = Path(tempfile.mkdtemp(prefix="starcoach-desktop-mic-"))
    FAKEMIC = speech_helpers().FakeMic(_MIC_DIR)
    os.environ["ALSA_CONFIG_PATH"] = FAKEMIC.alsa_config_path


def stop_feeding(mic) -> None:
    """Stop the feeder, draining the FIFO meanwhile: once nobody records, its writes block."""
    stop, thread = getattr(mic, "_stop", None), getattr(mic, "_thread", None)
    if stop is None or thread is None:
        return
    stop.set()
    while thread.is_alive():
        mic.drain()
        thread.join(0.02)
    mic.stop_feeding()
    mic.drain()


@pytest.fixture(scope="session", autouse=True)
def _fakemic_cleanup():
    yield
    if FAKEMIC is not None:
        stop_feeding(FAKEMIC)
        shutil.rmtree(_MIC_DIR, ignore_errors=True)


@pytest.fixture
def fakemic():
    if FAKEMIC is None:
        pytest.skip(FAKEMIC_PROBLEM)
    from starcoach.speech.devices import list_input_devices

    if not any("fakemic" in d.name or d.name == "default" for d in list_input_devices()):
        pytest.skip("PortAudio does not list the fake microphone")
    yield FAKEMIC
    stop_feeding(FAKEMIC)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """History, models and device choice in the test's folder; never the hub."""
    path = tmp_path / "data"
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(path))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    return path


@pytest.fixture(scope="session")
def test_model(tmp_path_factory):
    """The tiny random-weight faster-whisper model (tests/tools/build_test_model.py)."""
    return speech_helpers().build_test_model.build(tmp_path_factory.mktemp("model") / "test")

WEAK_ANSWER = (
    "So um last year I was on the payments team and we had this big outage where like a "
    "lot of checkouts were failing for about two hours, and it was kind of a mess, and "
    "there were a lot of people involved and we had many meetings about the whole thing "
    "over several weeks. My manager asked me to look into it and figure out what happened. "
    "We looked at the logs and we found that a config change had broken the retry logic. "
    "I escalated it to the platform team and sent them a message, and then they fixed it "
    "eventually. In the end things got a lot better and the team was happy. "
    "What I learned is that communication is really important."
)


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    path = tmp_path / "config"
    monkeypatch.setenv("STARCOACH_CONFIG_DIR", str(path))
    return path


@pytest.fixture
def weak_report():
    return analyze(estimate_words(WEAK_ANSWER), principle="ownership")


@pytest.fixture
def review(qtbot, weak_report):
    from starcoach.desktop.review.screen import ReviewScreen

    screen = ReviewScreen()
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.set_report(weak_report, question_text="Describe a time you took ownership.")
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def finding_index(report, rule: str) -> int:
    return next(k for k, f in enumerate(report.findings) if f.rule == rule)


@pytest.fixture(autouse=True)
def _close_while_recording_saves(monkeypatch):
    """Closing a window mid-recording asks (a modal box); tests answer "stop and save"
    unless they say otherwise, so a failing test never leaves a modal box waiting."""
    from starcoach.desktop.app import MainWindow

    monkeypatch.setattr(MainWindow, "confirm_close_while_recording", lambda self: True)

