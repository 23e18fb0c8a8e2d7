"""Reading a probe aloud: a real espeak-ng child process, stopped or left to finish.

espeak-ng plays through ALSA; here its default output is ALSA's file plugin writing into a
FIFO the test holds open. The FIFO's buffer fills in a fraction of a second, so the child
keeps running (speaking) until the test drains the FIFO (it then ends) or stops it.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest
from starcoach.speech import tts

PROBE = "Did you escalate it to the owning team, or did you fix it yourself? " * 2


@pytest.fixture
def speaker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """espeak-ng's audio output, as a FIFO the test reads (or leaves full)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng)")
    if not Path("/usr/share/alsa/alsa.conf").exists():
        pytest.skip("ALSA configuration not installed")
    fifo = tmp_path / "speaker.fifo"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # held open: the child's opens never block
    conf = tmp_path / "asound.conf"
    conf.write_text(f'pcm.!default {{ type file slave.pcm "null" file "{fifo}" '
                    'format "raw" }\n')
    monkeypatch.setenv("ALSA_CONFIG_PATH", f"/usr/share/alsa/alsa.conf:{conf}")
    monkeypatch.setenv("PULSE_SERVER", str(tmp_path / "no-pulse"))  # ALSA, never a server
    monkeypatch.setattr(tts.sys, "platform", "linux")
    espeak = shutil.which("espeak-ng")
    monkeypatch.setattr(tts.shutil, "which", lambda name: espeak if name == "espeak-ng" else None)
    yield fd
    tts.stop()
    os.close(fd)


def drain(fd: int) -> int:
    total = 0
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return total
        if not chunk:
            return total
        total += len(chunk)


def test_speaking_runs_a_child_process_that_ends_when_its_audio_is_played(speaker):
    speech = tts.speak(PROBE)
    assert speech is not None and speech.engine.name == "espeak-ng"
    assert speech.running  # the output is not drained: it cannot have finished
    assert not speech.wait(0.3)
    played = 0
    while not speech.wait(0.02):  # play it (drain the speaker) until the child ends
        played += drain(speaker)
    played += drain(speaker)
    assert speech.process.returncode == 0
    assert played > 64 * 1024  # real audio came out, more than one pipe-full


def test_stop_kills_the_speech(speaker):
    speech = tts.speak(PROBE)
    assert speech is not None and speech.running
    tts.stop()  # e.g. the person starts answering
    assert not speech.running
    assert speech.process.returncode != 0  # killed, not finished


def test_a_new_probe_silences_the_last_one(speaker):
    first = tts.speak(PROBE)
    second = tts.speak("How do you know it worked?")
    assert first is not None and second is not None
    assert not first.running
    second.stop()
    assert not second.running


def test_no_speech_program_returns_none_quietly(monkeypatch, caplog):
    monkeypatch.setenv("PATH", "")
    with caplog.at_level(logging.DEBUG, logger="starcoach.speech.tts"):
        assert tts.speak("Did you escalate it?") is None
    assert all(r.levelno <= logging.DEBUG for r in caplog.records)
    assert any("no text-to-speech" in r.getMessage() for r in caplog.records)
    tts.stop()  # nothing to stop: no error


def test_a_program_that_cannot_start_returns_none(monkeypatch, tmp_path):
    broken = tmp_path / "espeak-ng"
    broken.write_text("not a program")
    broken.chmod(0o644)  # found by name but not executable
    monkeypatch.setattr(tts.sys, "platform", "linux")
    monkeypatch.setattr(tts.shutil, "which",
                        lambda name: str(broken) if name == "espeak-ng" else None)
    assert tts.speak("Did you escalate it?") is None


@pytest.mark.parametrize(("platform", "program", "expected"), [
    ("darwin", "say", ["-f", "-"]),
    ("win32", "powershell", ["-NoProfile", "-NonInteractive", "-Command"]),
    ("linux", "spd-say", ["--wait", "--"]),
    ("linux", "espeak", ["--stdin"]),
])
def test_each_platform_uses_its_own_engine(monkeypatch, platform, program, expected):
    monkeypatch.setattr(tts.shutil, "which",
                        lambda name: f"/bin/{name}" if name == program else None)
    engine = tts._engine_for("-n Why “this”?", platform)
    assert engine is not None and engine.argv[0] == f"/bin/{program}"
    assert engine.argv[1:1 + len(expected)] == expected
    if engine.stdin is not None:
        assert engine.stdin.decode() == "-n Why “this”?"  # on stdin, never read as options
    elif program == "spd-say":
        assert engine.argv[-1] == "-n Why “this”?" and engine.cancel == ["/bin/spd-say",
                                                                          "--cancel"]
    else:  # PowerShell: the text travels base64-encoded, so no quoting can break it
        import base64

        assert base64.b64encode("-n Why “this”?".encode()).decode() in engine.argv[-1]
