"""One spoken reply to an interviewer's probe: record → transcribe → judge.

``ReplySession`` records into the file it is given, and at Stop (or when the microphone is
lost) finishes the recording, transcribes it and judges it with the probe's check on a
worker thread; ``replyReady(Reply)`` then arrives on the GUI thread. A reply in which no
speech was heard (silence, or the model found no words) is not judged: ``Reply.heard`` is
false and ``Reply.result`` is ``None``, so silence never counts as a weak or strong reply.

Hearing the reply is a job of the attempt in the shared transcription runner (never beside
another transcription); ``stop_now`` (the window closes) cancels it rather than waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from starcoach.desktop.jobs import Job, start_job
from starcoach.desktop.practice.runner import TranscriptionJob, TranscriptionRunner, shared_runner
from starcoach.desktop.practice.waiting import REPLY
from starcoach.rubric.followups import FollowUpResult
from starcoach.rubric.model import Word
from starcoach.speech.errors import AudioError, SpeechError
from starcoach.speech.recorder import Recorder, RecordingResult
from starcoach.speech.transcribe import Transcript, transcribe_with

# The loudest 100 ms block must reach this level for a reply to count as spoken: below
# it the room was silent (or the microphone muted), whatever a model might make of it.
SILENCE_DB = -55.0

Judge = Callable[[list[Word]], FollowUpResult]


@dataclass(frozen=True)
class Reply:
    """What one reply left behind."""

    recording: RecordingResult
    transcript: Transcript
    heard: bool  # speech was heard (otherwise nothing was judged)
    result: FollowUpResult | None  # the check's verdict when heard
    peak_db: float


def transcribe_reply(transcriber: Any, path: Path, cancel: Callable[[], bool] | None = None,
                     progress: Callable[[float, float], None] | None = None) -> Transcript:
    """Timed words of a recorded reply with the practice screen's transcriber (a real
    ``Transcriber`` or anything with ``recognise``); no samples → no words. ``cancel`` and
    ``progress`` as in ``Transcriber.transcribe``."""
    from starcoach.speech.audio import SAMPLE_RATE, decode_audio

    try:
        audio = decode_audio(path)
    except AudioError:
        return Transcript([], 0.0)
    if audio.size == 0:
        return Transcript([], 0.0)
    if hasattr(transcriber, "session"):
        return transcriber.transcribe(audio, cancel=cancel, progress=progress)
    if hasattr(transcriber, "transcribe"):
        return transcriber.transcribe(audio)
    transcript = transcribe_with(transcriber, audio, cancel=cancel)
    return Transcript(list(transcript.words), audio.size / SAMPLE_RATE)


class ReplySession(QObject):
    level = Signal(float)  # input level, dBFS
    deviceLost = Signal(object)  # SpeechError: recording stopped mid-reply (device lost, disk
    # full); what was recorded is kept
    replyReady = Signal(object)  # Reply
    failed = Signal(object)  # an exception while finishing (the audio is still kept)

    def __init__(self, transcriber: Any, path: str | Path, judge: Judge, *,
                 device: int | str | None = None, stream_factory: Any = None,
                 attempt_id: int | None = None, runner: TranscriptionRunner | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.transcriber = transcriber
        self.attempt_id = attempt_id
        self.runner = runner or shared_runner()
        self.transcription: TranscriptionJob | None = None
        self.path = Path(path)
        self.judge = judge
        self.device = device
        self.stream_factory = stream_factory
        self.recorder: Recorder | None = None
        self.result: RecordingResult | None = None
        self.reply: Reply | None = None
        self.peak_db = -120.0
        self.started_at = 0.0
        self._stopping = False
        self._delivered = False  # replyReady or failed has reached the GUI thread
        self._job: Job | None = None

    # -- control ---------------------------------------------------------------------------
    def start(self) -> None:
        """Open the microphone and record; raises ``SpeechError`` (nothing recorded)."""
        self.recorder = Recorder(self.path, device=self.device, on_level=self._on_level,
                                 on_error=self._on_error, stream_factory=self.stream_factory)
        try:
            self.recorder.start()
        except Exception:
            self.recorder = None
            raise
        self.started_at = time.monotonic()

    @property
    def recording(self) -> bool:
        return self.recorder is not None and not self._stopping

    @property
    def finishing(self) -> bool:
        """Stopped, and the verdict (or failure) has not arrived yet."""
        return self._stopping and not self._delivered

    @property
    def audio_seconds(self) -> float:
        return self.recorder.duration if self.recorder is not None else 0.0

    def elapsed(self) -> float:
        return time.monotonic() - self.started_at if self.recorder is not None else 0.0

    def stop(self) -> None:
        """Stop without blocking; the tail, the transcript and the verdict are finished on a
        worker thread and ``replyReady`` (or ``failed``) follows."""
        if self.recorder is None or self._stopping:
            return
        self._stopping = True
        self._job = start_job(self._stop_recorder, "finish-reply", None, self._on_stopped,
                              self._on_failed)

    def stop_now(self) -> RecordingResult | None:
        """Stop and keep the audio before returning (the window is closing); no verdict."""
        if self.recorder is None:
            return None
        if self._stopping:
            if self.transcription is not None:
                self.transcription.cancel()
            self._delivered = True
            self.wait()  # the recorder's tail only; the transcription is cancelled
            return self.result
        self._stopping = self._delivered = True
        self.result = self.recorder.stop()
        return self.result

    def wait(self, ms: int = 60_000) -> None:
        if self._job is not None:
            self._job.wait(ms)

    def cancel(self) -> None:
        """Stop hearing the reply (its attempt was deleted); no verdict follows."""
        self._delivered = True
        if self.transcription is not None:
            self.transcription.cancel()

    # -- worker threads --------------------------------------------------------------------
    def _stop_recorder(self) -> RecordingResult:
        assert self.recorder is not None
        self.result = self.recorder.stop()
        return self.result

    def _hear(self, job: TranscriptionJob) -> Reply:
        assert self.result is not None
        if self.peak_db < SILENCE_DB:
            transcript = Transcript([], self.result.duration)
        else:
            transcript = transcribe_reply(
                self.transcriber, self.path, job.is_cancelled,
                lambda done, total: job.report(REPLY, done / total if total else 0.0,
                                               done, total))
        words = list(transcript.words)
        heard = any(w.kind != "filler" for w in words)
        judged = self.judge(words) if heard else None
        return Reply(self.result, transcript, heard, judged, self.peak_db)

    def _on_level(self, db: float) -> None:  # recorder's writer thread
        self.peak_db = max(self.peak_db, db)
        self.level.emit(db)

    def _on_error(self, exc: SpeechError) -> None:  # recorder's writer thread
        self.deviceLost.emit(exc)

    # -- GUI thread ------------------------------------------------------------------------
    def _on_stopped(self, _result: RecordingResult) -> None:
        if self._delivered:  # closing: the audio is kept, nothing is heard
            return
        job = TranscriptionJob(REPLY, self.attempt_id, self._hear, parent=self)
        job.done.connect(self._on_done)
        job.failed.connect(self._on_failed)
        job.cancelled.connect(self._on_cancelled)
        self.transcription = self.runner.submit(job)

    def _on_cancelled(self) -> None:
        self._delivered = True

    def _on_done(self, reply: Reply) -> None:
        if self._delivered:
            return
        self._delivered = True
        self.reply = reply
        self.replyReady.emit(reply)

    def _on_failed(self, exc: BaseException) -> None:
        if self._delivered:
            return
        self._delivered = True
        self.failed.emit(exc)
