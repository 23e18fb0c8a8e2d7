"""The one place the desktop uses ``speech.live``: words while speaking, then two stages at
Stop (a quick complete transcript, then the exact final words).

``AnswerTranscription`` hides the live transcriber's API behind four signals, all delivered
on the GUI thread: ``liveWords(list[Word])`` while speaking, ``firstReady(Transcript)`` and
``finalReady(Transcript)`` after Stop, ``finalFailed(exc)`` if the exact pass fails (the
first transcript then stands). If the live API changes, only this module changes.

A *recogniser* (anything with ``recognise(audio) -> list[Word]`` and no ``session()``, e.g.
the test double that stands in for a trained model's words) is also accepted: the audio is
collected and recognised with :func:`speech.transcribe.transcribe_with`.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from starcoach.speech.audio import SAMPLE_RATE
from starcoach.speech.live import LiveResult, LiveTranscriber, LiveUpdate
from starcoach.speech.transcribe import Transcript, transcribe_with

LIVE_EVERY_S = 1.0


class AnswerTranscription(QObject):
    liveWords = Signal(object)  # list[Word], provisional
    firstReady = Signal(object)  # Transcript covering the whole answer
    finalReady = Signal(object)  # Transcript, the exact words
    finalFailed = Signal(object)  # exception from the exact pass

    def __init__(self, transcriber: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if hasattr(transcriber, "session"):
            self._live: Any = LiveTranscriber(transcriber, on_update=self._on_update)
        else:
            self._live = _RecogniserLive(transcriber, self._on_update)
        self.first: Transcript | None = None
        self.final: Transcript | None = None

    def start(self) -> None:
        self._live.start()

    def push(self, block: np.ndarray) -> None:
        """Queue recorded audio (any thread; never blocks, never drops)."""
        self._live.push(block)

    def finish(self, timeout: float | None = None) -> Transcript:
        """End of speech; blocks until the first complete transcript (call it off the GUI
        thread). Emits ``firstReady`` now and ``finalReady`` when the exact words arrive."""
        result: LiveResult = self._live.stop(timeout)
        self.first = result.first
        self.firstReady.emit(result.first)
        result.final.add_done_callback(self._on_final)
        return result.first

    def cancel(self) -> None:
        self._live.cancel()

    # -- worker threads ---------------------------------------------------------------------
    def _on_update(self, update: LiveUpdate) -> None:
        if not update.complete:
            self.liveWords.emit(list(update.words))

    def _on_final(self, future: Future[Transcript]) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            self.finalFailed.emit(exc)
            return
        self.final = future.result()
        self.finalReady.emit(self.final)


class _RecogniserLive:
    """The live transcriber's shape for a plain recogniser (whole audio each time)."""

    def __init__(self, recogniser: Any, on_update) -> None:
        self.recogniser = recogniser
        self.on_update = on_update
        self._blocks: list[np.ndarray] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="live-recogniser", daemon=True)
        self._thread.start()

    def push(self, block: np.ndarray) -> None:
        with self._lock:
            self._blocks.append(np.array(block, dtype=np.float32, copy=True).reshape(-1))

    def _audio(self) -> np.ndarray:
        with self._lock:
            return np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)

    def _run(self) -> None:
        while not self._stop.wait(LIVE_EVERY_S):
            audio = self._audio()
            if audio.size:
                words = self.recogniser.recognise(audio)
                self.on_update(LiveUpdate(words, 0, audio.size / SAMPLE_RATE))

    def stop(self, timeout: float | None = None) -> LiveResult:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        audio = self._audio()
        if audio.size == 0:
            transcript = Transcript([], 0.0)
        else:
            transcript = transcribe_with(self.recogniser, audio)
        final: Future[Transcript] = Future()
        final.set_result(transcript)
        return LiveResult(transcript, final)

    def cancel(self) -> None:
        self._stop.set()
