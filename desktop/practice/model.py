"""Loading the speech model in the background, after the window shows, and the settings
that choose it.

The chosen model, microphone and CPU threads live in the settings store the ``starcoach``
command reads too (:mod:`starcoach.speech.settings`), so a model chosen in the window is the
one ``starcoach analyze`` uses. Each reader takes the store (none: the default one).

``ModelLoader.load()`` resolves the chosen model (none chosen: the built-in tiny.en) and
loads it on a worker thread; ``ready(transcriber, name)`` or ``unavailable(message)`` (no
usable model: offer one; the message is plain, for a window) or ``failed(message)`` follow
on the GUI thread. A test (or a future model chooser) can hand over its own loader function.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal
from starcoach.desktop.errors import log
from starcoach.desktop.jobs import start_job
from starcoach.speech.settings import SettingsStore


def _store(store: SettingsStore | None) -> SettingsStore:
    return store if store is not None else SettingsStore()


def model_setting(store: SettingsStore | None = None) -> str:
    """The chosen model (a name or folder), ``""`` for the built-in one."""
    return _store(store).load().model or ""


def set_model_setting(model: str | None, store: SettingsStore | None = None) -> None:
    """Choose ``model`` (name or folder; ``None``/``""``: the built-in) for app and CLI."""
    _store(store).update(model=model or None)


def threads_setting(store: SettingsStore | None = None) -> int:
    """CPU threads for the model (0: automatic)."""
    return _store(store).load().threads


def device_setting(store: SettingsStore | None = None) -> str | None:
    """The chosen microphone's name (``None``: the system default), shared with the CLI."""
    return _store(store).load().input_device


def automatic_threads(cores: int | None = None) -> int:
    """The model's CPU threads when the person chose "Automatic": half the cores.

    A laptop in use has a browser or a call on some cores. Measured on 2 cores with one
    kept busy (``benchmarks/ui_responsiveness.py --busy-core``, 180 s answer): with 2
    threads the review came 2.29 s after Stop and the exact words 8.65 s; with 1 thread,
    1.26 s and 4.23 s, while on the idle machine 1 thread costs 0.04 s (1.10 s, 4.12 s).
    Two threads on one free core wait for each other at every step.
    """
    cores = cores if cores is not None else (os.cpu_count() or 2)
    return max(1, cores // 2)


def load_transcriber(model: str | None, threads: int) -> Any:
    """The real thing: a faster-whisper ``Transcriber`` (raises ``ModelUnavailable``);
    ``threads`` 0 is :func:`automatic_threads`."""
    from starcoach.speech.transcribe import Transcriber

    return Transcriber(model or None, cpu_threads=threads or automatic_threads())


def display_name(model: str | None) -> str:
    """``tiny.en (built in)``, ``base.en`` or a model folder's name."""
    from starcoach.speech.models import model_label

    return model_label(model)


def plain_model_problem(exc: BaseException) -> str:
    """What a window says when the model cannot be used: no commands, no flags."""
    plain = getattr(exc, "plain", "")
    if plain:
        return plain
    return ("The chosen speech model is not on this computer. Choose another one in "
            "Settings, or get one.")


Loader = Callable[[str | None, int], Any]


def _warmed(transcriber: Any) -> Any:
    """The loaded model, once what recording and analysis load on first use is loaded
    too (the voice detector, the rubric), on the loading worker: on the GUI thread, at the
    first recording's start and first live cue, they stalled the window for 80-200 ms."""
    from starcoach.rubric.analyze import warm as warm_rubric
    from starcoach.speech.vad import vad_model

    for warm in (vad_model, warm_rubric):
        try:
            warm()
        except Exception:  # their first real use will say what is wrong, in its own words
            log.exception("could not load %s ahead of time", warm.__module__)
    return transcriber


class ModelLoader(QObject):
    ready = Signal(object, str)  # transcriber, model name
    unavailable = Signal(str)  # no model here: the message says why, plainly
    failed = Signal(str)  # it is there but would not load

    def __init__(self, loader: Loader | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loader = loader or load_transcriber
        self.loading = False
        self.detail = ""  # the technical reason of the last failure, for the log
        self._job = None
        self._generation = 0

    def load(self, model: str | None, threads: int = 0) -> None:
        self._generation += 1
        generation = self._generation
        self.loading = True
        name = display_name(model)

        def current() -> bool:
            # A load that finishes after its window closed has no one to tell: emitting
            # on the deleted loader raises "Signal source has been deleted".
            return shiboken6.isValid(self) and generation == self._generation

        def done(transcriber: Any) -> None:
            if current():
                self.loading = False
                self.ready.emit(transcriber, name)

        def failed(exc: BaseException) -> None:
            if not current():
                return
            self.loading = False
            self.detail = str(exc)
            from starcoach.speech.errors import ModelUnavailable

            if isinstance(exc, ModelUnavailable):
                self.unavailable.emit(plain_model_problem(exc))
            else:
                self.failed.emit(f"The speech model {name} could not be loaded. Choose "
                                 "another one in Settings, or get one.")

        self._job = start_job(lambda: _warmed(self.loader(model or None, threads)),
                              "load-model", None, done, failed)

    def wait(self, ms: int = 60_000) -> None:
        if self._job is not None:
            self._job.wait(ms)
