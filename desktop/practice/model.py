"""Loading the speech model in the background, after the window shows.

``ModelLoader.load()`` resolves the model named in settings (a known name or a folder) and
loads it on a worker thread; ``ready(transcriber, name)`` or ``unavailable(message)`` (no
model installed: offer the download) or ``failed(message)`` follow on the GUI thread.
A test (or a future model chooser) can hand over its own loader function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from starcoach.desktop.practice.workers import start_job

MODEL_KEY = "speech/model"
THREADS_KEY = "speech/threads"
DEVICE_KEY = "speech/device"


def model_setting(settings) -> str:
    return str(settings.value(MODEL_KEY, "") or "")


def threads_setting(settings) -> int:
    try:
        return max(0, int(settings.value(THREADS_KEY, 0) or 0))
    except (TypeError, ValueError):
        return 0


def device_setting(settings) -> str | None:
    value = str(settings.value(DEVICE_KEY, "") or "")
    return value or None


def load_transcriber(model: str | None, threads: int) -> Any:
    """The real thing: a faster-whisper ``Transcriber`` (raises ``ModelUnavailable``)."""
    from starcoach.speech.transcribe import Transcriber

    return Transcriber(model or None, cpu_threads=threads)


def display_name(model: str | None) -> str:
    from pathlib import Path

    from starcoach.speech.models import DEFAULT_MODEL

    if not model:
        return DEFAULT_MODEL
    path = Path(model)
    return path.name if path.is_absolute() or len(path.parts) > 1 else model


Loader = Callable[[str | None, int], Any]


class ModelLoader(QObject):
    ready = Signal(object, str)  # transcriber, model name
    unavailable = Signal(str)  # no model here: the message says why
    failed = Signal(str)  # it is there but would not load

    def __init__(self, loader: Loader | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loader = loader or load_transcriber
        self.loading = False
        self._job = None
        self._generation = 0

    def load(self, model: str | None, threads: int = 0) -> None:
        self._generation += 1
        generation = self._generation
        self.loading = True
        name = display_name(model)

        def done(transcriber: Any) -> None:
            if generation == self._generation:
                self.loading = False
                self.ready.emit(transcriber, name)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.loading = False
            from starcoach.speech.errors import ModelUnavailable

            if isinstance(exc, ModelUnavailable):
                self.unavailable.emit(str(exc))
            else:
                self.failed.emit(f"The speech model could not be loaded ({exc}).")

        self._job = start_job(lambda: self.loader(model or None, threads), "load-model", None,
                              done, failed)

    def wait(self, ms: int = 60_000) -> None:
        if self._job is not None:
            self._job.wait(ms)
