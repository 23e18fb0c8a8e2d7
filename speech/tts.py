"""Read a short text aloud with the platform's own speech, or quietly do nothing.

Used for the interviewer's follow-up probes. Whatever the system offers is run as a
non-blocking child process: macOS ``say``, Windows PowerShell's
``System.Speech.Synthesis.SpeechSynthesizer``, Linux ``spd-say`` (the desktop's own voice
settings) or ``espeak-ng``/``espeak``. Nothing is installed, downloaded or sent anywhere.
Reading aloud is a nicety: when no engine is there or it fails, :func:`speak` returns
``None`` and logs at debug level; it never raises. One probe speaks at a time: a new
:func:`speak` (or :func:`stop`, e.g. when the person starts answering) silences the last.
"""

from __future__ import annotations

import base64
import logging
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass

log = logging.getLogger("starcoach.speech.tts")

MAX_CHARS = 2000  # a probe is a sentence or two; never hand an engine a novel
_STOP_WAIT_S = 0.5


@dataclass(frozen=True)
class Engine:
    """How to run one speech program: its argv and the text on stdin (or in argv)."""

    name: str
    argv: list[str]
    stdin: bytes | None = None
    cancel: list[str] | None = None  # a command that silences speech the child handed off


def _engine_for(text: str, platform: str | None = None) -> Engine | None:
    """The first speech program this system has, set up to say ``text``."""
    platform = platform or sys.platform
    if platform == "darwin":
        say = shutil.which("say")
        # ``-f -`` reads the text from stdin, so a text starting with "-" is never an option
        return Engine("say", [say, "-f", "-"], text.encode()) if say else None
    if platform.startswith("win"):
        shell = shutil.which("powershell") or shutil.which("pwsh")
        if not shell:
            return None
        encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
        script = ("Add-Type -AssemblyName System.Speech; "
                  "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
                  "$s.Speak([Text.Encoding]::UTF8.GetString("
                  f"[Convert]::FromBase64String('{encoded}')))")
        return Engine("powershell", [shell, "-NoProfile", "-NonInteractive", "-Command",
                                     script])
    spd = shutil.which("spd-say")
    if spd:
        # --wait keeps the child alive while it speaks, so it can be stopped like the others
        return Engine("spd-say", [spd, "--wait", "--", text], cancel=[spd, "--cancel"])
    for name in ("espeak-ng", "espeak"):
        path = shutil.which(name)
        if path:
            return Engine(name, [path, "--stdin"], text.encode())
    return None


class Speech:
    """One text being read aloud: a child process that can be stopped."""

    def __init__(self, engine: Engine, process: subprocess.Popen) -> None:
        self.engine = engine
        self.process = process

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the speech ends; ``True`` when it has."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def stop(self) -> None:
        """Silence it now (never raises)."""
        try:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(_STOP_WAIT_S)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(_STOP_WAIT_S)
            if self.engine.cancel:
                _spawn(self.engine.cancel, None)
        except Exception as exc:  # a nicety: never an error for the person
            log.debug("could not stop %s: %s", self.engine.name, exc)


_current: Speech | None = None
_lock = threading.Lock()


def speak(text: str) -> Speech | None:
    """Start reading ``text`` aloud and return at once; ``None`` when it cannot be done."""
    global _current
    stop()
    text = " ".join(str(text).split())[:MAX_CHARS]
    if not text:
        return None
    try:
        engine = _engine_for(text)
        if engine is None:
            log.debug("no text-to-speech program found; the probe is shown only")
            return None
        process = _spawn(engine.argv, engine.stdin)
    except Exception as exc:
        log.debug("text-to-speech failed to start: %s", exc)
        return None
    speech = Speech(engine, process)
    with _lock:
        _current = speech
    return speech


def stop() -> None:
    """Silence whatever :func:`speak` started last (no-op when nothing speaks)."""
    global _current
    with _lock:
        speech, _current = _current, None
    if speech is not None:
        speech.stop()


def _spawn(argv: list[str], stdin: bytes | None) -> subprocess.Popen:
    kwargs: dict = {}
    if os.name == "nt":
        kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    else:
        kwargs["start_new_session"] = True  # a terminal's Ctrl+C is not meant for it
    process = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else
                               subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, **kwargs)
    if stdin is not None and process.stdin is not None:
        try:  # a probe is far smaller than a pipe's buffer: this never blocks
            process.stdin.write(stdin)
            process.stdin.close()
        except OSError as exc:  # the engine died at once; it simply says nothing
            log.debug("text-to-speech did not take its text: %s", exc)
    return process
