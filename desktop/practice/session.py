"""One practice attempt, wired end to end: history row → recorder → live words → reports.

``PracticeSession`` registers the attempt in the history store, records into the file the
store hands out, feeds every recorded block to the live transcription and, at Stop (or when
the microphone is lost), finishes the recording and the transcript on a worker thread. Each
transcript (the quick first one, then the exact final one) is analysed with the rubric and
saved to history with the manual marks, off the GUI thread too, so the window never stalls
on it; ``reportReady(report, final)`` carries it to the GUI. All signals arrive on the GUI
thread.

The decoding is the attempt's job in the shared transcription runner. ``cancel()`` (the
attempt was deleted, the app quits) stops it; from then on nothing of it is written to the
store or shown, whatever was already on its way.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, Signal
from starcoach.desktop.errors import log
from starcoach.desktop.jobs import start_job
from starcoach.desktop.practice.transcription import AnswerTranscription
from starcoach.desktop.state.choice import Question
from starcoach.desktop.state.review import marks_to_words
from starcoach.rubric.model import Report, Word
from starcoach.rubric.pack_schema import Catalogue
from starcoach.speech.errors import SpeechError
from starcoach.speech.recorder import Recorder, RecordingResult
from starcoach.speech.transcribe import Transcript

Analysed = tuple[Report, Exception | None]  # a report, and why it could not be saved
SECTION_KEYS = {"2": "task", "3": "action", "4": "result", "5": "reflection"}


class PracticeSession(QObject):
    level = Signal(float)  # input level, dBFS
    liveWords = Signal(object)  # list[Word] while speaking
    recordingFault = Signal(object)  # SpeechError: recording stopped mid-answer (device lost,
    # disk full); what was recorded is kept
    saveFailed = Signal(object)  # the exception: the attempt could not be saved to history
    stopped = Signal(object)  # RecordingResult: the audio is complete on disk
    reportReady = Signal(object, bool)  # Report, final
    failed = Signal(object)  # an exception while finishing (the audio is still kept)
    progress = Signal(object)  # JobProgress after Stop: the quick review, then exact words
    cancelled = Signal()  # the attempt's transcription was cancelled (deleted, quitting)

    def __init__(self, transcriber: Any, store: Any, question: Question, *,
                 model_name: str | None = None, device: int | str | None = None,
                 stream_factory: Any = None, runner: Any = None,
                 catalogue: Catalogue | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue  # holds the question (None: the bundled packs)
        self.transcriber = transcriber
        self.runner = runner
        self.store = store
        self.question = question
        self.model_name = model_name
        self.device = device
        self.stream_factory = stream_factory
        self.attempt_id: int | None = None
        self.audio_path = None
        self.recorder: Recorder | None = None
        self.transcription: AnswerTranscription | None = None
        self.marks: list[tuple[float, str]] = []  # (audio seconds, section)
        self.result: RecordingResult | None = None
        self.report: Report | None = None
        self.final = False
        self.started_at = 0.0
        self._stopping = False
        self._first_done = False
        self._pending_final: Transcript | None = None
        self._save_failed = False
        self._deleted = False
        self._job = None
        self._final_job = None  # analysing and saving the exact words

    # -- control ---------------------------------------------------------------------------
    def start(self) -> None:
        """Open the microphone and start recording; raises ``DeviceError`` (nothing kept)."""
        q = self.question
        attempt = self.store.begin_attempt(question=q.id, pack=q.pack, principle=q.principle,
                                           level=q.level, lens=q.lens, model=self.model_name)
        self.attempt_id, self.audio_path = attempt.id, attempt.audio_path
        self.transcription = AnswerTranscription(self.transcriber, self,
                                                 attempt_id=attempt.id, runner=self.runner)
        self.transcription.liveWords.connect(self.liveWords)
        self.transcription.progress.connect(self.progress)
        self.transcription.job.cancelled.connect(self.cancelled)
        self.transcription.finalReady.connect(self._on_final)
        self.transcription.finalFailed.connect(self._on_final_failed)
        self.recorder = Recorder(attempt.audio_path, device=self.device,
                                 on_audio=self.transcription.push, on_level=self.level.emit,
                                 on_error=self._on_error, stream_factory=self.stream_factory)
        try:
            self.recorder.start()
        except Exception:
            self.recorder = None
            self.transcription.cancel()
            self.store.delete(self.attempt_id)
            self.attempt_id = None
            raise
        self.transcription.start()
        self.started_at = time.monotonic()

    @property
    def is_cancelled(self) -> bool:
        return self.transcription is not None and self.transcription.cancelled

    @property
    def job(self) -> Any:
        """The attempt's transcription job (``None`` before ``start``)."""
        return self.transcription.job if self.transcription is not None else None

    def cancel(self, deleted: bool = False) -> None:
        """Stop the attempt's transcription; nothing more of it is stored or shown (the
        recording, and a quick review already stored, stay). ``deleted``: the attempt is
        gone, so not even the end of its recording is noted."""
        self._deleted = self._deleted or deleted
        if self.transcription is not None:
            self.transcription.cancel()

    @property
    def recording(self) -> bool:
        return self.recorder is not None and not self._stopping

    @property
    def finishing(self) -> bool:
        """Stopped, and the recording or first transcript is still being finished."""
        return self._job is not None and self._job.is_running()

    @property
    def audio_seconds(self) -> float:
        """Seconds of audio on disk so far (the words' timeline)."""
        return self.recorder.duration if self.recorder is not None else 0.0

    def mark(self, label: str) -> None:
        """"<label> begins now" (Task/Action/Result/Reflection)."""
        if self.recording:
            self.marks.append((self.audio_seconds, label))

    def stop(self) -> None:
        """Stop without blocking: the tail, the file and the first transcript are finished on
        a worker thread; ``stopped`` then ``reportReady`` follow."""
        if self.recorder is None or self._stopping:
            return
        self._stopping = True
        if self.transcription is not None:
            self.transcription.stop_pressed()
        self._job = start_job(self._finish, "finish-answer", None, self._on_finished,
                              self._on_failed)

    def stop_now(self) -> RecordingResult | None:
        """Stop and save the audio before returning (closing the window); the transcription
        is cancelled, not waited for (a quick review already stored stays)."""
        if self.recorder is None:
            return None
        self.cancel()
        if self._stopping:
            if self._job is not None:  # the recorder's tail; the transcript is cancelled
                self._job.wait()
            return self.result
        self._stopping = True
        self.result = self.recorder.stop()
        self._record_saved(self.result)
        return self.result

    def wait(self, ms: int = 60_000) -> None:
        for job in (self._job, self._final_job):
            if job is not None:
                job.wait(ms)

    # -- worker thread ---------------------------------------------------------------------
    def _finish(self) -> tuple[RecordingResult, Analysed | None]:
        assert self.recorder is not None and self.transcription is not None
        result = self.recorder.stop()
        self.result = result
        self._record_saved(result)
        return result, self._analysed(self.transcription.finish())

    def _analysed(self, transcript: Transcript) -> Analysed | None:
        """The transcript's report, saved to history with the marks (None: cancelled).
        A failed save is returned, not raised: the report is shown either way."""
        if self.is_cancelled:
            return None
        words = list(transcript.words)
        report = self.analyse_words(words, transcript.duration)
        error = None
        if self.attempt_id is not None:
            try:
                self.store.finish_attempt(self.attempt_id, words, report,
                                          marks=marks_to_words(self.marks, words),
                                          model=self.model_name)
            except Exception as exc:
                if self.is_cancelled:  # deleted while this was on its way: nothing to save
                    return None
                log.exception("could not save attempt %s", self.attempt_id)
                error = exc
        return report, error

    def _record_saved(self, result: RecordingResult) -> None:
        if self.attempt_id is not None and not self._deleted:
            try:
                self.store.mark_recorded(self.attempt_id, result.duration)
            except Exception:  # the audio file is there either way
                log.exception("could not mark attempt %s recorded", self.attempt_id)

    def _on_error(self, exc: SpeechError) -> None:  # recorder's writer thread
        self.recordingFault.emit(exc)

    # -- GUI thread ------------------------------------------------------------------------
    def _on_finished(self, value: tuple[RecordingResult, Analysed | None]) -> None:
        result, analysed = value
        self._first_done = True
        self.stopped.emit(result)
        self._show(analysed, final=False)
        if self._pending_final is not None:  # the exact words overtook the first ones
            self._analyse_final(self._pending_final)

    def _on_failed(self, exc: BaseException) -> None:
        if self.result is not None:
            self.stopped.emit(self.result)
        if self.is_cancelled:  # deleted or quitting: nothing to say
            log.info("attempt %s: transcription cancelled", self.attempt_id)
            return
        self.failed.emit(exc)

    def _on_final(self, transcript: Transcript) -> None:
        if not self._first_done:  # the first transcript is still on its way
            self._pending_final = transcript
            return
        self._analyse_final(transcript)

    def _analyse_final(self, transcript: Transcript) -> None:
        """Analyse and save the exact words on a worker (after the first is saved)."""
        self._final_job = start_job(lambda: self._analysed(transcript), "analyse-final",
                                    None, lambda v: self._show(v, final=True),
                                    self._on_final_failed)

    def _on_final_failed(self, exc: BaseException) -> None:
        log.error("the exact transcript failed; the first one stands: %s", exc)

    def _show(self, analysed: Analysed | None, final: bool) -> None:
        if analysed is None or (self.final and not final) or self.is_cancelled:
            return
        report, error = analysed
        if error is not None and not self._save_failed:  # once: the next fails the same way
            self._save_failed = True
            self.saveFailed.emit(error)
        self.report, self.final = report, final
        self.reportReady.emit(report, final)

    def analyse_words(self, words: list[Word], duration: float) -> Report:
        from starcoach.rubric.analyze import analyze

        q = self.question
        return analyze(words, question=q.id, principle=None if q.id else q.principle,
                       level=q.level, lens=q.lens, timing="audio", duration_s=duration,
                       marks=marks_to_words(self.marks, words), catalogue=self.catalogue)
