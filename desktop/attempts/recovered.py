"""Transcribing an attempt that has audio but no transcript (a recording recovered after a
crash, or one whose analysis never finished), then analysing and storing it.

Qt-free: the GUI runs :func:`transcribe_attempt` on a worker thread; the words and report
are stored like any finished attempt, so the attempt becomes an ordinary one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starcoach.desktop.attempts.records import HistoryError
from starcoach.rubric.model import Report
from starcoach.rubric.pack_schema import Catalogue


def transcribe_attempt(store: Any, attempt_id: int, transcriber: Any,
                       model_name: str | None = None, *,
                       cancel: Callable[[], bool] | None = None,
                       progress: Callable[[float, float], None] | None = None,
                       catalogue: Catalogue | None = None) -> Report:
    """Transcribe the attempt's audio with ``transcriber`` (a ``speech.transcribe.Transcriber``
    or anything with ``recognise(audio)``), analyse it and store words and report.

    ``cancel()`` is read between model calls and last just before the store is written
    (``DecodeCancelled``: nothing is stored); ``progress(done_s, total_s)`` follows it.
    ``catalogue`` holds the attempt's question (none: the bundled packs).
    Raises ``HistoryError`` when no audio was kept, ``AudioError`` when it does not decode.
    """
    from starcoach.rubric.analyze import analyze
    from starcoach.speech.audio import decode_audio
    from starcoach.speech.transcribe import DecodeCancelled, transcribe_with

    attempt = store.get(attempt_id)
    path = store.audio_file(attempt_id)
    if path is None:
        raise HistoryError(f"attempt {attempt_id} has no recording to transcribe")
    audio = decode_audio(path)
    if hasattr(transcriber, "session"):  # the model: the exact words, as after Stop
        transcript = transcriber.transcribe(audio, cancel=cancel, progress=progress)
    else:
        options = getattr(transcriber, "options", None)
        transcript = transcribe_with(transcriber, audio, options, cancel)
        if progress is not None:
            progress(transcript.duration, transcript.duration)
    s = attempt.summary
    report = analyze(transcript.words, question=s.question,
                     principle=None if s.question else s.principle, level=s.level, lens=s.lens,
                     timing="audio", duration_s=transcript.duration, catalogue=catalogue)
    if cancel is not None and cancel():
        raise DecodeCancelled
    store.finish_attempt(attempt_id, transcript.words, report, attempt.marks,
                         model=model_name, duration_s=transcript.duration)
    return report
