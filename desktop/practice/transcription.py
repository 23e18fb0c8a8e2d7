"""The one place the desktop uses ``speech.live``: words while speaking, then two stages at
Stop (a quick complete transcript, then the exact final words).

``AnswerTranscription`` hides the live transcriber's API behind signals, all delivered on
the GUI thread: ``liveWords(list[Word])`` while speaking, ``firstReady(Transcript)`` and
``finalReady(Transcript)`` after Stop, ``finalFailed(exc)`` if the exact pass fails (the
first transcript then stands), and ``progress(JobProgress)`` for both stages after Stop. If
the live API changes, only this module changes.

The decoding is one :class:`~.runner.TranscriptionJob` of the attempt, run by the shared
runner (never beside another transcription): while speaking, into the quick review and on
to the exact words. ``cancel()`` (or the runner, when the attempt is deleted or the app
quits) stops it at its next model call; nothing is emitted after that.

A *recogniser* (anything with ``recognise(audio) -> list[Word]`` and no ``session()``, e.g.
the test double that stands in for a trained model's words) is also accepted: the audio is
collected and recognised with :func:`speech.transcribe.transcribe_with`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from starcoach.desktop.practice.runner import TranscriptionJob, TranscriptionRunner, shared_runner
from starcoach.desktop.practice.waiting import EXACT, QUICK
from starcoach.speech.audio import SAMPLE_RATE
from starcoach.speech.live import LiveProgress, LiveResult, LiveTranscriber, LiveUpdate
from starcoach.speech.transcribe import Transcript, transcribe_with

LIVE_EVERY_S = 1.0
_STAGES = {"first": QUICK, "final": EXACT}


class AnswerTranscription(QObject):
    liveWords = Signal(object)  # list[Word], provisional
    firstReady = Signal(object)  # Transcript covering the whole answer
    finalReady = Signal(object)  # Transcript, the exact words
    finalFailed = Signal(object)  # exception from the exact pass
    progress = Signal(object)  # JobProgress of the quick review, then of the exact words

    def __init__(self, transcriber: Any, parent: QObject | None = None, *,
                 attempt_id: int | None = None,
                 runner: TranscriptionRunner | None = None) -> None:
        super().__init__(parent)
        if hasattr(transcriber, "session"):
            self._live: Any = LiveTranscriber(transcriber, on_update=self._on_update,
                                              on_progress=self._on_progress, own_thread=False)
        else:
            self._live = _RecogniserLive(transcriber, self._on_update, self._on_progress)
        self.runner = runner or shared_runner()
        self.job = TranscriptionJob("answer", attempt_id, lambda _job: self._live.run(),
                                    on_cancel=self._live.cancel)
        self.first: Transcript | None = None
        self.final: Transcript | None = None

    @property
    def cancelled(self) -> bool:
        return self.job.is_cancelled()

    @property
    def stats(self) -> Any:
        """The live transcriber's work counters (``LiveStats``; ``None`` for a recogniser)."""
        return getattr(self._live, "stats", None)

    def start(self) -> None:
        """Queue the decoding; it starts when no other transcription runs."""
        self.runner.submit(self.job)

    def push(self, block: np.ndarray) -> None:
        """Queue recorded audio (any thread; never blocks, never drops)."""
        self._live.push(block)

    def stop_pressed(self) -> None:
        """Stop was pressed (GUI thread): the decoding may start on what it has heard
        while the recorder takes its tail."""
        pressed = getattr(self._live, "stop_pressed", None)
        if pressed is not None:
            pressed()

    def finish(self, timeout: float | None = None) -> Transcript:
        """End of speech; blocks until the first complete transcript (call it off the GUI
        thread; raises ``CancelledError`` if cancelled). Emits ``firstReady`` now and
        ``finalReady`` when the exact words arrive."""
        result: LiveResult = self._live.stop(timeout)
        if self.cancelled:
            raise CancelledError("the attempt's transcription was cancelled")
        self.first = result.first
        self.firstReady.emit(result.first)
        result.final.add_done_callback(self._on_final)
        return result.first

    def cancel(self) -> None:
        self.job.cancel()

    # -- worker threads ---------------------------------------------------------------------
    def _on_update(self, update: LiveUpdate) -> None:
        if not update.complete and not self.cancelled:
            self.liveWords.emit(list(update.words))

    def _on_progress(self, p: LiveProgress) -> None:
        if not self.cancelled:
            self.job.report(_STAGES.get(p.stage, p.stage), p.fraction, p.done_s, p.total_s)
            if self.job.last is not None:
                self.progress.emit(self.job.last)

    def _on_final(self, future: Future[Transcript]) -> None:
        if future.cancelled() or self.cancelled:
            return
        exc = future.exception()
        if exc is not None:
            self.finalFailed.emit(exc)
            return
        self.final = future.result()
        self.finalReady.emit(self.final)


class _RecogniserLive:
    """The live transcriber's shape for a plain recogniser (whole audio each time), run by
    the runner like the real one."""

    def __init__(self, recogniser: Any, on_update: Callable[[LiveUpdate], None],
                 on_progress: Callable[[LiveProgress], None]) -> None:
        self.recogniser = recogniser
        self.on_update = on_update
        self.on_progress = on_progress
        self._blocks: list[np.ndarray] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._cancelled = threading.Event()
        self._first_ready = threading.Event()
        self._result: LiveResult | None = None
        self._ran = False

    def push(self, block: np.ndarray) -> None:
        with self._lock:
            self._blocks.append(np.array(block, dtype=np.float32, copy=True).reshape(-1))

    def _audio(self) -> np.ndarray:
        with self._lock:
            return np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)

    def run(self) -> None:
        with self._lock:
            if self._ran:
                return
            self._ran = True
        try:
            while not self._stop.wait(LIVE_EVERY_S):
                audio = self._audio()
                if audio.size and not self._cancelled.is_set():
                    words = self.recogniser.recognise(audio)
                    self.on_update(LiveUpdate(words, 0, audio.size / SAMPLE_RATE))
            if self._cancelled.is_set():
                return
            audio = self._audio()
            total = audio.size / SAMPLE_RATE
            self.on_progress(LiveProgress("first", 0.0, 0.0, total))
            if audio.size == 0:
                transcript = Transcript([], 0.0)
            else:
                transcript = transcribe_with(self.recogniser, audio,
                                             cancel=self._cancelled.is_set)
            self.on_progress(LiveProgress("first", 1.0, total, total))
            final: Future[Transcript] = Future()
            self._result = LiveResult(transcript, final)
            self._first_ready.set()
            self.on_progress(LiveProgress("final", 1.0, total, total))
            final.set_result(transcript)
        finally:
            self._first_ready.set()

    def stop(self, timeout: float | None = None) -> LiveResult:
        self._stop.set()
        if not self._first_ready.wait(timeout):
            raise TimeoutError("live transcription did not finish in time")
        if self._result is None:
            raise CancelledError("live transcription was cancelled")
        return self._result

    def cancel(self) -> None:
        self._cancelled.set()
        self._stop.set()
        with self._lock:
            if not self._ran:
                self._ran = True
                self._first_ready.set()
