"""The speech side of the ``starcoach`` command line, run as real child processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import numpy as np
import pytest
from conftest import write_wav
from starcoach.speech import models
from starcoach.speech.audio import SAMPLE_RATE, decode_audio
from starcoach.speech.cli import transcribe_for_analyze
from starcoach.speech.errors import AudioError, ModelUnavailable
from test_models import FakeHub

STARCOACH = [sys.executable, "-m", "starcoach.desktop"]


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STARCOACH, *args], capture_output=True, text=True, timeout=timeout, env=os.environ
    )


def test_importing_the_speech_cli_loads_no_heavy_library():
    code = (
        "import sys, starcoach.speech.cli; "
        "print(sorted(m for m in ('faster_whisper', 'ctranslate2', 'sounddevice', 'av', "
        "'onnxruntime', 'tokenizers', 'PySide6') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_transcribe_for_analyze_returns_words_and_duration(spoken_answer_path, test_model):
    words, duration = transcribe_for_analyze(str(spoken_answer_path), str(test_model))
    assert duration == pytest.approx(decode_audio(spoken_answer_path).size / SAMPLE_RATE)
    assert words and all(0 <= w.start <= w.end <= duration for w in words)


def test_transcribe_for_analyze_errors(tmp_path, test_model):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio at all" * 100)
    with pytest.raises(AudioError):
        transcribe_for_analyze(str(bad), str(test_model))
    with pytest.raises(AudioError):  # unreadable input is reported before the model
        transcribe_for_analyze(str(bad), "base.en")
    good = write_wav(tmp_path / "ok.wav", np.zeros(SAMPLE_RATE, dtype=np.float32))
    with pytest.raises(ModelUnavailable):
        transcribe_for_analyze(str(good), "base.en")


def test_analyze_audio_end_to_end_json(spoken_answer_path, test_model):
    result = run("analyze", str(spoken_answer_path), "--json", "--model", str(test_model))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["timing"] == "audio"
    duration = decode_audio(spoken_answer_path).size / SAMPLE_RATE
    assert report["duration_s"] == pytest.approx(duration, abs=0.01)
    times = [(w["start"], w["end"]) for w in report["words"]]
    assert times and all(0 <= s <= e <= duration + 0.01 for s, e in times)
    assert [s for s, _ in times] == sorted(s for s, _ in times)


def test_analyze_exit_codes_for_bad_audio_and_missing_model(tmp_path, spoken_answer_path):
    bad = tmp_path / "answer.wav"
    bad.write_bytes(b"RIFF....WAVEjunk" * 10)
    result = run("analyze", str(bad), "--json")
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    result = run("analyze", str(spoken_answer_path), "--json", "--model", "base.en")
    assert result.returncode == 3
    assert "starcoach models download base.en" in result.stderr
    assert result.stderr.count("\n") == 1


def test_models_lists_and_downloads_with_a_progress_bar(test_model, monkeypatch):
    hub = FakeHub(test_model)
    try:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        listing = run("models")
        assert listing.returncode == 0
        assert "tiny.en" in listing.stdout and "not installed" in listing.stdout
        result = run("models", "download", "tiny.en")
        assert result.returncode == 0, result.stderr
        assert "100%" in result.stderr
        assert models.installed_path("tiny.en") is not None
        listing = run("models")
        line = next(x for x in listing.stdout.splitlines() if x.startswith("tiny.en "))
        assert " installed" in line and "MB" in line
    finally:
        hub.close()


def test_ctrl_c_cancels_a_download_cleanly_and_it_resumes(test_model, monkeypatch):
    hub = FakeHub(test_model)
    hub.hold = threading.Event()  # the download cannot finish before Ctrl+C, however fast
    try:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        child = subprocess.Popen(
            [*STARCOACH, "models", "download", "tiny.en"],
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=os.environ,
            # as from a terminal: Ctrl+C interrupts, whatever this test process was left with
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        progress = child.stderr.readline()  # first progress line: bytes are flowing
        assert "tiny.en [" in progress
        child.send_signal(signal.SIGINT)
        hub.hold.set()
        _, stderr = child.communicate(timeout=60)
        assert child.returncode == 130
        assert "cancelled" in stderr and "Traceback" not in stderr
        assert models.installed_path("tiny.en") is None
        hub.hold = None
        assert run("models", "download", "tiny.en").returncode == 0
        assert models.installed_path("tiny.en") is not None
    finally:
        hub.close()


def test_record_then_analyze_the_recording(fakemic, spoken_answer_path, test_model, tmp_path):
    """Microphone → crash-safe FLAC → batch transcription → analysis report."""
    source = decode_audio(spoken_answer_path)[: 6 * SAMPLE_RATE]
    out = tmp_path / "take1.flac"
    fakemic.feed(source)
    child = fakemic.run_cli("record", str(out), "--seconds", "6")
    try:
        _, stderr = child.communicate(timeout=60)
    finally:
        fakemic.stop_feeding()
    assert child.returncode == 0, stderr
    result = run("analyze", str(out), "--json", "--model", str(test_model))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["duration_s"] == pytest.approx(6.0, abs=0.01)
    assert all(0 <= w["start"] <= w["end"] <= 6.0 for w in report["words"])


def test_the_model_chosen_with_models_use_is_what_analyze_and_the_window_read(
        test_model, tmp_path):
    from starcoach.speech import settings

    result = run("models", "use", str(test_model))
    assert result.returncode == 0, result.stderr
    assert settings.chosen_model() == str(test_model.resolve())  # the store the window reads
    assert f"in use: {test_model.name}" in run("models").stdout
    moved = tmp_path / "moved"
    test_model.rename(moved)
    try:
        wav = write_wav(tmp_path / "a.wav", np.zeros(SAMPLE_RATE, dtype=np.float32))
        result = run("analyze", str(wav), "--json")
        assert result.returncode == 3 and result.stderr.count("\n") == 1, result.stderr
        assert "chosen in settings" in result.stderr and "models use tiny.en" in result.stderr
    finally:
        moved.rename(test_model)
    assert run("models", "use", "builtin").returncode == 0
    assert settings.chosen_model() is None
    assert run("models", "use", "base.en").returncode == 3  # not here: refused, not saved
    assert settings.chosen_model() is None
