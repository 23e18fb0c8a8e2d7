"""``DecodeSession``: faster-whisper's sequential 30-second window loop over the causal
speech timeline of :mod:`.vad`, fed all at once (a file) or block by block (a microphone);
see :mod:`.transcribe` for how batch and live use it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from starcoach.rubric.model import Word
from starcoach.speech.audio import SAMPLE_RATE
from starcoach.speech.decoding import (
    HOP,
    LOOKAHEAD_FRAMES,
    N_FRAMES,
    Cancel,
    DecodeCancelled,
    Progress,
    Provisional,
    TimedWord,
    TranscribeOptions,
    encoder_frames,
    unstretched,
)
from starcoach.speech.gap_passes import GapPasses
from starcoach.speech.spectrogram import log_mel
from starcoach.speech.vad import SpeechTimeline
from starcoach.speech.word_repair import add_written_fillers, complete_gaps, tidy_words


@dataclass(frozen=True)
class _Window:
    words: list[TimedWord]
    seek: int
    tokens_by_segment: list[list[int]]
    temperature: float
    fillers: list[Word] = field(default_factory=list)
    filler_tokens: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Snapshot:
    """A session's state before one committed window, and the floor that window read."""

    seek: int
    tokens: int
    prompt_reset_since: int
    last_speech_timestamp: float
    words: int
    fillers: int
    filler_tokens: int
    mel_max: float


class DecodeSession(GapPasses):
    """Incremental Whisper decoding of one answer; see the module docstring.

    Not thread-safe: one thread feeds and steps it. ``words`` holds the committed words
    (source time, no fillers); they never change once there.
    """

    def __init__(self, model: Any, options: TranscribeOptions) -> None:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens

        self.model = model
        self.options = options
        self.tokenizer = Tokenizer(
            model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en"
        )
        self.fw_options = TranscriptionOptions(
            beam_size=options.beam_size,
            best_of=5,
            patience=1,
            length_penalty=1,
            repetition_penalty=1,
            no_repeat_ngram_size=0,
            log_prob_threshold=options.log_prob_threshold,
            no_speech_threshold=options.no_speech_threshold,
            compression_ratio_threshold=options.compression_ratio_threshold,
            condition_on_previous_text=options.condition_on_previous_text,
            prompt_reset_on_temperature=0.5,
            temperatures=list(options.temperatures),
            initial_prompt=options.initial_prompt,
            prefix=None,
            suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(self.tokenizer, [-1]),
            without_timestamps=False,
            max_initial_timestamp=1.0,
            word_timestamps=True,
            prepend_punctuations="\"'“¿([{-",
            append_punctuations="\"'.。,，!！?？:：”)]}、",
            multilingual=False,
            max_new_tokens=options.max_new_tokens,
            clip_timestamps=[],
            hallucination_silence_threshold=None,
            hotwords=None,
        )
        self.timeline = SpeechTimeline(options.vad_options, enabled=options.vad)
        self.seek = 0  # frames on the speech timeline
        self.all_tokens: list[int] = []
        if options.initial_prompt:
            self.all_tokens.extend(self.tokenizer.encode(" " + options.initial_prompt.strip()))
        self.prompt_reset_since = 0
        self.last_speech_timestamp = 0.0
        self.mel_max = -10.0  # loudest log-mel value of the audio fed so far ...
        self._mel_frames = 0  # ... measured over this many timeline frames
        self._history: list[_Snapshot] = []  # the state before each committed window
        self.windows_rewound = 0  # windows sent back by rewind_stale() (louder audio later)
        self.superseded: list[Word] = []  # their words, until decoded again
        self.words: list[Word] = []
        self.fillers: list[Word] = []  # fillers the prompted pass wrote (source time)
        self.filler_tokens: list[int] = []  # the prompted pass's own text so far
        self.windows_decoded = 0

    # -- input -----------------------------------------------------------------------------
    def feed(self, samples: np.ndarray) -> None:
        """Append 16 kHz mono float32 source audio."""
        self.timeline.feed(samples)

    def finish(self, rewind: bool = True) -> None:
        """Mark the end of the audio: the last window may now be decoded short, and (unless
        ``rewind`` is false: call :meth:`rewind_stale` later) any window that read a lower
        spectrogram floor than the whole answer's is decoded again, so the rest decodes
        exactly as a batch pass does."""
        self.timeline.finish()
        if rewind:
            self.rewind_stale()

    def rewind_stale(self) -> int:
        """Go back to the first committed window that read a lower spectrogram floor than
        the audio fed so far gives (a louder moment came after it); returns how many
        windows are to be decoded again.

        Live, calling this while the person still speaks redoes that work while the
        worker has time to spare, so at Stop only a louder moment in the last stretch
        sends windows back. Their words stay in :meth:`words_so_far` until decoded again.
        """
        self._measure_loudest()
        stale = next((k for k, snap in enumerate(self._history) if snap.mel_max != self.mel_max),
                     None)
        if stale is None:
            return 0
        snap = self._history[stale]
        count = len(self._history) - stale
        self.windows_rewound += count
        del self._history[stale:]
        self.seek = snap.seek
        del self.all_tokens[snap.tokens :]
        self.prompt_reset_since = snap.prompt_reset_since
        self.last_speech_timestamp = snap.last_speech_timestamp
        self.superseded = [*self.words[snap.words :], *self.superseded]
        del self.words[snap.words :]
        del self.fillers[snap.fillers :]
        del self.filler_tokens[snap.filler_tokens :]
        return count

    def words_so_far(self) -> list[Word]:
        """The committed words, with those of windows being decoded again standing in for
        them until they are (for a display; :attr:`words` alone are final)."""
        return [*self.words, *self.superseded]

    @property
    def content_frames(self) -> int:
        return self.timeline.timeline.size // HOP

    def pending(self) -> bool:
        """Whether a window is ready to decode (a full one, or any rest once finished)."""
        if self.timeline.finished:
            return self.seek < self.content_frames
        return self.seek + N_FRAMES + LOOKAHEAD_FRAMES <= self.content_frames

    def step(self, cancel: Cancel = None) -> list[Word]:
        """Decode the next ready window; returns the words it committed (maybe none).

        If ``cancel()`` turns true between model calls, raises :class:`DecodeCancelled` and
        the session is unchanged (the window is decoded again by a later ``step``).
        """
        if not self.pending():
            return []
        segment_size = min(N_FRAMES, self.content_frames - self.seek)
        before = _Snapshot(self.seek, len(self.all_tokens), self.prompt_reset_since,
                           self.last_speech_timestamp, len(self.words), len(self.fillers),
                           len(self.filler_tokens), 0.0)
        window = self._decode_window(
            self.seek, segment_size, self.all_tokens[self.prompt_reset_since :],
            self.fw_options, cancel, filler_pass=self.options.fillers and self.options.filler_pass)
        for tokens in window.tokens_by_segment:
            self.all_tokens.extend(tokens)
        if not self.options.condition_on_previous_text or window.temperature > 0.5:
            self.prompt_reset_since = len(self.all_tokens)
        self.seek = window.seek
        self.windows_decoded += 1
        self._history.append(replace(before, mel_max=self.mel_max))
        words = [w.word for w in window.words]
        self.words.extend(words)
        if self.superseded:
            done = self.timeline.to_source_time(self.seek / (SAMPLE_RATE // HOP), True)
            self.superseded = [w for w in self.superseded if w.start >= done]
        self.fillers.extend(window.fillers)
        self.filler_tokens.extend(window.filler_tokens)
        return words

    def run(self, cancel: Cancel = None, progress: Progress = None) -> list[Word]:
        """Decode every ready window; returns the words committed.

        ``progress(done_s, total_s)`` (source seconds, never decreasing) is called after
        each model call, so a caller can show how far the pass has got.
        """
        best = 0.0

        def report(frames: float) -> None:
            nonlocal best
            total = self.timeline.source_duration
            done = min(total, self.timeline.to_source_time(frames / (SAMPLE_RATE // HOP), True))
            if progress is not None and done > best:
                best = done
                progress(done, total)

        out: list[Word] = []
        while self.pending():
            if progress is None:
                out.extend(self.step(cancel))
                continue
            start, calls = self.seek, 0
            end = min(self.content_frames, start + N_FRAMES)

            def check(start: int = start, end: int = end) -> bool:
                nonlocal calls  # one more model call done: move part of the way on
                report(start + (end - start) * min(calls, 4) / 5)
                calls += 1
                return cancel is not None and cancel()

            out.extend(self.step(check))
            report(self.seek)
        return out

    def prompt_tokens(self, text: str = "") -> list[int]:
        """The committed text's prompt tokens, then ``text`` (provisional words) encoded."""
        tokens = self.all_tokens[self.prompt_reset_since :]
        if text.strip():
            tokens = tokens + self.tokenizer.encode(" " + text.strip())
        return tokens

    def provisional(
        self,
        start: int | None = None,
        frames: int | None = None,
        *,
        previous_tokens: list[int] | None = None,
        beam_size: int = 1,
        cancel: Cancel = None,
    ) -> Provisional:
        """Greedy words for ``frames`` timeline frames from ``start`` (default: everything
        after the last committed window, at most one window), without committing them.

        For the live display and the first report at Stop; the session does not change.
        """
        start = self.seek if start is None else start
        available = self.content_frames - start
        frames = min(N_FRAMES, available if frames is None else min(frames, available))
        if frames <= 0:
            return Provisional([], start, start)
        opts = replace(self.fw_options, beam_size=beam_size, temperatures=[0.0])
        if previous_tokens is None:
            previous_tokens = self.prompt_tokens()
        saved = self.last_speech_timestamp
        try:
            window = self._decode_window(start, frames, previous_tokens, opts, cancel,
                                         encode=encoder_frames(frames))
        finally:
            self.last_speech_timestamp = saved
        return Provisional(window.words, start, start + frames)

    # -- one window ------------------------------------------------------------------------
    def _decode_window(
        self,
        seek: int,
        segment_size: int,
        previous_tokens: list[int],
        opts: Any,
        cancel: Cancel = None,
        filler_pass: bool = False,
        encode: int = N_FRAMES,  # spectrogram frames the encoder reads (padded)
    ) -> _Window:
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.utils import get_end

        def check() -> None:
            if cancel is not None and cancel():
                raise DecodeCancelled

        model = self.model
        fe = model.feature_extractor
        check()
        self._measure_loudest()
        log_mel = self._log_mel(seek, segment_size)
        features = (np.maximum(log_mel, self.mel_max - 8.0) + 4.0) / 4.0
        encoder_output = model.encode(pad_or_trim(features, encode))
        check()
        prompt = model.get_prompt(self.tokenizer, previous_tokens, without_timestamps=False)
        result, avg_logprob, temperature, _ = model.generate_with_fallback(
            encoder_output, prompt, self.tokenizer, opts
        )
        silent = (
            opts.no_speech_threshold is not None
            and result.no_speech_prob > opts.no_speech_threshold
            and (opts.log_prob_threshold is None or avg_logprob <= opts.log_prob_threshold)
        )
        if silent:  # skip the whole window, as faster-whisper does
            return _Window([], seek + segment_size, [], temperature)
        time_offset = seek * fe.time_per_frame
        segments, new_seek, single_ending = model._split_segments_by_timestamps(
            tokenizer=self.tokenizer,
            tokens=result.sequences_ids[0],
            time_offset=time_offset,
            segment_size=segment_size,
            segment_duration=segment_size * fe.time_per_frame,
            seek=seek,
        )
        check()
        self.last_speech_timestamp = (
            model.add_word_timestamps(
                [segments],
                self.tokenizer,
                encoder_output,
                segment_size,
                opts.prepend_punctuations,
                opts.append_punctuations,
                last_speech_timestamp=self.last_speech_timestamp,
            )
            or self.last_speech_timestamp
        )
        if not single_ending:
            last_word_end = get_end(segments)
            if last_word_end is not None and last_word_end > time_offset:
                new_seek = round(last_word_end * model.frames_per_second)
        if new_seek <= seek:  # never stall on a window
            new_seek = seek + segment_size
        words: list[TimedWord] = []
        tokens_by_segment: list[list[int]] = []
        for seg in segments:
            text = self.tokenizer.decode(seg["tokens"])
            if seg["start"] == seg["end"] or not text.strip():
                continue
            tokens_by_segment.append(seg["tokens"])
            for w in seg.get("words", []):
                start, end = unstretched(w["start"], w["end"])  # stretched over lost speech?
                reach = max(w["end"], end)  # how far the decode reached: the display reads it
                words.append(TimedWord(self._to_source(w["word"], start, end), start, reach))
        fillers: list[Word] = []
        filler_tokens: list[int] = []
        if filler_pass:
            check()
            upto = new_seek * fe.time_per_frame
            fillers, filler_tokens = self._prompted_fillers(
                encoder_output, seek, segment_size, opts, upto, [w.word for w in words]
            )
        return _Window(words, new_seek, tokens_by_segment, temperature, fillers, filler_tokens)

    def _measure_loudest(self) -> None:
        """Bring ``mel_max`` up to date with the audio fed so far.

        faster-whisper clamps a file's spectrogram at 8 below its loudest frame, and tiny.en
        words change with that floor. A file is fed whole before its first window, so this
        is the file's own loudest frame and every window reads what bare faster-whisper
        reads; live, it is the loudest frame heard so far when the window is decoded.
        """
        end = self.content_frames - (0 if self.timeline.finished else LOOKAHEAD_FRAMES)
        for first in range(self._mel_frames, end, N_FRAMES):
            count = min(N_FRAMES, end - first)
            self.mel_max = max(self.mel_max, float(self._log_mel(first, count).max()))
        self._mel_frames = max(self._mel_frames, end)

    def _log_mel(self, first: int, count: int) -> np.ndarray:
        """Log10 mel frames ``[first, first + count)`` of the timeline, before clamping
        (``spectrogram.log_mel``); the clamp is :meth:`_measure_loudest`'s."""
        return log_mel(self.model.feature_extractor, self.timeline.timeline, first, count,
                       self.timeline.finished)

    def _to_source(self, text: str, start: float, end: float) -> Word:
        s, e = self.timeline.span_to_source(start, end)
        return Word(text.strip(), round(s, 3), round(max(e, s), 3))

    # -- results ---------------------------------------------------------------------------
    def final_words(self, cancel: Cancel = None) -> list[Word]:
        """Committed words tidied (monotonic, clipped to the audio, decoding loops dropped),
        the voiced gaps between them decoded again (abandoned like a step if ``cancel()``),
        and what is left labelled as fillers or unrecognised speech."""
        duration = self.timeline.source_duration
        words = tidy_words(self.words, duration)
        if not self.options.fillers:
            return words
        words = add_written_fillers(words, tidy_words(self.fillers, duration))
        recover = (functools.partial(self.recover_words, cancel=cancel)
                   if self.options.recover_gaps else None)
        return complete_gaps(self.timeline.source, words, self.options, recover)
