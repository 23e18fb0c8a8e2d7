"""Whisper transcription with word timing: one decoding loop for files and for live audio.

``DecodeSession`` is faster-whisper's sequential 30-second window loop (same encoder,
prompting, temperature fallback, segment splitting and word alignment, built from
faster-whisper's own pieces) run over the causal speech timeline of :mod:`.vad`. It can be
fed all at once (a file) or block by block (a microphone): a window is only decoded once all
of its audio has arrived, so both ways decode identical windows and give identical words.

The spectrogram is faster-whisper's own for a whole file and the main pass is unprompted,
so a file's windows read and decode exactly what bare ``WhisperModel.transcribe`` does.
Each committed window is decoded once more, greedily, on the same encoder output with the
disfluent :data:`FILLER_PROMPT` leading; only the fillers that pass writes are kept.

After decoding, every voiced stretch that no word covers (:func:`.fillers.voiced_gaps`) of
0.4 s or more is decoded again on its own, with a little audio either side and the words
before it as the prompt, and the words found there are kept; what is still uncovered
becomes a filler only if it sounds like one, and otherwise an explicit unrecognised-speech
span (:func:`.word_repair.complete_gaps`). So no stretch of speech silently disappears.

Live use adds two things batch never needs: ``provisional`` decodes any span of the timeline
greedily without changing the session (for the display and the first report at Stop), and a
``cancel`` callable lets a decode be abandoned between model calls (encoder, decoder, word
alignment), leaving the session exactly as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from starcoach.rubric.model import Word
from starcoach.speech.audio import SAMPLE_RATE, decode_audio
from starcoach.speech.decode_session import DecodeSession
from starcoach.speech.decoding import (
    Cancel,
    DecodeCancelled,
    Progress,
    TranscribeOptions,
    Transcript,
    WordRecogniser,
)
from starcoach.speech.errors import AudioError
from starcoach.speech.fillers import Gap
from starcoach.speech.interrupt import aborting
from starcoach.speech.model_load import load_whisper
from starcoach.speech.word_repair import complete_gaps, tidy_words


class Transcriber:
    """Batch transcription of a file or array with a local faster-whisper model.

    ``model`` is a model name or folder, resolved offline by :func:`.models.resolve_model`
    (raises :class:`ModelUnavailable`). Loading is done once per process and folder.
    """

    def __init__(
        self,
        model: str | Path | None = None,
        options: TranscribeOptions | None = None,
        *,
        cpu_threads: int = 0,
    ) -> None:
        from starcoach.speech.models import resolve_model

        self.model_dir = resolve_model(model)
        self.options = options or TranscribeOptions()
        self.whisper = load_whisper(str(self.model_dir), cpu_threads)
        self._lock = threading.Lock()

    def session(self) -> DecodeSession:
        """A fresh incremental session on this model (for live transcription)."""
        return DecodeSession(self.whisper, self.options)

    def recognise(self, audio: np.ndarray) -> list[Word]:
        """Model words for ``audio`` (16 kHz mono), without fillers."""
        with self._lock:
            session = self.session()
            session.feed(audio)
            session.finish()
            session.run()
            return tidy_words(session.words, session.timeline.source_duration)

    def recover_words(self, audio: np.ndarray, words: Sequence[Word], gaps: Sequence[Gap]
                      ) -> list[Word]:
        """Words found by decoding the voiced ``gaps`` of ``audio`` again (see
        :meth:`DecodeSession.recover_words`)."""
        with self._lock:
            return self.session().recover_words(audio, words, gaps)

    def transcribe(self, audio: np.ndarray | str | Path, *, cancel: Cancel = None,
                   progress: Progress = None) -> Transcript:
        """Timed words for a file or a 16 kHz mono array: the main pass's words, the
        fillers the prompted pass wrote, and every voiced gap accounted for.

        ``cancel()`` turning true abandons it (:class:`DecodeCancelled`) within a poll of a
        decoder call (:mod:`.interrupt`: so it must have no side effects) or between calls;
        ``progress(done_s, total_s)`` follows the main pass and ends at the whole audio."""
        samples = _samples(audio)
        with self._lock, aborting(cancel):
            session = self.session()
            session.feed(samples)
            session.finish()
            session.run(cancel, progress)
            words = session.final_words(cancel)
        duration = samples.size / SAMPLE_RATE
        if progress is not None:  # gaps decoded again too: the pass is done
            progress(duration, duration)
        return Transcript(words, duration)


def _samples(audio: np.ndarray | str | Path) -> np.ndarray:
    samples = audio if isinstance(audio, np.ndarray) else decode_audio(audio)
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    if samples.size == 0:
        raise AudioError("the audio contains no samples")
    return samples


def transcribe_with(
    recogniser: WordRecogniser,
    audio: np.ndarray | str | Path,
    options: TranscribeOptions | None = None,
    cancel: Cancel = None,
) -> Transcript:
    """Run ``recogniser`` on ``audio`` and account for the voiced gaps (the double's entry
    too). A recogniser with a ``recover_words`` method (the model) decodes gaps again.
    ``cancel()`` is asked before and after recognising (:class:`DecodeCancelled`)."""
    options = options or TranscribeOptions()
    samples = _samples(audio)
    duration = samples.size / SAMPLE_RATE
    if cancel is not None and cancel():
        raise DecodeCancelled
    words = tidy_words(recogniser.recognise(samples), duration)
    if cancel is not None and cancel():
        raise DecodeCancelled
    if options.fillers:
        recover = getattr(recogniser, "recover_words", None) if options.recover_gaps else None
        words = complete_gaps(samples, words, options, recover)
    return Transcript(words, duration)
